#!/usr/bin/env bash
# Gene identifiers that survive renames (issue 20, item 5): a count table whose annotation uses old symbols
# (G1P2 for ISG15, ISG12 for IFI27, C1orf29 for IFI44L, WARS for WARS1, DDX58 for RIGI) under ids the alias
# table does not know gives, through the shipped gene alias table, the scores and signature of the same table
# annotated with the current symbols, for a built-in panel (rice6) and a user GMT set; score reports each gene
# matched through an alias, in the log and in the panel genes file beside the scores. An alias that is another gene's current symbol (COP1, an alias of CARD16) is not
# taken; panels show -i prints the row and alias each gene matched.
source "$SRC/tests/lib.sh"
cd "$WORK"
python3 - <<'PY'
import random
rng = random.Random(20)
renamed = {"ISG15": "G1P2", "IFI27": "ISG12", "IFI44L": "C1orf29", "WARS1": "WARS", "RIGI": "DDX58"}
named = ["ISG15", "IFI27", "IFI44L", "IFIT1", "RSAD2", "SIGLEC1", "WARS1", "RIGI", "OAS1", "MX1", "COP1"]
genes = named + [f"FILLER{k}" for k in range(200)]
samples = [f"s{j}" for j in range(1, 9)]
with open("counts.tsv", "w") as counts, open("names_current.tsv", "w") as current, \
        open("names_old.tsv", "w") as old, open("samples.tsv", "w") as sheet:
    counts.write("gene_id\t" + "\t".join(samples) + "\n")
    current.write("gene_id\tgene_name\n")
    old.write("gene_id\tgene_name\n")
    for k, gene in enumerate(genes):
        gene_id = f"gene-{k:04d}"  # an annotation's own ids: no Ensembl or Entrez id to fall back on
        high = gene in named
        values = [rng.randint(50, 500) * (rng.randint(4, 12) if high and j >= 4 else 1) for j in range(8)]
        counts.write(gene_id + "\t" + "\t".join(map(str, values)) + "\n")
        current.write(f"{gene_id}\t{gene}\n")
        old.write(f"{gene_id}\t{renamed.get(gene, gene)}\n")
    sheet.write("sample\tgroup\n")
    for j, s in enumerate(samples):
        sheet.write(f"{s}\t{'control' if j < 4 else 'case'}\n")
with open("sets.gmt", "w") as gmt:
    gmt.write("renamed\tcurrent symbols\tWARS1\tRIGI\tISG15\tOAS1\tMX1\n")
    gmt.write("card16\tCOP1 is its alias and another gene's symbol\tCARD16\tOAS1\tMX1\tIFIT1\n")
PY
"$IFNSIG" -q normalize -i counts.tsv -o normalized.tsv
for names in current old; do
  "$IFNSIG" score -i normalized.tsv --gene-map names_$names.tsv --samples samples.tsv \
    --panel rice6 --panel sets.gmt -o scores_$names.tsv --signature signature_$names.tsv 2>stderr_$names.txt
done
cmp scores_current.tsv scores_old.tsv || fail "scores with the old symbols differ from those with the current ones"
cmp signature_current.tsv signature_old.tsv || fail "signatures with the old symbols differ"
[ "$(wc -l <scores_old.tsv)" -eq 25 ] || fail "expected 3 sets x 8 samples of scores: $(cat scores_old.tsv)"
grep -q "panel rice6: 3 of 6 genes matched through an alias: IFI27 -> ISG12, IFI44L -> C1orf29, ISG15 -> G1P2" \
  stderr_old.txt || fail "rice6's alias matches not reported: $(cat stderr_old.txt)"
grep -q "panel renamed: 3 of 5 genes matched through an alias: WARS1 -> WARS, RIGI -> DDX58, ISG15 -> G1P2" \
  stderr_old.txt || fail "the GMT set's alias matches not reported: $(cat stderr_old.txt)"
grep -q "through an alias" stderr_current.txt && fail "alias matches reported for current symbols"
for names in current old; do
  grep -q "panel card16: 1 of 4 genes not in the matrix: CARD16" stderr_$names.txt ||
    fail "CARD16 was matched through COP1, another gene's symbol ($names): $(cat stderr_$names.txt)"
done

# The panel genes file beside the scores: each gene's status, the alias it was found under, its row.
genes_file=scores_old.tsv.panel_genes.tsv
[ "$(head -1 $genes_file)" = "$(printf 'panel\tgene\tstatus\talias\tgene_id')" ] || fail "header of $genes_file"
grep -qx "$(printf 'rice6\tISG15\talias\tG1P2\tgene-0000')" $genes_file || fail "ISG15 as G1P2 not in $genes_file"
grep -qx "$(printf 'rice6\tIFIT1\tsymbol\tNA\tgene-0003')" $genes_file || fail "IFIT1 by symbol not in $genes_file"
grep -qx "$(printf 'card16\tCARD16\tmissing\tNA\tNA')" $genes_file || fail "CARD16 not missing in $genes_file"
[ "$(awk -F'\t' '$3 == "alias"' $genes_file | wc -l)" -eq 6 ] || fail "expected 6 alias matches in $genes_file"
[ "$(awk -F'\t' '$3 == "alias"' scores_current.tsv.panel_genes.tsv | wc -l)" -eq 0 ] ||
  fail "alias matches listed for current symbols"

# An old panel symbol against a current annotation: the GMT written with WARS and DDX58.
printf 'old\told symbols\tWARS\tDDX58\tG1P2\n' >old.gmt
"$IFNSIG" score -i normalized.tsv --gene-map names_current.tsv --samples samples.tsv --panel old.gmt \
  -o scores_old_set.tsv 2>stderr_old_set.txt
grep -q "panel old: 3 of 3 genes matched through an alias: WARS -> WARS1, DDX58 -> RIGI, G1P2 -> ISG15" \
  stderr_old_set.txt || fail "old set symbols not matched through the current ones: $(cat stderr_old_set.txt)"

# panels show -i: the matrix row each gene matched, with the alias used.
awk -F'\t' 'NR == FNR { name[$1] = $2; next }
  { printf "%s\t%s", $1, FNR == 1 ? "gene_name" : name[$1]; for (i = 2; i <= NF; i++) printf "\t%s", $i; print "" }' \
  names_old.tsv normalized.tsv >normalized_old_named.tsv
"$IFNSIG" -q panels show sets.gmt:renamed -i normalized_old_named.tsv >show.txt
grep -q "^WARS1	.*	gene-0006 (WARS)$" show.txt || fail "panels show -i lacks WARS1's row and alias: $(cat show.txt)"
grep -q "^OAS1	.*	gene-0008$" show.txt || fail "panels show -i lacks OAS1's row: $(cat show.txt)"
echo "score_gene_aliases: ok"
