#!/usr/bin/env bash
# ifnsig run --counts MATRIX (issue 20, item 4): the example cohort run from its BAMs and run again from the
# counts.tsv that run wrote (and from the same counts in nf-core's merged layout, gene_name column, no -a) gives
# byte-identical counts.tsv, normalized.tsv, scores.tsv, calls.tsv and signature_genes.tsv; the report and run.json
# say that the counts were given and that read categories, layout and strandedness are not known. Bad inputs (a
# sheet sample missing from the matrix, TPM given as counts, a panel gene's name on two rows) stop with one error
# naming the file, exit 1, and leave no OUTDIR.
source "$SRC/tests/lib.sh"
cd "$SRC"
"$IFNSIG" -q run --samples examples/samples.tsv -a examples/data/annotation.gtf -o "$WORK/bam" -T 2 >/dev/null ||
  fail "run from BAMs failed"
"$IFNSIG" -q run --samples examples/samples.tsv --counts "$WORK/bam/counts.tsv" -a examples/data/annotation.gtf \
  -o "$WORK/matrix" -T 2 >/dev/null 2>"$WORK/stderr.txt" || fail "run --counts failed: $(cat "$WORK/stderr.txt")"
for table in counts.tsv normalized.tsv scores.tsv calls.tsv signature_genes.tsv; do
  cmp "$WORK/bam/$table" "$WORK/matrix/$table" || fail "run --counts: $table differs from the BAM run's"
done
[ "$(wc -l <"$WORK/matrix/scores.tsv")" -gt 10 ] || fail "too few scores"

# nf-core's layout: gene_id, gene_name, samples; gene names from the matrix (no -a).
awk -F'\t' 'NR == FNR { name[$1] = $2; next } /^#/ { next }
  { printf "%s\t%s", ($1 == "Geneid" ? "gene_id" : $1), ($1 == "Geneid" ? "gene_name" : name[$1]);
    for (i = 7; i <= NF; i++) printf "\t%s", $i; print "" }' \
  examples/data/gene_names.tsv "$WORK/bam/counts.tsv" >"$WORK/salmon.merged.gene_counts.tsv"
"$IFNSIG" -q run --samples examples/samples.tsv --counts "$WORK/salmon.merged.gene_counts.tsv" -o "$WORK/nfcore" \
  >/dev/null 2>"$WORK/stderr.txt" || fail "run --counts (nf-core layout) failed: $(cat "$WORK/stderr.txt")"
for table in normalized.tsv scores.tsv calls.tsv signature_genes.tsv; do
  cmp "$WORK/bam/$table" "$WORK/nfcore/$table" || fail "run --counts (nf-core layout): $table differs from the BAM run's"
done

# What the run says it does not know.
[ ! -e "$WORK/matrix/counts.tsv.summary" ] || fail "a summary of read categories was written for given counts"
for page in "$WORK/matrix/report.html" "$WORK/matrix/samples/sample01.html"; do
  [ -s "$page" ] || fail "$page was not written"
  grep -q "paired-endness and strandedness are not known" "$page" || fail "$page does not say what is not known"
done
grep -q "not counted" "$WORK/matrix/report.html" || fail "the QC table does not mark the samples as not counted"
python3 - "$WORK/matrix/run.json" <<'PY' || fail "run.json lacks the counts' provenance"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["inputs"]["counts"]["source"].endswith("bam/counts.tsv"), doc["inputs"]
assert all(s["counts_from"].endswith("bam/counts.tsv") and not s["counted"] for s in doc["inputs"]["samples"])
assert "counts.tsv.summary" not in doc["outputs"] and "report.html" in doc["outputs"]
PY
[ -s "$WORK/matrix/ifnsig_scores_mqc.tsv" ] || fail "no MultiQC content"

# Bad inputs: nothing is created.
cut -f1-5,7- "$WORK/salmon.merged.gene_counts.tsv" >"$WORK/missing_sample.tsv"  # drops sample04's column
expect_failure 1 "missing_sample.tsv: 1 sample\(s\) of the sheet examples/samples.tsv are not in it: 'sample04'" \
  "$IFNSIG" run --samples examples/samples.tsv --counts "$WORK/missing_sample.tsv" -o "$WORK/bad1"
[ ! -e "$WORK/bad1" ] || fail "OUTDIR was created after an error"
awk -F'\t' 'BEGIN { OFS = "\t" } NR == FNR { if (FNR > 1) for (i = 3; i <= NF; i++) sum[i] += $i; next }
  FNR == 1 { print; next } { for (i = 3; i <= NF; i++) $i = sprintf("%.6f", 1e6 * $i / sum[i]); print }' \
  "$WORK/salmon.merged.gene_counts.tsv" "$WORK/salmon.merged.gene_counts.tsv" >"$WORK/salmon.merged.gene_tpm.tsv"
expect_failure 1 "salmon.merged.gene_tpm.tsv: every sample's values sum to a million: these are TPM" \
  "$IFNSIG" run --samples examples/samples.tsv --counts "$WORK/salmon.merged.gene_tpm.tsv" -o "$WORK/bad2"
[ ! -e "$WORK/bad2" ] || fail "OUTDIR was created after an error"
awk -F'\t' 'BEGIN { OFS = "\t" } { print } $2 == "IFI27" { $1 = $1 "_copy"; print }' \
  "$WORK/salmon.merged.gene_counts.tsv" >"$WORK/repeated_name.tsv"
expect_failure 1 "repeated_name.tsv:gene_name 'IFI27': names 2 rows" \
  "$IFNSIG" run --samples examples/samples.tsv --counts "$WORK/repeated_name.tsv" -o "$WORK/bad4"
[ ! -e "$WORK/bad4" ] || fail "OUTDIR was created after an error"
expect_failure 2 "--counts and --quant-dir exclude each other" \
  "$IFNSIG" run --samples examples/samples.tsv --counts "$WORK/bam/counts.tsv" --quant-dir "$WORK" -o "$WORK/bad3"
echo "run_counts: ok"
