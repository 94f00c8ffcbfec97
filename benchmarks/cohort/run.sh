#!/usr/bin/env bash
# ifnsig normalize and score at cohort scale (default 60,000 genes x 10,000 samples) beside R where R can run
# at all: wall time, CPU time and peak memory (/usr/bin/time -v) of each command, reading and writing included.
# The counts come from generate_counts.cpp (built here with g++; R's generate.R would take an hour), the sample
# sheet has 4 batches; score runs every method on every built-in panel, on ifnsig's TMM logCPM of the counts.
# R runs each task once under `timeout R_TIMEOUT` with its address space limited to R_MEMORY_KB (prlimit): at
# this size R usually runs out of memory, and that is its result ("out of memory", "timeout").
# Usage: benchmarks/cohort/run.sh [--genes G] [--samples N] [--tasks LIST] [--r-tasks LIST]
#   --tasks: comma-separated subset of tmm_logcpm,ratio_vst,combat,score (default all);
#   --r-tasks: the same for R (default none; R at 10,000 samples takes up to R_TIMEOUT per task).
#   Env: IFNSIG (default build/ifnsig), THREADS (2), WORKDIR (/var/tmp/ifnsig-cohort-bench: the matrix is
#   ~3 GB and each result ~11 GB), R_TIMEOUT (40m), R_MEMORY_KB (16000000), BENCH_TSV (rows to append, as
#   benchmarks/norm/run.sh writes them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
genes=60000 samples=10000 tasks=tmm_logcpm,ratio_vst,combat,score r_tasks=""
usage="usage: $0 [--genes G] [--samples N] [--tasks LIST] [--r-tasks LIST]"
while [ $# -gt 0 ]; do
  case $1 in
    --genes) genes=$2; shift ;;
    --samples) samples=$2; shift ;;
    --tasks) tasks=$2; shift ;;
    --r-tasks) r_tasks=$2; shift ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done
[[ $genes =~ ^[1-9][0-9]*$ && $samples =~ ^[0-9]+$ && $samples -ge 4 ]] ||
  { echo "$usage (--genes positive, --samples at least 4)" >&2; exit 2; }
for task in ${tasks//,/ } ${r_tasks//,/ }; do
  case $task in tmm_logcpm | ratio_vst | combat | score) ;; *) echo "unknown task '$task'" >&2; exit 2 ;; esac
done
IFNSIG=${IFNSIG:-$here/../../build/ifnsig}
THREADS=${THREADS:-2}
WORKDIR=${WORKDIR:-/var/tmp/ifnsig-cohort-bench}
R_TIMEOUT=${R_TIMEOUT:-40m}
R_MEMORY_KB=${R_MEMORY_KB:-16000000}
[ -x "$IFNSIG" ] || { echo "no ifnsig binary at $IFNSIG (set IFNSIG)" >&2; exit 1; }
data="$WORKDIR/${genes}x${samples}"
mkdir -p "$data"

panels=(rice6 isg4_az feng5 chiche_m1_2 chiche_m3_4 chiche_m5_12 hallmark_ifna hallmark_ifng ifn1_specific ifn2_specific)
for p in "${panels[@]}"; do
  "$IFNSIG" panels show "$p" | awk -v n="$p" '!/^#/ && $1 != "gene" {g = g "\t" $1} END {print n "\tifnsig" g}'
done >"$data/panels.gmt"
if [ ! -s "$data/counts.tsv" ]; then
  g++ -O2 -std=c++20 -o "$data/generate_counts" "$here/generate_counts.cpp"
  cut -f3- "$data/panels.gmt" | tr '\t' '\n' | awk 'NF && !seen[$1]++' >"$data/panel_genes.txt"
  echo "generating $genes x $samples counts in $data" >&2
  "$data/generate_counts" "$genes" "$samples" "$data/samples.tsv" "$data/panel_genes.txt" >"$data/counts.tmp"
  mv "$data/counts.tmp" "$data/counts.tsv"
fi

