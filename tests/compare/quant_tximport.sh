#!/usr/bin/env bash
# ifnsig normalize --quant against tximport 1.26 + DESeq2 1.38 (issue 20, acceptance a): seeded salmon quant.sf
# files (quant_make_salmon.py: salmon's layout, 1-5 transcripts per gene, effective lengths differing by
# transcript and sample, genes without reads in one or every sample, counts ending in .5) summarized to genes for
# countsFromAbundance no, scaledTPM and lengthScaledTPM. tximport's counts, abundance and length must agree to
# 1e-12 relative; after DESeqDataSetFromTximport, the size factors and normalized counts (for "no": DESeq2's
# normalization factors from avgTxLength, also with poscounts) to 1e-12, and varianceStabilizingTransformation
# (blind) to 1e-8 (scaledTPM's parametric trend fails, in DESeq2 as in ifnsig, so its local fallback is compared).
# The same estimates written as kallisto abundance.tsv and RSEM isoforms.results give tximport's tables too, and
# summed to genes as RSEM genes.results (tximport's type = "rsem", txIn = FALSE) its tables, DESeq2's normalization
# factors from their effective lengths and the normalized counts.
source "$SRC/tests/lib.sh"
need_packages r-base-core libblas3 liblapack3 r-bioc-deseq2 r-bioc-tximport
compare() { python3 "$SRC/tests/compare/norm_compare.py" "$@" || fail "disagreement: $*"; }
D="$WORK/salmon"
python3 "$SRC/tests/compare/quant_make_salmon.py" "$D"
# The same estimates as kallisto and RSEM (isoforms) write them.
while read -r s; do
  mkdir -p "$WORK/kallisto/$s" "$WORK/rsem"
  awk -F'\t' 'BEGIN { OFS = "\t" } NR == 1 { print "target_id", "length", "eff_length", "est_counts", "tpm"; next }
    { print $1, $2, $3, $5, $4 }' "$D/$s/quant.sf" >"$WORK/kallisto/$s/abundance.tsv"
  awk -F'\t' 'BEGIN { OFS = "\t" } NR == FNR { gene[$1] = $2; next }
    FNR == 1 { print "transcript_id", "gene_id", "length", "effective_length", "expected_count", "TPM", "FPKM", "IsoPct"; next }
    { print $1, gene[$1], $2, $3, $5, $4, "0.00", "0.00" }' "$D/tx2gene.tsv" "$D/$s/quant.sf" >"$WORK/rsem/$s.isoforms.results"
  # RSEM genes.results: each gene's sums, its effective length the abundance-weighted mean of its transcripts'
  # (the plain mean where it has no abundance), as RSEM writes it.
  mkdir -p "$WORK/rsem_genes"
  awk -F'\t' 'BEGIN { OFS = "\t" } NR == FNR { gene[$1] = $2; next } FNR == 1 { next }
    { g = gene[$1]; if (g in n) tx[g] = tx[g] "," $1; else { order[++k] = g; tx[g] = $1 }; n[g]++
      len[g] += $2; eff[g] += $3; weff[g] += $3 * $4; tpm[g] += $4; count[g] += $5 }
    END { print "gene_id", "transcript_id(s)", "length", "effective_length", "expected_count", "TPM", "FPKM"
      for (i = 1; i <= k; i++) { g = order[i]
        e = tpm[g] > 0 ? weff[g] / tpm[g] : eff[g] / n[g]
        printf "%s\t%s\t%.2f\t%.2f\t%.2f\t%.2f\t0.00\n", g, tx[g], len[g] / n[g], e, count[g], tpm[g] } }' \
    "$D/tx2gene.tsv" "$D/$s/quant.sf" >"$WORK/rsem_genes/$s.genes.results"
done <"$D/samples.txt"
reference_rscript "$SRC/tests/compare/quant_tximport.R" "$D" "$WORK/r" >"$WORK/r.log" 2>&1 ||
  fail "R failed (see $WORK/r.log)"
