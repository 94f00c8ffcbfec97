#!/usr/bin/env bash
# The counting benchmark alone (the first section of benchmarks/run, about 5 minutes): ifnsig count,
# featureCounts and `samtools view -c` on the simulated 4M-pair hg38 BAM (benchmarks/cache, made on first use),
# coordinate- and name-sorted, at 1 and 2 threads, taking turns, median of REPS rounds. Prints a Markdown
# section with the issue's targets (2 threads, coordinate-sorted), every round of that row and each round's
# ratios.
# Usage: benchmarks/count/run.sh   (env IFNSIG=path/to/ifnsig, default build/ifnsig; REPS=3)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/benchmarks/lib.sh"
counting_script_setup work-count
SAF=$(fetch_saf)
MAIN=$(simulate 4000)
NAME_SORTED=$(name_sorted "$MAIN")
: >"$WORK/runs.tsv"
: >"$WORK/times.tsv"
for order in coordinate name; do
  input=$MAIN; [ $order = name ] && input=$NAME_SORTED
  for t in 1 2; do
    log "$order-sorted, $t thread(s), $REPS rounds"
    compare_counting "$input" "$order" "$t"
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "## Counting 4M read pairs: ifnsig count, featureCounts, samtools view -c ($(date -u +'%Y-%m-%d %H:%M') UTC)"
echo
echo "$("$IFNSIG" --version); featureCounts $(featureCounts -v 2>&1 | grep -o 'v[0-9.]*' | head -1); $(samtools --version | head -1)."
echo "Options \`${COUNT_OPTS[*]}\`, hg38 RefSeq SAF; the tools take turns, median of $REPS rounds (\`benchmarks/count/run.sh\`)."
echo
echo "| input order | threads | tool | wall s | CPU s | peak MB | wall / featureCounts | identical to featureCounts |"
echo "|---|---|---|---|---|---|---|---|"
for order in coordinate name; do
  for t in 1 2; do
    fc=$(get "featureCounts/$order/$t" 2)
    for tool in ifnsig featureCounts samtools; do
      same="-"; [ $tool = ifnsig ] && same=$(cut -f1 "$WORK/agree_${order}_$t.txt")
      echo "| $order | $t | $tool | $(get "$tool/$order/$t" 2) | $(get "$tool/$order/$t" 3) | $(get "$tool/$order/$t" 4) | $(ratio "$(get "$tool/$order/$t" 2)" "$fc") | $same |"
    done
  done
done
ours=$(get ifnsig/coordinate/2 2) fc=$(get featureCounts/coordinate/2 2) st=$(get samtools/coordinate/2 2)
met() { awk -v a="$1" -v b="$2" 'BEGIN {print (a <= b ? "met" : "**not met**")}'; }
echo
echo "Targets (2 threads, coordinate-sorted):"
echo "- wall <= 0.4x featureCounts: $ours s vs $fc s = $(ratio "$ours" "$fc")x - $(met "$ours" "$(awk -v f="$fc" 'BEGIN {print 0.4 * f}')")"
echo "- wall <= samtools view -c -@2: $ours s vs $st s = $(ratio "$ours" "$st")x - $(met "$ours" "$st")"
echo "- peak memory <= featureCounts': $(get ifnsig/coordinate/2 4) MB vs $(get featureCounts/coordinate/2 4) MB - $(met "$(get ifnsig/coordinate/2 4)" "$(get featureCounts/coordinate/2 4)")"
echo
echo "Each round of that row (wall s): $(for tool in ifnsig featureCounts samtools; do printf '%s %s; ' "$tool" "$(runs_of "$tool/coordinate/2" 2 | paste -sd/)"; done)"
# Rounds are paired (the tools run one after another), so a round's ratio is spared most of the machine's drift.
round_ratios() {  # OTHER_TOOL -> "r1/r2/...; median m"
  local ratios
  ratios=$(paste <(runs_of ifnsig/coordinate/2 2) <(runs_of "$1/coordinate/2" 2) | awk '{printf "%.2f\n", $1 / $2}')
  echo "$(echo "$ratios" | paste -sd/); median $(median $ratios)"
}
echo "Ratios round by round: ifnsig / featureCounts $(round_ratios featureCounts); ifnsig / samtools $(round_ratios samtools)."
