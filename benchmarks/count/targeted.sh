#!/usr/bin/env bash
# Counting chosen genes through the index (count --genes) against counting the whole file, on the simulated
# coordinate-sorted BAMs (benchmarks/cache) of 1M, 4M and 16M pairs: the two take turns, median of REPS
# rounds, at -T 2. The chosen genes: rice6 + Hallmark IFN-alpha + 200 further genes (every 100th gene of the
# annotation, standing in for a normalizer set); on the 4M BAM also with fewer and more genes. Prints a
# Markdown section: wall time, the ratio targeted / whole, and the share of the file the index's chunks span.
# Usage: benchmarks/count/targeted.sh   (env IFNSIG=path/to/ifnsig, default build/ifnsig; REPS=5; SIZES="1000 4000 16000")
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/benchmarks/lib.sh"
REPS=${REPS:-5}
counting_script_setup work-targeted
SAF=$(fetch_saf)
read -r -a sizes <<<"${SIZES:-1000 4000 16000}"
genes_every() { awk -F'\t' 'NR > 1 {print $1}' "$SAF" | awk '!seen[$1]++' | awk -v n="$1" 'NR % n == 0' | paste -sd, -; }
panels="panel:rice6,panel:hallmark_ifna"
default_set="$panels,$(genes_every 140 | cut -d, -f1-200)"
: >"$WORK/runs.tsv"
: >"$WORK/times.tsv"
bytes_share() {  # OUT.json -> the share of the file the index's chunks span, in %
  python3 -c 'import json, sys; t = json.load(open(sys.argv[1]))["inputs"][0]["targeted"]
print("%.2f" % (100 * t["compressed_bytes"] / t["file_bytes"]))' "$1"
}
# bench NAME BAM GENES: REPS rounds of the whole file and the chosen genes, taking turns.
bench() {
  local name=$1 bam=$2 genes=$3 r
  for ((r = 0; r < REPS; r++)); do
    run_once "whole_$name" "$IFNSIG" count -q -T 2 -a "$SAF" -o "$WORK/whole_$name.txt" "${COUNT_OPTS[@]}" "$bam"
    run_once "genes_$name" "$IFNSIG" count -q -T 2 -a "$SAF" -o "$WORK/genes_$name.txt" "${COUNT_OPTS[@]}" \
      --genes "$genes" "$bam"
  done
  summarize "whole_$name"
  summarize "genes_$name"
}
row() {  # name label
  local whole genes
  whole=$(get "whole_$1" 2) genes=$(get "genes_$1" 2)
  printf '| %s | %s | %s | %s | %s | %s |\n' "$2" "$(tail -n +3 "$WORK/genes_$1.txt" | wc -l)" "$whole" "$genes" \
    "$(awk -v a="$genes" -v b="$whole" 'BEGIN {printf "%.3f", a / b}')" "$(bytes_share "$WORK/genes_$1.txt.json")"
}
for k in "${sizes[@]}"; do
  bam=$(simulate "$k")
  log "${k}k pairs: whole file and --genes, $REPS rounds"
  bench "${k}k" "$bam" "$default_set"
done
bam=$(simulate 4000)
log "4M pairs: fewer and more genes"
bench rice6 "$bam" panel:rice6
bench wide "$bam" "$panels,$(genes_every 20)"

echo "## Counting chosen genes through the index ($(date -u +'%Y-%m-%d %H:%M') UTC, $(nproc) cores)"
echo
echo "$("$IFNSIG" --version). \`ifnsig count --genes SET\` against \`ifnsig count\` of the whole file, options"
echo "\`${COUNT_OPTS[*]} -T 2\`, hg38 RefSeq SAF, simulated coordinate-sorted BAMs with their .bai; the two take turns,"
echo "median wall time of $REPS rounds, including start-up and reading the annotation (\`benchmarks/count/targeted.sh\`)."
echo "Default SET: rice6 + Hallmark IFN-alpha + 200 other genes (a stand-in for a normalizer set)."
echo
echo "| input, genes | genes counted | whole file s | --genes s | ratio | file spanned by the index chunks read, % |"
echo "|---|---|---|---|---|---|"
for k in "${sizes[@]}"; do row "${k}k" "$((k / 1000))M pairs, default set"; done
row rice6 "4M pairs, rice6 only"
row wide "4M pairs, panels + every 20th gene"