# measure NAME cmd...: prints "wall_s cpu_s peak_MiB", "timeout" or "out_of_memory" (R under its limits).
measure() {
  local name=$1 status=0; shift
  sync
  /usr/bin/time -v "$@" >"$data/$name.out" 2>"$data/$name.time" || status=$?
  if [ $status -eq 124 ]; then echo timeout; return; fi
  if [ $status -ne 0 ]; then
    if grep -Eq "cannot allocate|std::bad_alloc|Killed|signal 9" "$data/$name.time"; then echo out_of_memory; return; fi
    cat "$data/$name.time" >&2; exit 1
  fi
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
              /User time|System time/ { cpu += $2 }
              /Maximum resident set size/ { mem = $2 / 1024 }
              END { printf "%.2f %.2f %.0f\n", wall, cpu, mem }' "$data/$name.time"
}
declare -A ifnsig_args=(
  [tmm_logcpm]="normalize -i $data/counts.tsv --method tmm --transform logcpm"
  [ratio_vst]="normalize -i $data/counts.tsv --method ratio --transform vst"
  [combat]="normalize -i $data/counts.tsv --method tmm --transform logcpm --batch batch --samples $data/samples.tsv"
)
score_panels=()
for p in "${panels[@]}"; do score_panels+=(--panel "$p"); done
methods=(rice zscore-controls zscore-controls-mean module singscore singscore-unknown ssgsea gsva zscore plage)
score_methods=()
for m in "${methods[@]}"; do score_methods+=(--method "$m"); done
echo "| command | task | genes | samples | ifnsig wall s | ifnsig CPU s | ifnsig peak MiB | R |"
echo "|---|---|---:|---:|---:|---:|---:|---|"
for task in ${tasks//,/ }; do
  if [ "$task" = score ]; then
    [ -s "$data/tmm_logcpm.ifnsig.tsv" ] || { echo "score needs the tmm_logcpm task's output first" >&2; exit 1; }
    awk -F'\t' 'NR == 1 {print "sample\tgroup"; for (i = 2; i <= NF; i++) print $i "\t" (i <= 2 + NF / 10 ? "control" : "case"); exit}' \
      "$data/tmm_logcpm.ifnsig.tsv" >"$data/score_samples.tsv"
    cmd=("$IFNSIG" -q score -i "$data/tmm_logcpm.ifnsig.tsv" --samples "$data/score_samples.tsv" "${score_panels[@]}"
      "${score_methods[@]}" -T "$THREADS" -o "$data/score.ifnsig.tsv")
  else
    # shellcheck disable=SC2086
    cmd=("$IFNSIG" -q ${ifnsig_args[$task]} -T "$THREADS" -o "$data/$task.ifnsig.tsv")
  fi
  read -r wall cpu mib < <(measure "$task.ifnsig" "${cmd[@]}")
  r_result="-"
  if [[ ",$r_tasks," == *",$task,"* ]]; then
    if [ "$task" = score ]; then
      r_cmd=(Rscript "$here/../score/gsva.R" "$data/tmm_logcpm.ifnsig.tsv" "$data/panels.gmt" gsva "$THREADS" "$data/score.r.tsv")
    else
      r_cmd=(Rscript "$here/../norm/r_side.R" "$task" "$data/counts.tsv" "$data/samples.tsv" "$data/$task.r.tsv")
    fi
    r_result=$(measure "$task.r" prlimit --as=$((R_MEMORY_KB * 1024)) timeout "$R_TIMEOUT" "${r_cmd[@]}")
  fi
  command=$([ "$task" = score ] && echo score || echo normalize)
  echo "| $command | $task | $genes | $samples | $wall | $cpu | $mib | $r_result |"
  if [ -n "${BENCH_TSV:-}" ]; then
    read -r r_wall _r_cpu r_mib <<<"$r_result"
    printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$([ "$task" = score ] && echo score || echo norm)" \
      "$([ "$task" = score ] && echo "all methods" || echo "$task")" "$genes" "$samples" "$wall" "$cpu" "$mib" \
      "$r_wall" "${r_mib:--}" >>"$BENCH_TSV"
  fi
done
