# --annotation-cache DIR: the first count parses the annotation and keeps a copy (with its MD5) in DIR, the next
# ones read the copy; the tables and OUT.json's annotation are the same either way. A changed annotation file, or
# other annotation options, get a copy of their own; a damaged copy is read past (the annotation is parsed and
# the copy written again); a directory that cannot be written is a warning, not an error; $IFNSIG_ANNOTATION_CACHE
# sets the directory; `run` gives the same tables with a cache.
source "$SRC/tests/lib.sh"
FIX="$SRC/tests/fixtures/count"
cp "$FIX/pairs.gtf" "$WORK/genes.gtf"
count() {  # OUT [options...]
  local out=$1; shift
  "$IFNSIG" count -a "$WORK/genes.gtf" -o "$WORK/$out" -p --countReadPairs "$@" "$FIX/pairs.sam" 2>"$WORK/$out.log" ||
    fail "count $* failed: $(cat "$WORK/$out.log")"
}
same_counts() {  # A B: the tables (but their command line), the summaries, OUT.json's annotation
  diff <(tail -n +2 "$WORK/$1") <(tail -n +2 "$WORK/$2") >/dev/null || fail "$2 differs from $1"
  cmp -s "$WORK/$1.summary" "$WORK/$2.summary" || fail "$2.summary differs from $1.summary"
  python3 -c 'import json, sys; a, b = (json.load(open(p))["annotation"] for p in sys.argv[1:]); sys.exit(a != b)' \
    "$WORK/$1.json" "$WORK/$2.json" || fail "the annotation in $2.json differs from $1.json"
}
count plain.txt
count first.txt --annotation-cache "$WORK/cache"
grep -q "annotation cached in" "$WORK/first.txt.log" || fail "no copy written: $(cat "$WORK/first.txt.log")"
count second.txt --annotation-cache "$WORK/cache"
grep -q "from the cache" "$WORK/second.txt.log" || fail "the copy was not used: $(cat "$WORK/second.txt.log")"
same_counts plain.txt first.txt
same_counts plain.txt second.txt
[ "$(ls "$WORK/cache" | wc -l)" -eq 1 ] || fail "expected one copy"

# Other options (-F GTF), a changed file: copies of their own.
count gtf.txt --annotation-cache "$WORK/cache" -F GTF
[ "$(ls "$WORK/cache" | wc -l)" -eq 2 ] || fail "-F GTF did not get a copy of its own"
sleep 0.01 && touch "$WORK/genes.gtf"
count touched.txt --annotation-cache "$WORK/cache"
grep -q "annotation cached in" "$WORK/touched.txt.log" || fail "a touched annotation used the old copy"
same_counts plain.txt touched.txt

# A damaged copy: parsed again, same counts, the copy rewritten.
for copy in "$WORK"/cache/*; do head -c 100 "$copy" >"$copy.cut" && mv "$copy.cut" "$copy"; done
count damaged.txt --annotation-cache "$WORK/cache"
grep -q "annotation cached in" "$WORK/damaged.txt.log" || fail "a damaged copy was not replaced"
same_counts plain.txt damaged.txt

# A directory that cannot be written: a warning, the same counts.
mkdir -p "$WORK/readonly" && touch "$WORK/readonly/cache"  # a file where the directory should be
count readonly.txt --annotation-cache "$WORK/readonly/cache"
grep -q "warning: the annotation cache .* cannot be written" "$WORK/readonly.txt.log" ||
  fail "no warning for an unwritable cache: $(cat "$WORK/readonly.txt.log")"
same_counts plain.txt readonly.txt

# The environment variable.
IFNSIG_ANNOTATION_CACHE="$WORK/env_cache" count env.txt
[ "$(ls "$WORK/env_cache" | wc -l)" -eq 1 ] || fail "\$IFNSIG_ANNOTATION_CACHE was not used"
same_counts plain.txt env.txt
# run: the same tables with a cache, written by the first run and read by the second.
python3 "$SRC/tests/report/make_cohort.py" "$WORK/c" --controls 3 --high 2 --low 0
for out in run_plain run_first run_second; do
  cache=()
  [ "$out" = run_plain ] || cache=(--annotation-cache "$WORK/run_cache")
  "$IFNSIG" -q run --samples "$WORK/c/samples.tsv" -a "$WORK/c/annotation.gtf" -o "$WORK/$out" "${cache[@]}" >/dev/null ||
    fail "run $out failed"
done
[ "$(ls "$WORK/run_cache" | wc -l)" -eq 1 ] || fail "run wrote no copy"
for table in counts.tsv normalized.tsv scores.tsv; do
  cmp -s "$WORK/run_plain/$table" "$WORK/run_first/$table" && cmp -s "$WORK/run_plain/$table" "$WORK/run_second/$table" ||
    fail "run's $table differs with the annotation cache"
done
echo "count_annotation_cache: passed"
