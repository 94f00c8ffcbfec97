#!/usr/bin/env bash
# Benchmark of `ifnsig score` beside GSVA 1.46 (R): all built-in panels x all methods on a generated,
# seeded 20,000 genes x 2,000 samples matrix (--quick: x 200 samples). Prints a Markdown section.
# Usage: benchmarks/score/run.sh [--quick] [--genes G] [--samples N]
#        (env IFNSIG=path/to/ifnsig, THREADS=2, WORK=scratch dir, BENCH_TSV=rows to append to)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
IFNSIG=${IFNSIG:-$ROOT/build/ifnsig}
THREADS=${THREADS:-2}
GENES=20000
SAMPLES=2000
while [ $# -gt 0 ]; do
  case $1 in
    --quick) SAMPLES=200; shift ;;
    --genes) GENES=${2:?--genes needs a number}; shift 2 ;;
    --samples) SAMPLES=${2:?--samples needs a number}; shift 2 ;;
    *) echo "usage: $0 [--quick] [--genes G] [--samples N]" >&2; exit 2 ;;
  esac
done
[[ $GENES =~ ^[1-9][0-9]*$ && $SAMPLES =~ ^[1-9][0-9]*$ && $SAMPLES -ge 4 ]] ||
  { echo "--genes and --samples take positive integers (at least 4 samples)" >&2; exit 2; }
WORK=${WORK:-/tmp/ifnsig-score-bench}
mkdir -p "$WORK"
[ -x /usr/bin/time ] || sudo apt-get install -y --no-install-recommends time >/dev/null
[ -x "$IFNSIG" ] || { echo "no ifnsig binary at $IFNSIG (set IFNSIG)" >&2; exit 1; }
PANELS=(rice6 isg4_az feng5 chiche_m1_2 chiche_m3_4 chiche_m5_12 hallmark_ifna hallmark_ifng)
METHODS=(rice zscore-controls zscore-controls-mean module singscore singscore-unknown ssgsea gsva zscore plage)

# The panels as a GMT (published symbols; the generated matrix uses them too).
for p in "${PANELS[@]}"; do
  "$IFNSIG" panels show "$p" | awk -v n="$p" '!/^#/ && $1 != "gene" {g = g "\t" $1} END {print n "\tifnsig" g}'
done >"$WORK/panels.gmt"
cut -f3- "$WORK/panels.gmt" | tr '\t' '\n' | awk '!seen[$1]++' >"$WORK/panel_genes.txt"
N_PANEL_GENES=$(wc -l <"$WORK/panel_genes.txt")
[ "$GENES" -gt "$N_PANEL_GENES" ] || { echo "--genes must exceed the $N_PANEL_GENES panel genes" >&2; exit 2; }
EXPR="$WORK/expr_${GENES}x${SAMPLES}.tsv"
if [ ! -s "$EXPR" ]; then
  awk -v genes=$GENES -v samples=$SAMPLES -v seed=20261124 -v sheet="$WORK/samples_$SAMPLES.tsv" \
    -f "$HERE/generate.awk" "$WORK/panel_genes.txt" >"$EXPR.tmp" && mv "$EXPR.tmp" "$EXPR"
fi

# measure NAME cmd...: wall seconds (to the millisecond), then peak RSS (MiB) and CPU seconds (user + system)
# from /usr/bin/time -v.
measure() {
  local name=$1; shift
  local start end rss cpu
  start=$(date +%s.%N)
  /usr/bin/time -v "$@" >"$WORK/$name.out" 2>"$WORK/$name.time" || { cat "$WORK/$name.time" >&2; exit 1; }
  end=$(date +%s.%N)
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$WORK/$name.time")
  cpu=$(awk -F': ' '/(User|System) time/ {s += $2} END {printf "%.2f", s}' "$WORK/$name.time")
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}') $rss $cpu"
}
PANEL_ARGS=()
for p in "${PANELS[@]}"; do PANEL_ARGS+=(--panel "$p"); done
METHOD_ARGS=()
for m in "${METHODS[@]}"; do METHOD_ARGS+=(--method "$m"); done
SCORE=("$IFNSIG" -q score -i "$EXPR" --samples "$WORK/samples_$SAMPLES.tsv" -T "$THREADS" "${PANEL_ARGS[@]}")

