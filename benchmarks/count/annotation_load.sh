#!/usr/bin/env bash
# How long ifnsig count and featureCounts take to read a GENCODE-size annotation, the serial start of every
# counting job: a GTF written from the hg38 RefSeq SAF in GENCODE's shape (gene and transcript lines, each exon
# three times with a CDS line, GENCODE's attributes; about 545 MB, 1.6M lines) is read before counting a
# header-only SAM, plain and gzipped, at 2 threads; median of REPS runs, the tools taking turns.
# Usage: benchmarks/count/annotation_load.sh   (env IFNSIG=path/to/ifnsig, default build/ifnsig; REPS=3)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/benchmarks/lib.sh"
counting_script_setup work-annotation
SAF=$(fetch_saf)
GTF=$CACHE/gencode_like.gtf
if [ ! -s "$GTF.gz" ]; then
  log "writing a GENCODE-like GTF from $SAF"
  awk 'BEGIN {OFS = "\t"}
    NR > 1 {
      g = $1
      if (g != previous) {
        previous = g
        print $2, "HAVANA", "gene", $3, $4, ".", $5, ".", "gene_id \"ENSG000000" g ".5\"; gene_type \"protein_coding\"; gene_name \"GENE" g "\"; level 2; hgnc_id \"HGNC:" g "\"; havana_gene \"OTTHUMG000" g ".2\";"
        print $2, "HAVANA", "transcript", $3, $4, ".", $5, ".", "gene_id \"ENSG000000" g ".5\"; transcript_id \"ENST000000" g ".3\"; gene_type \"protein_coding\"; gene_name \"GENE" g "\"; transcript_type \"protein_coding\"; transcript_name \"GENE" g "-201\"; level 2; protein_id \"ENSP000" g ".1\"; transcript_support_level \"1\"; hgnc_id \"HGNC:" g "\"; tag \"basic\"; tag \"Ensembl_canonical\"; tag \"MANE_Select\";"
      }
      e++
      for (r = 0; r < 3; r++) {
        print $2, "HAVANA", "exon", $3, $4, ".", $5, ".", "gene_id \"ENSG000000" g ".5\"; transcript_id \"ENST000000" g "." r "\"; gene_type \"protein_coding\"; gene_name \"GENE" g "\"; transcript_type \"protein_coding\"; transcript_name \"GENE" g "-201\"; exon_number " e "; exon_id \"ENSE000" e "." r "\"; level 2; protein_id \"ENSP000" g ".1\"; transcript_support_level \"1\"; hgnc_id \"HGNC:" g "\"; tag \"basic\"; tag \"Ensembl_canonical\"; tag \"MANE_Select\";"
        print $2, "HAVANA", "CDS", $3, $4, ".", $5, "0", "gene_id \"ENSG000000" g ".5\"; transcript_id \"ENST000000" g "." r "\"; gene_type \"protein_coding\"; gene_name \"GENE" g "\"; transcript_type \"protein_coding\"; exon_number " e "; exon_id \"ENSE000" e "\"; level 2; tag \"basic\";"
      }
    }' "$SAF" >"$GTF.tmp"
  mv "$GTF.tmp" "$GTF"
  gzip -c "$GTF" >"$GTF.gz.tmp" && mv "$GTF.gz.tmp" "$GTF.gz"
fi
# A SAM with the hg38 contigs and no reads: what is timed is reading the annotation and writing the outputs.
printf '@HD\tVN:1.6\tSO:coordinate\n' >"$WORK/empty.sam"
cut -f2 "$SAF" | tail -n +2 | awk '!seen[$1]++ {printf "@SQ\tSN:%s\tLN:300000000\n", $1}' >>"$WORK/empty.sam"

: >"$WORK/runs.tsv"
: >"$WORK/times.tsv"
for input in "$GTF" "$GTF.gz"; do
  name=$(basename "$input")
  for ((r = 0; r < REPS; r++)); do
    run_once "ifnsig/$name" "$IFNSIG" -q count -a "$input" -T 2 -o "$WORK/ifnsig.txt" "$WORK/empty.sam"
    run_once "featureCounts/$name" featureCounts -a "$input" -T 2 -o "$WORK/fc.txt" "$WORK/empty.sam"
  done
  summarize "ifnsig/$name"
  summarize "featureCounts/$name"
done

echo "## Reading a GENCODE-size annotation: ifnsig count vs featureCounts ($(date -u +'%Y-%m-%d %H:%M') UTC)"
echo
echo "$(wc -l <"$GTF") lines, $(du -m "$GTF" | cut -f1) MB ($(du -m "$GTF.gz" | cut -f1) MB gzipped); -T 2, a header-only SAM; median of $REPS runs, taking turns (\`benchmarks/count/annotation_load.sh\`)."
echo
echo "| annotation | tool | wall s | CPU s | peak MB |"
echo "|---|---|---|---|---|"
for name in "$(basename "$GTF")" "$(basename "$GTF").gz"; do
  for tool in ifnsig featureCounts; do
    echo "| $name | $tool | $(get "$tool/$name" 2) | $(get "$tool/$name" 3) | $(get "$tool/$name" 4) |"
  done
done
