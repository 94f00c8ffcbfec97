# Seeded synthetic log2 expression (non-negative, logCPM-like): genes x samples, the panel genes first
# (their symbols in `panel_genes`, one per line), then filler genes G00001...; the first 10% of samples (at
# least 2) are controls; half of the others carry an interferon signature (panel genes up by 1-4 log2 units).
# Usage: awk -v genes=N -v samples=M -v seed=S -v sheet=SHEET.tsv -f generate.awk panel_genes.txt > EXPR.tsv
function gauss() { return sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand()) }
{ panel[++n_panel] = $1 }
END {
  srand(seed)
  n_controls = int(samples / 10)
  if (n_controls < 2) n_controls = 2  # the control-referenced methods need two
  printf "sample\tgroup\n" > sheet
  header = "gene_id"
  for (j = 1; j <= samples; j++) {
    header = header sprintf("\tS%05d", j)
    ifn[j] = (j > n_controls && rand() < 0.5) ? 1 + 3 * rand() : 0
    printf "S%05d\t%s\n", j, (j <= n_controls ? "control" : "case") > sheet
  }
  print header
  for (g = 1; g <= genes; g++) {
    base = 2 + 8 * rand()
    spread = 0.2 + 0.8 * rand()
    line = (g <= n_panel ? panel[g] : sprintf("G%05d", g))
    for (j = 1; j <= samples; j++) {
      v = base + spread * gauss() + (g <= n_panel ? ifn[j] : 0)
      line = line sprintf("\t%.4f", v < 0 ? 0 : v)
    }
    print line
  }
}