for mode in no scaledTPM lengthScaledTPM; do
  r="$WORK/r/$mode" ours="$WORK/ours/$mode"
  mkdir -p "$ours"
  "$IFNSIG" -q normalize --quant-dir "$D" --gtf "$D/genes.gtf" --counts-from-abundance $mode --txi-out "$ours" \
    -o "$ours/normalized.tsv" --factors "$ours/factors.tsv"
  for table in counts abundance length; do compare "$ours/$table.tsv" "$r/$table.tsv" 1e-12; done
  compare "$ours/factors.tsv" "$r/factors.tsv" 1e-12 1e-300 factor
  compare "$ours/normalized.tsv" "$r/normalized.tsv" 1e-12
  "$IFNSIG" -q normalize --quant-dir "$D" --gtf "$D/genes.gtf" --counts-from-abundance $mode --transform vst \
    -o "$ours/vst.tsv" -T 2
  compare "$ours/vst.tsv" "$r/vst.tsv" 1e-8 1
  # The rounded counts DESeq2 models (--method none keeps them as they are).
  "$IFNSIG" -q normalize --quant-dir "$D" --gtf "$D/genes.gtf" --counts-from-abundance $mode --method none \
    --transform none -o "$ours/unrounded.tsv"
  compare "$ours/unrounded.tsv" "$r/counts.tsv" 1e-12
done
"$IFNSIG" -q normalize --quant-dir "$D" --gtf "$D/genes.gtf" --method poscounts -o "$WORK/ours/no/poscounts.tsv"
compare "$WORK/ours/no/poscounts.tsv" "$WORK/r/no/normalized_poscounts.tsv" 1e-12

# kallisto (lengthScaledTPM) and RSEM isoforms (no) against tximport's type = "kallisto" and "rsem".
"$IFNSIG" -q normalize --quant-dir "$WORK/kallisto" --gtf "$D/genes.gtf" --counts-from-abundance lengthScaledTPM \
  --txi-out "$WORK/ours/kallisto" -o "$WORK/ours/kallisto/normalized.tsv"
"$IFNSIG" -q normalize --quant-dir "$WORK/rsem" --tx2gene "$D/tx2gene.tsv" --txi-out "$WORK/ours/rsem" \
  -o "$WORK/ours/rsem/normalized.tsv"
"$IFNSIG" -q normalize --quant-dir "$WORK/rsem_genes" --txi-out "$WORK/ours/rsem_genes" \
  -o "$WORK/ours/rsem_genes/normalized.tsv" --factors "$WORK/ours/rsem_genes/factors.tsv"
compare "$WORK/ours/rsem_genes/factors.tsv" "$WORK/r/rsem_genes/factors.tsv" 1e-12 1e-300 factor
compare "$WORK/ours/rsem_genes/normalized.tsv" "$WORK/r/rsem_genes/normalized.tsv" 1e-12
for tool in kallisto rsem rsem_genes; do
  for table in counts abundance length; do compare "$WORK/ours/$tool/$table.tsv" "$WORK/r/$tool/$table.tsv" 1e-12; done
done

# The same numbers from a tx2gene TSV and from the files named one by one, at any thread count.
files=(); while read -r s; do files+=("$D/$s/quant.sf"); done <"$D/samples.txt"
"$IFNSIG" -q normalize --quant "${files[@]}" --tx2gene "$D/tx2gene.tsv" --transform vst -o "$WORK/vst_tsv.tsv" -T 1
cmp "$WORK/vst_tsv.tsv" "$WORK/ours/no/vst.tsv" || fail "--tx2gene TSV and -T 1 changed the VST"

# Rounding is said once and kept in the reference; --strict-counts refuses estimated counts as before.
"$IFNSIG" normalize --quant-dir "$D" --gtf "$D/genes.gtf" --counts-from-abundance lengthScaledTPM \
  --save-reference "$WORK/ref.json" -o "$WORK/ls.tsv" 2>"$WORK/log.txt"
[ "$(grep -c 'non-integer counts rounded' "$WORK/log.txt")" -eq 1 ] || fail "rounding not said once: $(cat "$WORK/log.txt")"
grep -q '"inputs": "salmon files .*countsFromAbundance lengthScaledTPM; [0-9]* non-integer counts rounded' "$WORK/ref.json" ||
  fail "the reference does not record the inputs and the rounding"
expect_failure 1 "non-integer counts" "$IFNSIG" normalize --quant-dir "$D" --gtf "$D/genes.gtf" --strict-counts -o "$WORK/x.tsv"
expect_failure 2 "frozen reference cannot hold DESeq2's per-gene normalization factors" \
  "$IFNSIG" normalize --quant-dir "$D" --gtf "$D/genes.gtf" --save-reference "$WORK/x.json" -o "$WORK/x.tsv"
[ ! -e "$WORK/x.tsv" ] || fail "an output was left after an error"
echo "quant_tximport: ok"
