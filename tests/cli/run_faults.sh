# ifnsig run under faults: killed (SIGKILL) while counting, merging and writing the report, then run again;
# a full and a read-only output file system; an input replaced by another file of the same name, size and
# mtime; scatter jobs writing into one OUTDIR at once. After every fault no file under a final name is
# partial (each equals the uninterrupted run's), and the rerun gives the uninterrupted run's tables.
source "$SRC/tests/lib.sh"
python3 "$SRC/tests/report/make_cohort.py" "$WORK/c" --controls 4 --high 3 --low 1 --depth 5
SHEET="$WORK/c/samples.tsv"
ANNOTATION="$WORK/c/annotation.gtf"
TABLES="counts.tsv counts.tsv.summary normalized.tsv scores.tsv calls.tsv signature_genes.tsv ifnsig_scores_mqc.tsv
        reference.json"
run() { "$IFNSIG" -q run --samples "$SHEET" -a "$ANNOTATION" -o "$@"; }

run "$WORK/ref" -T 2 >/dev/null || fail "the uninterrupted run failed"

# Every file under a final name equals the uninterrupted run's; nothing is left under a temporary name
# once a run has finished.
no_partial_outputs() {  # outdir, what happened
  local t f
  for t in $TABLES; do
    [ ! -e "$1/$t" ] || cmp -s "$1/$t" "$WORK/ref/$t" || fail "$2: $t is under its final name but differs"
  done
  for f in "$1"/samples/*.counts.tsv; do
    [ -e "$f" ] || continue
    cmp -s "$f" "$WORK/ref/samples/$(basename "$f")" || fail "$2: samples/$(basename "$f") is partial"
  done
}
same_as_uninterrupted() {  # outdir, what happened
  local t
  for t in $TABLES; do cmp -s "$1/$t" "$WORK/ref/$t" || fail "$2: $t differs from the uninterrupted run's"; done
  ! find "$1" -name '*.tmp.*' | grep -q . || fail "$2: temporary files left: $(find "$1" -name '*.tmp.*')"
  [ -s "$1/run.json" ] && [ -s "$1/report.html" ] || fail "$2: no run.json or report.html"
}

# Kill points: after the first per-sample counts appear (counting), when counts.tsv appears (merging,
# normalizing), when report.html's temporary file or calls.tsv appears (scoring, report).
kill_when() {  # outdir, shell test that names the moment
  local out=$1 moment=$2 pid i
  # Started as a plain command, so that $! is ifnsig itself (a backgrounded shell function would be a
  # subshell, and killing it would leave ifnsig running).
  "$IFNSIG" -q run --samples "$SHEET" -a "$ANNOTATION" -o "$out" -T 2 >/dev/null 2>&1 &
  pid=$!
  for ((i = 0; i < 20000; i++)); do
    eval "$moment" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.001
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  ! kill -0 "$pid" 2>/dev/null || fail "ifnsig (pid $pid) survived the kill"
}
moments=(
  'compgen -G "$out/samples/*.counts.tsv" >/dev/null'
  'compgen -G "$out/.ifnsig-gather.tmp.*/counts.tsv*" >/dev/null'
  'compgen -G "$out/.ifnsig-gather.tmp.*/calls.tsv" >/dev/null || compgen -G "$out/.ifnsig-gather.tmp.*/report.html*" >/dev/null'
)
for k in "${!moments[@]}"; do
  out="$WORK/kill$k"
  kill_when "$out" "${moments[k]}"
  echo "killed at moment $k; OUTDIR held: $(ls -A "$out" | tr '\n' ' ')"
  no_partial_outputs "$out" "killed at moment $k"
  run "$out" -T 2 >/dev/null || fail "the run after the kill at moment $k failed"
  same_as_uninterrupted "$out" "rerun after the kill at moment $k"
done

# A full and a read-only output file system: a clear error, a non-zero exit, nothing partial.
if mkdir -p "$WORK/full" "$WORK/ro" && mount -t tmpfs -o size=64k tmpfs "$WORK/full" 2>/dev/null; then
  trap 'umount "$WORK/full" "$WORK/ro" 2>/dev/null || true' EXIT
  expect_failure 1 "No space left on device" run "$WORK/full/out" -T 2
  no_partial_outputs "$WORK/full/out" "full file system"
  # Room for the per-sample counts but not for all of the cohort's outputs: the disk fills while merging,
  # normalizing, scoring or writing the report.
  umount "$WORK/full"
  samples_kb=$(du -sk "$WORK/ref/samples" | cut -f1) all_kb=$(du -sk "$WORK/ref" | cut -f1)
  mount -t tmpfs -o size=$((samples_kb + (all_kb - samples_kb) / 2))k tmpfs "$WORK/full"
  expect_failure 1 "No space left on device" run "$WORK/full/out" -T 2
  no_partial_outputs "$WORK/full/out" "file system full after counting"
  for t in $TABLES; do [ ! -e "$WORK/full/out/$t" ] || fail "$t was published by a run that failed"; done
  mount -t tmpfs -o ro,size=64k tmpfs "$WORK/ro" || fail "cannot mount a read-only tmpfs"
  expect_failure 1 "Read-only file system" run "$WORK/ro/out" -T 2
else
  echo "note: no tmpfs can be mounted here (not root?): the full and read-only file system cases are not run"
fi

# An input replaced by another file with the same name, size and mtime is counted again (its MD5 differs).
cp -r "$WORK/ref" "$WORK/replaced"
sam="$WORK/c/bam/S01.sam"
cp -p "$sam" "$WORK/S01.orig.sam"
python3 - "$sam" <<'PY'
import sys
path = sys.argv[1]
lines = open(path).read().split("\n")
for i, line in enumerate(lines):
    if line and not line.startswith("@"):
        fields = line.split("\t")
        fields[4] = fields[4][::-1]  # MAPQ 60 becomes 06: same size, other bytes
        lines[i] = "\t".join(fields)
        break
open(path, "w").write("\n".join(lines))
PY
touch -r "$WORK/S01.orig.sam" "$sam"
[ "$(stat -c %s "$sam")" = "$(stat -c %s "$WORK/S01.orig.sam")" ] || fail "the replacement's size differs"
run "$WORK/replaced" -T 2 >/dev/null || fail "the run after replacing S01 failed"
python3 -c 'import json,sys; c = json.load(open(sys.argv[1]))["samples_counted"]; assert c == ["S01"], c' \
  "$WORK/replaced/run.json" || fail "a replaced input of the same size and mtime was not counted again"
cp -p "$WORK/S01.orig.sam" "$sam"

# Scatter jobs for different samples into one OUTDIR at once, and the same sample twice at once.
samples=$(awk -F'\t' 'NR > 1 {print $1}' "$SHEET")
pids=()
for s in $samples S01; do
  run "$WORK/scatter" --sample "$s" -T 1 >/dev/null 2>"$WORK/scatter_$s.$RANDOM.log" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || true; done
run "$WORK/scatter" --gather -T 2 >/dev/null 2>"$WORK/gather.log" || fail "gather after concurrent scatter jobs failed: $(cat "$WORK/gather.log")"
same_as_uninterrupted "$WORK/scatter" "concurrent scatter jobs"
echo "every fault left complete outputs or none, and every rerun matched the uninterrupted run"
