# The stage API end to end (examples/library/stages.cpp, shown in docs/DESIGN.md): count -> normalize ->
# score in memory from C++ gives, on the example cohort, the same rice6 scores and calls as `ifnsig run`.
source "$SRC/tests/lib.sh"
EXAMPLE="$(dirname "$IFNSIG")/ifnsig_stages_example"
[ -x "$EXAMPLE" ] || fail "missing $EXAMPLE (built with the tests)"
cd "$SRC/examples"
"$EXAMPLE" data/annotation.gtf "$SRC/data/panels" 5 data/bam/sample{01..10}.bam >"$WORK/library.tsv" 2>"$WORK/library.err" ||
  fail "the example failed: $(cat "$WORK/library.err")"
"$IFNSIG" -q run --samples samples.tsv -a data/annotation.gtf --panel rice6 -o "$WORK/run" -T 2 >/dev/null ||
  fail "ifnsig run failed"
# Same score, call and threshold per sample (the example names samples by their BAM path).
cut -f3- "$WORK/library.tsv" >"$WORK/library.cut"
cut -f3- "$WORK/run/scores.tsv" >"$WORK/run.cut"
cmp "$WORK/library.cut" "$WORK/run.cut" || fail "the stage API and ifnsig run disagree: $(diff "$WORK/library.cut" "$WORK/run.cut" | head)"
[ "$(wc -l <"$WORK/library.cut")" -eq 11 ] || fail "expected 10 samples: $(cat "$WORK/library.tsv")"
