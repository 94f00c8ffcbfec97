# ifnsig run on the bundled example cohort (examples/): every simulated IFN-high sample (group patient) is
# called high and every control low, on every default panel; the report path is printed at the end.
source "$SRC/tests/lib.sh"
SHEET="$SRC/examples/samples.tsv"
[ -f "$SHEET" ] || { echo "skip: examples/samples.tsv does not exist yet"; exit 77; }
# Columns of the sheet beyond ifnsig run's own are passed on as --extra-column.
extra=()
for column in $(head -1 "$SHEET"); do
  case "$column" in sample|bam|group|batch|paired|strand) ;; *) extra+=(--extra-column "$column") ;; esac
done
"$IFNSIG" run --samples "$SHEET" -a "$SRC/examples/data/annotation.gtf" -o "$WORK/out" -T 2 "${extra[@]}" \
  >"$WORK/stdout.txt" 2>"$WORK/stderr.txt" || fail "ifnsig run failed: $(cat "$WORK/stderr.txt")"
grep -qx "Report: $WORK/out/report.html" "$WORK/stdout.txt" || fail "the report path is not printed: $(cat "$WORK/stdout.txt")"
for f in counts.tsv counts.tsv.summary normalized.tsv scores.tsv calls.tsv signature_genes.tsv panel_genes.tsv reference.json \
         run.json report.html ifnsig_scores_mqc.tsv; do
  [ -s "$WORK/out/$f" ] || fail "missing output $f"
done
head -1 "$WORK/out/calls.tsv" | grep -q "^sample	group	panel	method	score	call	threshold" || fail "calls.tsv header"
n_samples=$(tail -n +2 "$SHEET" | grep -vc '^#')
[ "$(awk -F'\t' 'NR > 1 {print $1}' "$WORK/out/calls.tsv" | sort -u | wc -l)" -eq "$n_samples" ] ||
  fail "calls.tsv does not list every sample"
awk -F'\t' 'NR > 1 && $2 == "control" && $6 != "low" {print "control called " $6 ": " $0; bad = 1}
            NR > 1 && $2 == "patient" && $6 != "high" {print "IFN-high patient called " $6 ": " $0; bad = 1}
            END {exit bad}' "$WORK/out/calls.tsv" || fail "wrong calls (above)"
grep -q "samples counted" "$WORK/stderr.txt" || fail "no progress lines on stderr"
# A newcomer's first run is clean: the example's lone records are supplementary (alone by nature), not warned of.
! grep -i "warning" "$WORK/stderr.txt" || fail "the example run warns (above)"
python3 - "$WORK/out/samples" <<'PY' || fail "lone supplementary records not reported in the per-sample JSON"
import glob, re, sys
found = sum(int(n) for path in glob.glob(sys.argv[1] + "/*.json")
            for n in re.findall(r'"lone_supplementary": *([0-9]+)', open(path).read()))
assert found > 0, "no lone supplementary records reported"
PY
# The BAMs' MD5s in run.json (computed from the bytes counting read) are md5sum's.
python3 - "$WORK/out/run.json" "$(dirname "$SHEET")" <<'PY' || fail "run.json's input MD5s differ from md5sum's"
import hashlib, json, os, sys
for s in json.load(open(sys.argv[1]))["inputs"]["samples"]:
    assert s["bam"].endswith(".bam"), s
    assert s["md5"] == hashlib.md5(open(os.path.join(sys.argv[2], s["bam"]), "rb").read()).hexdigest(), s
PY
