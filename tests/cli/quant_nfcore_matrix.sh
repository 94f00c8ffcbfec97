#!/usr/bin/env bash
# nf-core/rnaseq's merged matrices (issue 20, acceptance b): salmon.merged.gene_counts.tsv (gene_id, gene_name,
# estimated non-integer counts) and RSEM's (gene_id, transcript_id(s), ...) give the normalized values (counts,
# VST) of the same counts rounded as R rounds them (halves to even) in a plain matrix, byte for byte; the
# normalized matrix in nf-core's layout (gene_name column) gives the scores of the plain one with --gene-map.
# salmon.merged.gene_tpm.tsv is refused where counts are needed, read by score; a panel gene whose gene_name is on
# two rows is refused naming both.
source "$SRC/tests/lib.sh"
cd "$WORK"
python3 - "$SRC/examples/data/truth_counts.tsv" "$SRC/examples/data/annotation.gtf" <<'PY'
import random, re, sys
names = {}
for line in open(sys.argv[2]):
    m = re.search(r'gene_id "([^"]+)"; gene_name "([^"]+)"', line)
    if m:
        names[m.group(1)] = m.group(2)
rng = random.Random(7)
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
header, body = rows[0], rows[1:]
samples = "\t".join(header[1:])
estimated = []
for r in body:  # salmon-like estimates: x.5 ties and other fractions around the true counts
    estimated.append((r[0], [0.0 if int(v) == 0 else int(v) + rng.choice([-0.5, 0.5, rng.uniform(-0.49, 0.49)])
                             for v in r[1:]]))
sums = [sum(v[j] for _, v in estimated) for j in range(len(header) - 1)]
with open("salmon.merged.gene_counts.tsv", "w") as nf, open("rsem.merged.gene_counts.tsv", "w") as rsem, \
        open("plain_rounded.tsv", "w") as plain, open("salmon.merged.gene_tpm.tsv", "w") as tpm, \
        open("names.tsv", "w") as gene_map:
    nf.write(f"gene_id\tgene_name\t{samples}\n")
    rsem.write(f"gene_id\ttranscript_id(s)\t{samples}\n")
    tpm.write(f"gene_id\tgene_name\t{samples}\n")
    plain.write(f"gene_id\t{samples}\n")
    gene_map.write("gene_id\tgene_name\n")
    for gene, values in estimated:
        nf.write(f"{gene}\t{names[gene]}\t" + "\t".join(f"{x:.3f}" for x in values) + "\n")
        rsem.write(f"{gene}\tNM_{gene}.1,NM_{gene}.2\t" + "\t".join(f"{x:.2f}" for x in values) + "\n")
        plain.write(gene + "\t" + "\t".join(str(round(x)) for x in values) + "\n")  # Python's round: halves to even
        tpm.write(f"{gene}\t{names[gene]}\t" + "\t".join(f"{1e6 * x / sums[j]:.6f}" for j, x in enumerate(values)) + "\n")
        gene_map.write(f"{gene}\t{names[gene]}\n")
PY
for transform in counts vst; do
  for input in salmon.merged.gene_counts.tsv rsem.merged.gene_counts.tsv plain_rounded.tsv; do
    "$IFNSIG" -q normalize -i "$input" --transform $transform -o "${input%%.*}_$transform.tsv" 2>>"$WORK/log.txt"
  done
  cmp salmon_$transform.tsv plain_rounded_$transform.tsv || fail "nf-core salmon matrix: $transform differs from the rounded plain matrix"
  cmp rsem_$transform.tsv plain_rounded_$transform.tsv || fail "nf-core RSEM matrix: $transform differs from the rounded plain matrix"
done
grep -q "non-integer counts rounded" "$WORK/log.txt" || fail "rounding was not said"
expect_failure 1 "salmon.merged.gene_counts.tsv: [0-9]+ non-integer counts" \
  "$IFNSIG" normalize -i salmon.merged.gene_counts.tsv --strict-counts -o x.tsv

# Scores: the VST in nf-core's layout (gene_name after gene_id) against the plain VST with --gene-map.
awk -F'\t' 'NR == FNR { name[$1] = $2; next }
  { printf "%s\t%s", $1, FNR == 1 ? "gene_name" : name[$1]; for (i = 2; i <= NF; i++) printf "\t%s", $i; print "" }' \
  names.tsv salmon_vst.tsv >salmon_vst_named.tsv
"$IFNSIG" -q score -i salmon_vst_named.tsv --samples "$SRC/examples/samples.tsv" -o scores_nfcore.tsv
"$IFNSIG" -q score -i plain_rounded_vst.tsv --gene-map names.tsv --samples "$SRC/examples/samples.tsv" -o scores_plain.tsv
cmp scores_nfcore.tsv scores_plain.tsv || fail "scores from nf-core's layout differ from the plain matrix's"
[ "$(wc -l <scores_nfcore.tsv)" -gt 10 ] || fail "too few scores"

# TPM: refused by normalize's count methods, accepted by score (gene_name read, not a sample).
expect_failure 1 "salmon.merged.gene_tpm.tsv: every sample's values sum to a million: these are TPM" \
  "$IFNSIG" normalize -i salmon.merged.gene_tpm.tsv -o x.tsv
"$IFNSIG" -q normalize -i salmon.merged.gene_tpm.tsv --method none --transform log2 -o tpm_log2.tsv
"$IFNSIG" -q score -i salmon.merged.gene_tpm.tsv --samples "$SRC/examples/samples.tsv" -o scores_tpm.tsv
head -1 salmon_vst_named.tsv | grep -q "^gene_id	gene_name	sample01" || fail "layout"
! grep -q "gene_name" scores_tpm.tsv || fail "gene_name was taken for a sample"

# A panel gene (IFI27) named on two rows.
awk -F'\t' 'BEGIN { OFS = "\t" } $2 == "ISG15" { $2 = "IFI27" } { print }' salmon_vst_named.tsv >duplicated.tsv
expect_failure 1 "duplicated.tsv:gene_name 'IFI27': names 2 rows \('9636', '3429'\)" \
  "$IFNSIG" score -i duplicated.tsv --samples "$SRC/examples/samples.tsv" -o x.tsv
[ ! -e x.tsv ] || fail "an output was left after an error"
echo "quant_nfcore_matrix: ok"
