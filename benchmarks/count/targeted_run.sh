#!/usr/bin/env bash
# A whole `ifnsig run` job of one sample against a frozen reference (start-up, annotation, counting, normalizing,
# scoring, report), reading only the reference's genes (--targeted) against counting the whole file, on the
# simulated coordinate-sorted BAMs (benchmarks/cache) of 1M, 4M and 16M pairs: the two take turns, median of
# REPS rounds, at -T 2. The reference: `ifnsig run` over those BAMs as controls (200 normalizer genes, rice6).
# Prints a Markdown section.
# Usage: benchmarks/count/targeted_run.sh   (env IFNSIG=path/to/ifnsig, default build/ifnsig; REPS=5; SIZES="1000 4000 16000")
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/benchmarks/lib.sh"
REPS=${REPS:-5}
counting_script_setup work-run-targeted
SAF=$(fetch_saf)
read -r -a sizes <<<"${SIZES:-1000 4000 16000}"
: >"$WORK/runs.tsv"
: >"$WORK/times.tsv"

printf 'sample\tbam\tgroup\n' >"$WORK/reference.tsv"
for k in "${sizes[@]}"; do
  printf 'S%sk\t%s\tcontrol\n' "$k" "$(simulate "$k")" >>"$WORK/reference.tsv"
done
log "fitting the reference on ${sizes[*]}k pairs"
"$IFNSIG" -q run --samples "$WORK/reference.tsv" -a "$SAF" -o "$WORK/reference" -T 2 >/dev/null
reference=$WORK/reference/reference.json

# One job: a fresh output directory each time, so that nothing is reused.
job() {  # k mode
  local k=$1 mode=$2 targeted=()
  [ "$mode" = targeted ] && targeted=(--targeted)
  printf 'sample\tbam\tgroup\nS\t%s\tpatient\n' "$(simulate "$k")" >"$WORK/one_$k.tsv"
  rm -rf "$WORK/out_${mode}_$k"
  run_once "${mode}_$k" "$IFNSIG" -q run --samples "$WORK/one_$k.tsv" -a "$SAF" -o "$WORK/out_${mode}_$k" -T 2 \
    --reference "$reference" "${targeted[@]}"
}
for k in "${sizes[@]}"; do
  log "${k}k pairs: one-sample run jobs, whole file and --targeted, $REPS rounds"
  for ((r = 0; r < REPS; r++)); do
    job "$k" whole
    job "$k" targeted
  done
  summarize "whole_$k"
  summarize "targeted_$k"
done

echo "## One-sample \`run --reference --targeted\` jobs ($(date -u +'%Y-%m-%d %H:%M') UTC, $(nproc) cores)"
echo
echo "$("$IFNSIG" --version). \`ifnsig run\` of a one-sample sheet against a frozen reference, -T 2, hg38 RefSeq SAF,"
echo "simulated coordinate-sorted BAMs with their .bai; whole-file counting and \`--targeted\` take turns, median wall"
echo "time and peak memory of $REPS rounds, start-up to report (\`benchmarks/count/targeted_run.sh\`)."
echo
echo "| input | whole-file job s | --targeted job s | ratio | --targeted peak MiB | rice6 score whole / targeted |"
echo "|---|---|---|---|---|---|"
score() { awk -F'\t' 'NR == 2 {printf "%.4f", $4}' "$WORK/out_$1/scores.tsv"; }
for k in "${sizes[@]}"; do
  whole=$(get "whole_$k" 2) targeted=$(get "targeted_$k" 2)
  printf '| %sM pairs | %s | %s | %s | %s | %s / %s |\n' "$((k / 1000))" "$whole" "$targeted" \
    "$(awk -v a="$targeted" -v b="$whole" 'BEGIN {printf "%.3f", a / b}')" "$(get "targeted_$k" 4)" \
    "$(score "whole_$k")" "$(score "targeted_$k")"
done
