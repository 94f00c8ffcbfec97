#!/usr/bin/env bash
# How counting scales with cores: ifnsig count, featureCounts and `samtools view -c` on the simulated 4M-pair
# BAM (coordinate-sorted, benchmarks/cache) at -T 1, 2, 4, ... up to nproc, taking turns, median of REPS
# rounds. Prints a Markdown section: wall time and speed-up over 1 thread per tool, and ifnsig's serial share
# (OUT.json's profile: the CPU of the stages that run one batch at a time, at the top thread count) with the
# Amdahl limit it implies, 1 / serial_share, and the speed-up it allows at each thread count.
# Usage: benchmarks/count/scaling.sh   (env IFNSIG=path/to/ifnsig, default build/ifnsig; REPS=3; PAIRS_K=4000)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/benchmarks/lib.sh"
counting_script_setup work-scaling
SAF=$(fetch_saf)
BAM=$(simulate "${PAIRS_K:-4000}")
: >"$WORK/runs.tsv"
: >"$WORK/times.tsv"
threads=(1)
while [ $((threads[-1] * 2)) -le "$(nproc)" ]; do threads+=($((threads[-1] * 2))); done
[ "${threads[-1]}" -eq "$(nproc)" ] || threads+=("$(nproc)")
for t in "${threads[@]}"; do
  log "coordinate-sorted, $t thread(s), $REPS rounds"
  compare_counting "$BAM" coordinate "$t"
done
top=${threads[-1]}
serial=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["inputs"][0]["profile"]["serial_share"])' \
  "$WORK/if_coordinate_$top.txt.json")
stages=$(python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["inputs"][0]["profile"]["stages"]
total = sum(s["cpu_seconds"] for s in p.values())
print(", ".join("%s %.1f%%" % (name, 100 * s["cpu_seconds"] / total) for name, s in p.items()))' "$WORK/if_coordinate_$top.txt.json")
fmt() { awk -v x="$1" 'BEGIN {printf "%.2f", x}'; }
echo "## Counting on more cores: speed-up and serial share ($(date -u +'%Y-%m-%d %H:%M') UTC, $(nproc) cores)"
echo
echo "$("$IFNSIG" --version); featureCounts $(featureCounts -v 2>&1 | grep -o 'v[0-9.]*' | head -1); $(samtools --version | head -1)."
echo "4M read pairs, coordinate-sorted, options \`${COUNT_OPTS[*]}\`, hg38 RefSeq SAF; the tools take turns, median of"
echo "$REPS rounds (\`benchmarks/count/scaling.sh\`)."
echo
echo "| threads | ifnsig wall s | speed-up | featureCounts wall s | speed-up | samtools view -c wall s | speed-up | Amdahl bound for ifnsig |"
echo "|---|---|---|---|---|---|---|---|"
for t in "${threads[@]}"; do
  row="| $t"
  for tool in ifnsig featureCounts samtools; do
    row="$row | $(get "$tool/coordinate/$t" 2) | $(fmt "$(awk -v a="$(get "$tool/coordinate/1" 2)" -v b="$(get "$tool/coordinate/$t" 2)" 'BEGIN {print a / b}')")x"
  done
  echo "$row | $(fmt "$(awk -v s="$serial" -v n="$t" 'BEGIN {print 1 / (s + (1 - s) / n)}')")x |"
done
echo
echo "ifnsig's serial share at -T $top: $(fmt "$(awk -v s="$serial" 'BEGIN {print 100 * s}')")% of the counting CPU"
echo "(stages: $stages), so no number of cores can make it more than $(fmt "$(awk -v s="$serial" 'BEGIN {print 1 / s}')")x faster than one."
