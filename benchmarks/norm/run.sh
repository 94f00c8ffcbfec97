#!/usr/bin/env bash
# ifnsig normalize beside edgeR, DESeq2 and sva on a generated cohort: wall time, peak memory and the
# largest difference, printed as a Markdown section.
# Usage: benchmarks/norm/run.sh [--quick] [--genes G] [--samples N] [--threads N] [--tasks LIST] [--r-timeout S]
#   default 60,000 genes x 2,000 samples (the issue's size); --quick 20,000 x 200; --genes/--samples set either
#   (after --quick, they override it). --tasks: comma-separated subset of tmm_logcpm,ratio_vst,combat.
#   --r-timeout S: stop an R run after S seconds and report it as "> S" (R's DESeq2 VST alone takes about
#   half an hour of CPU at the full size). IFNSIG=path/to/ifnsig (default build/ifnsig),
#   WORKDIR=scratch directory (default /tmp/ifnsig-norm-bench), BENCH_TSV=file to append machine-readable rows to.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
genes=60000 samples=2000 threads=2 tasks=tmm_logcpm,ratio_vst,combat r_timeout=0
usage="usage: $0 [--quick] [--genes G] [--samples N] [--threads N] [--tasks LIST] [--r-timeout SECONDS]"
while [ $# -gt 0 ]; do
  case $1 in
    --quick) genes=20000 samples=200 ;;
    --genes) genes=$2; shift ;;
    --samples) samples=$2; shift ;;
    --threads) threads=$2; shift ;;
    --tasks) tasks=$2; shift ;;
    --r-timeout) r_timeout=$2; shift ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done
for n in "$genes" "$samples" "$threads" "$r_timeout"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "$usage (numbers expected, got '$n')" >&2; exit 2; }
done
[ "$samples" -ge 4 ] || { echo "--samples must be at least 4 (ComBat needs every one of the 4 batches)" >&2; exit 2; }
for task in ${tasks//,/ }; do
  case $task in tmm_logcpm | ratio_vst | combat) ;; *) echo "unknown task '$task' in --tasks" >&2; exit 2 ;; esac
done
IFNSIG=${IFNSIG:-$here/../../build/ifnsig}
WORKDIR=${WORKDIR:-/tmp/ifnsig-norm-bench}
[ -x "$IFNSIG" ] || { echo "no ifnsig binary at $IFNSIG (set IFNSIG)" >&2; exit 1; }
if [ ! -x /usr/bin/time ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y --no-install-recommends time >/dev/null
fi
data="$WORKDIR/${genes}x${samples}"
mkdir -p "$data"
if [ ! -f "$data/counts.tsv" ]; then
  echo "generating $genes x $samples counts in $data" >&2
  Rscript "$here/generate.R" "$genes" "$samples" "$data"
fi

# Runs a command under /usr/bin/time -v; prints "wall_seconds cpu_seconds peak_MiB", or "timeout" when the
# command was stopped by `timeout`. Each side writes a 2 GB result: `sync` first, so that neither run pays for
# flushing the previous run's output to disk (the kernel throttles writers once too much data is unwritten).
measure() {
  local log=$1 status=0; shift
  sync
  /usr/bin/time -v "$@" 2>"$log" >/dev/null || status=$?
  if [ $status -eq 124 ]; then echo timeout; return; fi
  [ $status -eq 0 ] || { cat "$log" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
              /User time|System time/ { cpu += $2 }
              /Maximum resident set size/ { mem = $2 / 1024 }
              END { printf "%.2f %.2f %.0f\n", wall, cpu, mem }' "$log"
}

declare -A ifnsig_args=(
  [tmm_logcpm]="--method tmm --transform logcpm"
  [ratio_vst]="--method ratio --transform vst"
  [combat]="--method tmm --transform logcpm --batch batch --samples $data/samples.tsv"
)
echo "## ifnsig normalize vs R ($genes genes x $samples samples, ifnsig -T $threads)"
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); $($IFNSIG --version)."
echo "R: $(Rscript -e 'cat(R.version.string)' 2>/dev/null), DESeq2 $(Rscript -e 'cat(format(packageVersion("DESeq2")))' 2>/dev/null), edgeR $(Rscript -e 'cat(format(packageVersion("edgeR")))' 2>/dev/null), sva $(Rscript -e 'cat(format(packageVersion("sva")))' 2>/dev/null). Both sides read the TSV and write the result."
echo
echo "| task | ifnsig wall s | R wall s | speed-up (wall) | ifnsig CPU s | R CPU s | speed-up (CPU) | ifnsig peak MiB | R peak MiB | max abs diff | max rel diff |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
r_limit=(); [ "$r_timeout" -gt 0 ] && r_limit=(timeout "$r_timeout")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", b / (a > 0 ? a : 0.01) }'; }
for task in ${tasks//,/ }; do
  # shellcheck disable=SC2086
  read -r i_wall i_cpu i_mem < <(measure "$data/$task.ifnsig.time" "$IFNSIG" -q normalize -i "$data/counts.tsv" \
    ${ifnsig_args[$task]} -T "$threads" -o "$data/$task.ifnsig.tsv")
  read -r r_wall r_cpu r_mem < <(measure "$data/$task.r.time" "${r_limit[@]}" Rscript "$here/r_side.R" "$task" \
    "$data/counts.tsv" "$data/samples.tsv" "$data/$task.r.tsv")
  # With BENCH_TSV set (benchmarks/run's cohort scaling), one row per task: part, task, genes, samples,
  # ifnsig wall s, CPU s, peak MiB, R wall s, R peak MiB.
  if [ -n "${BENCH_TSV:-}" ]; then
    printf "norm\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$task" "$genes" "$samples" "$i_wall" "$i_cpu" "$i_mem" \
      "$([ "$r_wall" = timeout ] && echo "> $r_timeout" || echo "$r_wall")" "$([ "$r_wall" = timeout ] && echo - || echo "$r_mem")" >>"$BENCH_TSV"
  fi
  if [ "$r_wall" = timeout ]; then
    echo "| $task | $i_wall | > $r_timeout | > $(ratio "$i_wall" "$r_timeout") | $i_cpu | - | - | $i_mem | - | - | - |"
    continue
  fi
  diff=$(python3 "$here/../../tests/compare/norm_compare.py" "$data/$task.ifnsig.tsv" "$data/$task.r.tsv" 1 1 |
    sed -E 's/.*max rel diff ([^ ]+) .*max abs ([^ ]+).*/\2 \1/')
  echo "| $task | $i_wall | $r_wall | $(ratio "$i_wall" "$r_wall") | $i_cpu | $r_cpu | $(ratio "$i_cpu" "$r_cpu") | $i_mem | $r_mem | ${diff% *} | ${diff#* } |"
done
echo
echo "CPU = user + system seconds (the fairer figure on a shared machine; ifnsig's CPU/wall ratio shows its parallelism)."
echo "Differences: max over all cells of |ifnsig - R| and of |ifnsig - R| / max(|R|, 1) (R prints 15 digits)."