row() {  # task, ifnsig result, R result
  local task=$1 ours=($2) theirs=($3)
  if [ ${#theirs[@]} -eq 0 ]; then
    printf "| %s | %.3f | – | – | %s | – |\n" "$task" "${ours[0]}" "${ours[1]}"
  else
    printf "| %s | %.3f | %.2f | %.1fx | %s | %s |\n" "$task" "${ours[0]}" "${theirs[0]}" \
      "$(echo "${theirs[0]} ${ours[0]}" | awk '{print ($2 > 0 ? $1 / $2 : 0)}')" "${ours[1]}" "${theirs[1]}"
  fi
}

# The machine's speed drifts by 20-30% within an hour. One R run lasts minutes and averages the drift;
# one ifnsig run lasts seconds and catches a moment of it. So ifnsig runs three times, before R, after R
# and at the end, and the run with the median wall time is compared.
gsva_ours() { measure "ifnsig_gsva_$1" "${SCORE[@]}" --method gsva -o "$WORK/ifnsig_gsva.tsv"; }
ssgsea_ours() { measure "ifnsig_ssgsea_$1" "${SCORE[@]}" --method ssgsea --ssgsea-norm -o "$WORK/ifnsig_ssgsea.tsv"; }
median_run() { printf '%s\n' "$@" | sort -g -k1,1 | sed -n 2p; }  # of three "wall rss cpu" results
gsva_runs=("$(gsva_ours 1)")
gsva_r=$(measure r_gsva Rscript "$HERE/gsva.R" "$EXPR" "$WORK/panels.gmt" gsva "$THREADS" "$WORK/r_gsva.tsv")
gsva_runs+=("$(gsva_ours 2)")
ssgsea_runs=("$(ssgsea_ours 1)")
ssgsea_r=$(measure r_ssgsea Rscript "$HERE/gsva.R" "$EXPR" "$WORK/panels.gmt" ssgsea "$THREADS" "$WORK/r_ssgsea.tsv")
ssgsea_runs+=("$(ssgsea_ours 2)")
all_ours=$(measure ifnsig_all "${SCORE[@]}" "${METHOD_ARGS[@]}" -o "$WORK/ifnsig_all.tsv")
gsva_runs+=("$(gsva_ours 3)")
ssgsea_runs+=("$(ssgsea_ours 3)")
gsva_ours=$(median_run "${gsva_runs[@]}")
ssgsea_ours=$(median_run "${ssgsea_runs[@]}")
walls() { printf '%s\n' "$@" | awk '{printf "%s%.1f", (NR > 1 ? " / " : ""), $1}'; }

# With BENCH_TSV set (benchmarks/run), one row per task is appended: part, task, genes, samples,
# ifnsig wall s, ifnsig CPU s, ifnsig peak MiB, R wall s, R peak MiB ("-" without an R counterpart).
tsv_row() {  # task, ifnsig result, R result
  local task=$1 ours=($2) theirs=($3)
  printf "score\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$task" "$GENES" "$SAMPLES" "${ours[0]}" "${ours[2]}" \
    "${ours[1]}" "${theirs[0]:--}" "${theirs[1]:--}"
}
if [ -n "${BENCH_TSV:-}" ]; then
  {
    tsv_row gsva "$gsva_ours" "$gsva_r"
    tsv_row ssgsea "$ssgsea_ours" "$ssgsea_r"
    tsv_row "all methods" "$all_ours" ""
  } >>"$BENCH_TSV"
fi

cat <<MD
### ifnsig score vs GSVA 1.46: ${GENES} genes x ${SAMPLES} samples, ${#PANELS[@]} panels, ${THREADS} threads

Generated seeded matrix (benchmarks/score/generate.awk), $(nproc) cores, $(date -u +%Y-%m-%d).
Wall time (date, to the millisecond) and peak memory (/usr/bin/time -v) of the whole process, reading the matrix included.
ifnsig runs before R, after R and at the end; the table shows the median run (gsva runs: $(walls "${gsva_runs[@]}") s;
ssgsea runs: $(walls "${ssgsea_runs[@]}") s).
R: GSVA $(Rscript -e 'cat(as.character(packageVersion("GSVA")))' 2>/dev/null) with BiocParallel (${THREADS} workers); ifnsig -T ${THREADS}.

| task | ifnsig wall s | R wall s | ratio (R/ifnsig) | ifnsig peak MiB | R peak MiB |
|---|---|---|---|---|---|
$(row "gsva (Gaussian kernel), ${#PANELS[@]} panels" "$gsva_ours" "$gsva_r")
$(row "ssgsea (normalized), ${#PANELS[@]} panels" "$ssgsea_ours" "$ssgsea_r")
$(row "all ${#METHODS[@]} methods x ${#PANELS[@]} panels (ifnsig only)" "$all_ours" "")
MD
