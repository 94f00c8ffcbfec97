# `-T N` means N cores from start to finish: `ifnsig count -T 1` never runs a second thread (no TBB worker,
# no HTSlib pool, no checksum thread), while it reads a large annotation, builds the feature index and
# counts. The process's threads (/proc/PID/task) are sampled every millisecond; -T 2 must show more than one,
# so that the sampling is known to see threads.
# Not named count_*: scripts/test.sh --sanitize runs those, and LeakSanitizer starts a thread of its own at exit.
source "$SRC/tests/lib.sh"
BAM="$SRC/examples/data/bam/sample01.bam"
# 300,000 exons on the example's contigs: long enough to read and index that a stray thread would be seen.
awk 'BEGIN { OFS = "\t"; split("chr1 chr2 chr4 chr5", contigs, " ");
  for (g = 0; g < 60000; ++g) for (e = 0; e < 5; ++e) {
    start = 1000 + (g * 997 + e * 151) % 70000000
    print contigs[g % 4 + 1], "t", "exon", start, start + 120, ".", (g % 2 ? "+" : "-"), ".", "gene_id \"g" g "\";" } }' \
  >"$WORK/big.gtf"
max_threads() {  # prints the largest thread count seen while `ifnsig count -T $1` ran
  python3 - "$IFNSIG" "$1" "$WORK/big.gtf" "$BAM" "$WORK/counts_$1.tsv" <<'PY'
import os, subprocess, sys, time
ifnsig, threads, gtf, bam, out = sys.argv[1:]
p = subprocess.Popen([ifnsig, "-q", "count", "-T", threads, "-p", "--countReadPairs", "-a", gtf, "-o", out, bam])
most = 0
while p.poll() is None:
    try:
        most = max(most, len(os.listdir(f"/proc/{p.pid}/task")))
    except FileNotFoundError:
        break
    time.sleep(0.001)
sys.exit(p.returncode or print(most))
PY
}
one=$(max_threads 1) || fail "ifnsig count -T 1 failed"
two=$(max_threads 2) || fail "ifnsig count -T 2 failed"
echo "threads seen: -T 1: $one, -T 2: $two"
[ "$one" -eq 1 ] || fail "ifnsig count -T 1 ran $one threads at once"
[ "$two" -gt 1 ] || fail "the sampling saw no second thread at -T 2: it cannot tell"
cmp <(tail -n +2 "$WORK/counts_1.tsv") <(tail -n +2 "$WORK/counts_2.tsv") || fail "-T 1 and -T 2 counts differ"
