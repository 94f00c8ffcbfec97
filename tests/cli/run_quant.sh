#!/usr/bin/env bash
# ifnsig run --quant-dir DIR (issue 20, item 4): eight generated salmon quant.sf files (several transcripts per gene,
# unequal effective lengths; tests/compare/quant_make_salmon.py, six genes named as rice6's) run as a cohort give
# byte for byte the normalized values and scores of `ifnsig normalize --quant-dir ... | ifnsig score` on the same
# files with the run's default, countsFromAbundance lengthScaledTPM; the same from a sheet listing the samples in
# another order, and the report says the counts were given. score --quant-dir scores the files' gene TPM as score -i
# scores tximport's abundance table. Bad inputs: a directory mixing salmon and kallisto files,
# countsFromAbundance "no" (per-gene length offsets a frozen reference cannot hold), a sheet sample without a file:
# one error naming the file, exit 1, no OUTDIR.
source "$SRC/tests/lib.sh"
cd "$WORK"
D="$WORK/salmon"
python3 "$SRC/tests/compare/quant_make_salmon.py" "$D" 400 8
# Six genes take rice6's names; their transcripts get ten times the TPM and reads in S5-S8.
awk -F'\t' 'BEGIN { OFS = "\t"; split("IFI27 IFI44L IFIT1 ISG15 RSAD2 SIGLEC1", p, " ") }
  { for (k = 1; k <= 6; k++) if ($3 == "GENE" (10 * k + 3)) $3 = p[k]; print }' "$D/tx2gene.tsv" >tx2gene.tsv
for s in S5 S6 S7 S8; do
  awk -F'\t' 'BEGIN { OFS = "\t" } NR == FNR { if ($3 ~ /^(IFI|ISG|RSAD|SIGLEC)/) up[$1] = 1; next }
    FNR > 1 && ($1 in up) { $4 = sprintf("%.6f", $4 * 10 + 20); $5 = sprintf("%.3f", $5 * 10 + 40) } { print }' tx2gene.tsv "$D/$s/quant.sf" >q.tmp
  mv q.tmp "$D/$s/quant.sf"
done
printf 'sample\tgroup\n' >sheet.tsv
for s in S1 S2 S3 S4; do printf '%s\tcontrol\n' "$s" >>sheet.tsv; done
for s in S5 S6 S7 S8; do printf '%s\tSLE\n' "$s" >>sheet.tsv; done

"$IFNSIG" -q run --samples sheet.tsv --quant-dir "$D" --tx2gene tx2gene.tsv -o run >/dev/null 2>"$WORK/stderr.txt" ||
  fail "run --quant-dir failed: $(cat "$WORK/stderr.txt")"
"$IFNSIG" -q normalize --quant-dir "$D" --tx2gene tx2gene.tsv --counts-from-abundance lengthScaledTPM -o normalized.tsv \
  --txi-out txi
awk -F'\t' 'BEGIN { print "gene_id\tgene_name" } !seen[$2]++ { print $2 "\t" $3 }' tx2gene.tsv >gene_map.tsv
"$IFNSIG" -q score -i normalized.tsv --gene-map gene_map.tsv --samples sheet.tsv -o scores.tsv --signature signature.tsv
cmp normalized.tsv run/normalized.tsv || fail "run --quant-dir: normalized.tsv differs from normalize --quant-dir's"
cmp scores.tsv run/scores.tsv || fail "run --quant-dir: scores.tsv differs from normalize --quant-dir | score"
cmp signature.tsv run/signature_genes.tsv || fail "run --quant-dir: signature_genes.tsv differs from score's"
[ "$(grep -c 'high' run/calls.tsv)" -ge 4 ] || fail "the IFN-high samples were not called high: $(cat run/calls.tsv)"
grep -q "lengthScaledTPM" run/reference.json || fail "reference.json does not record countsFromAbundance"
grep -q "paired-endness and strandedness are not known" run/report.html || fail "the report does not say what is not known"

# score --quant-dir: the files' gene TPM (tximport's abundance), as score -i scores txi's abundance.tsv.
"$IFNSIG" -q score --quant-dir "$D" --tx2gene tx2gene.tsv --samples sheet.tsv -o tpm_quant.tsv
"$IFNSIG" -q score -i txi/abundance.tsv --gene-map gene_map.tsv --samples sheet.tsv -o tpm_matrix.tsv
cmp tpm_quant.tsv tpm_matrix.tsv || fail "score --quant-dir differs from score -i on tximport's abundance"
[ "$(wc -l <tpm_quant.tsv)" -eq 9 ] || fail "score --quant-dir: expected 8 scores: $(cat tpm_quant.tsv)"

# The sheet's order decides the columns; the values do not change.
{ head -1 sheet.tsv; tail -n +2 sheet.tsv | sort -r; } >reversed.tsv
"$IFNSIG" -q run --samples reversed.tsv --quant-dir "$D" --tx2gene tx2gene.tsv -o reversed >/dev/null 2>&1 ||
  fail "run --quant-dir with a reordered sheet failed"
head -1 reversed/normalized.tsv | grep -q "^gene_id	S8	S7" || fail "columns not in sheet order: $(head -1 reversed/normalized.tsv)"
for s in S1 S5; do
  [ "$(grep -P "^$s\t" run/scores.tsv)" = "$(grep -P "^$s\t" reversed/scores.tsv)" ] || fail "$s's scores depend on the sheet's order"
done

# Bad inputs.
mkdir -p mixed/S1 mixed/S2
cp "$D/S1/quant.sf" mixed/S1/
awk -F'\t' 'BEGIN { OFS = "\t" } NR == 1 { print "target_id", "length", "eff_length", "est_counts", "tpm"; next }
  { print $1, $2, $3, $5, $4 }' "$D/S2/quant.sf" >mixed/S2/abundance.tsv
printf 'sample\tgroup\nS1\tcontrol\nS2\tSLE\n' >mixed.tsv
expect_failure 1 "mixed/S2/abundance.tsv: .*kallisto|mixed: .*(salmon|kallisto)" \
  "$IFNSIG" run --samples mixed.tsv --quant-dir mixed --tx2gene tx2gene.tsv -o bad1
[ ! -e bad1 ] || fail "OUTDIR was created after an error"
expect_failure 2 "a run fits a frozen reference .*\(countsFromAbundance no, .*salmon\)" \
  "$IFNSIG" run --samples sheet.tsv --quant-dir "$D" --tx2gene tx2gene.tsv --counts-from-abundance no -o bad2
[ ! -e bad2 ] || fail "OUTDIR was created after an error"
{ cat sheet.tsv; printf 'S9\tSLE\n'; } >extra.tsv
expect_failure 1 "salmon: 1 sample\(s\) of the sheet extra.tsv are not in it: 'S9'" \
  "$IFNSIG" run --samples extra.tsv --quant-dir "$D" --tx2gene tx2gene.tsv -o bad3
[ ! -e bad3 ] || fail "OUTDIR was created after an error"
echo "run_quant: ok"
