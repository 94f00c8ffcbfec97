# Golden outputs: `ifnsig run` on the bundled example cohort writes, byte for byte, the tables, per-sample
# records, reference.json, run.json and report kept in tests/fixtures/golden/example (golden_outputs.py says
# which run-to-run fields it leaves out). A change of any number shows here; when it is intended, regenerate
# the copy with IFNSIG_UPDATE_GOLDEN=1 and say in the commit why the outputs changed.
source "$SRC/tests/lib.sh"
GOLDEN="$SRC/tests/fixtures/golden/example"
cd "$SRC"  # relative input paths, as recorded in the outputs
"$IFNSIG" run --samples examples/samples.tsv -a examples/data/annotation.gtf -o "$WORK/out" -T 2 -q \
  >/dev/null 2>"$WORK/stderr.txt" ||
  fail "ifnsig run failed: $(cat "$WORK/stderr.txt")"
if [ "${IFNSIG_UPDATE_GOLDEN:-0}" = 1 ]; then
  python3 tests/cli/golden_outputs.py --update "$WORK/out" "$GOLDEN"
  exit 0
fi
python3 tests/cli/golden_outputs.py "$WORK/out" "$GOLDEN" ||
  fail "the example's outputs differ from the golden copy (above); if intended, rerun with IFNSIG_UPDATE_GOLDEN=1"
