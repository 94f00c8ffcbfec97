#!/usr/bin/env bash
# `ifnsig run --gather` over a cohort of per-sample count files (default 20,000 genes x 10,000 samples), and
# the step a growing cohort redoes: GROW more samples are added to the sheet and `ifnsig run` counts only those,
# then merges, normalizes and scores the whole cohort again. Prints wall time, CPU time and peak memory
# (/usr/bin/time -v) of each command, and run.json's timings.
# The annotation has GENES one-exon genes (the rice6 genes first, so the default panel scores); one small SAM
# is counted by `ifnsig run --sample`, and its files are cloned for every other sample with new counts
# (make_sample_files.cpp); the sheet's alignments are hard links to that SAM, so every sample's record
# matches its alignment as a counted one would. The GROW new samples are counted for real (copies of the SAM).
# Usage: benchmarks/cohort/gather.sh   Env: IFNSIG (build/ifnsig), THREADS (2), GENES (20000), SAMPLES (10000),
#   GROW (100), WORKDIR (/var/tmp/ifnsig-gather-bench; ~2.5 GB at the defaults).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
IFNSIG=${IFNSIG:-$here/../../build/ifnsig}
THREADS=${THREADS:-2} GENES=${GENES:-20000} SAMPLES=${SAMPLES:-10000} GROW=${GROW:-100}
WORKDIR=${WORKDIR:-/var/tmp/ifnsig-gather-bench}
[ -x "$IFNSIG" ] || { echo "no ifnsig binary at $IFNSIG (set IFNSIG)" >&2; exit 1; }
data="$WORKDIR/${GENES}x${SAMPLES}"
rm -rf "$data" && mkdir -p "$data/bam"

python3 - "$data" "$GENES" <<'PY'
import os, random, sys
data, n = sys.argv[1], int(sys.argv[2])
rice6 = ["IFI27", "IFI44L", "IFIT1", "ISG15", "RSAD2", "SIGLEC1"]
names = rice6 + ["GENE%05d" % g for g in range(len(rice6), n)]
rng = random.Random(7)
with open(os.path.join(data, "annotation.gtf"), "w") as gtf:
    for g, name in enumerate(names):
        start = 1000 + 2000 * g
        gtf.write('chr1\tsim\texon\t%d\t%d\t.\t+\t.\tgene_id "ENSG%011d"; transcript_id "T%d"; gene_name "%s";\n'
                  % (start, start + 999, g + 1, g + 1, name))
lines = ["@HD\tVN:1.6\tSO:coordinate", "@SQ\tSN:chr1\tLN:%d" % (2000 * n + 2000)]
reads = sorted(1000 + 2000 * rng.randrange(n) + rng.randrange(950) for _ in range(20 * n))
lines += ["r%d\t0\tchr1\t%d\t60\t50M\t*\t0\t0\t*\t*\tNH:i:1" % (i, pos) for i, pos in enumerate(reads)]
open(os.path.join(data, "template.sam"), "w").write("\n".join(lines) + "\n")
PY
# 10% controls; the alignments are hard links, made before the template is counted (a new link changes the
# file's status-change time, which the records hold).
awk -v n="$SAMPLES" -v grow="$GROW" 'BEGIN {
  print "sample\tbam\tgroup" > "'"$data"'/samples.tsv"; print "sample\tbam\tgroup" > "'"$data"'/grown.tsv"
  for (i = 1; i <= n + grow; i++) {
    line = sprintf("S%05d\tbam/S%05d.sam\t%s", i, i, i % 10 == 1 ? "control" : "patient")
    if (i <= n) print line > "'"$data"'/samples.tsv"
    print line > "'"$data"'/grown.tsv"
  }}'
(cd "$data/bam" && for i in $(seq -f %05g 1 "$SAMPLES"); do ln ../template.sam "S$i.sam"; done
 for i in $(seq -f %05g $((SAMPLES + 1)) $((SAMPLES + GROW))); do cp ../template.sam "S$i.sam"; done)
g++ -O2 -std=c++20 -o "$data/make_sample_files" "$here/make_sample_files.cpp"
"$IFNSIG" -q run --samples "$data/samples.tsv" -a "$data/annotation.gtf" -o "$data/out" --sample S00001 -T 1
/usr/bin/time -v "$data/make_sample_files" "$data/out/samples" S00001 "$data/samples.tsv" 6 2>"$data/clone.time"

measure() {  # NAME cmd...: "wall_s cpu_s peak_MiB" of the command
  local name=$1; shift
  sync
  /usr/bin/time -v "$@" >"$data/$name.out" 2>"$data/$name.time" || { cat "$data/$name.time" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
              /User time|System time/ { cpu += $2 }
              /Maximum resident set size/ { mem = $2 / 1024 }
              END { printf "%.2f %.2f %.0f\n", wall, cpu, mem }' "$data/$name.time"
}
timings() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(", ".join("%s %.2f" % kv for kv in d["timings_seconds"].items()), "; counted", len(d["samples_counted"]))' "$1/run.json"; }
echo "| command | genes | samples | wall s | CPU s | peak MiB | run.json timings (s) |"
echo "|---|---:|---:|---:|---:|---:|---|"
read -r wall cpu mib < <(measure gather "$IFNSIG" -q run --samples "$data/samples.tsv" -a "$data/annotation.gtf" -o "$data/out" --gather -T "$THREADS")
echo "| run --gather | $GENES | $SAMPLES | $wall | $cpu | $mib | $(timings "$data/out") |"
read -r wall cpu mib < <(measure grow "$IFNSIG" -q run --samples "$data/grown.tsv" -a "$data/annotation.gtf" -o "$data/out" -T "$THREADS")
echo "| run (+$GROW samples) | $GENES | $((SAMPLES + GROW)) | $wall | $cpu | $mib | $(timings "$data/out") |"
