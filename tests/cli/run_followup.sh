# Follow-up: a sheet with `subject` and `time` columns. 6 subjects sampled at days 0, 28, 56 and 84 whose
# interferon genes fall from 10x to 1x (as under treatment), one subject sampled once, 6 controls:
# trajectories.tsv gives every subject's rice6 score falling from a high call at baseline to a low one at the
# last visit, the report draws one line per subject and lists the single-sample subject. Visit labels follow
# --visit-order (else their natural order), and bad follow-up columns stop before anything is counted.
source "$SRC/tests/lib.sh"
python3 "$SRC/tests/report/make_cohort.py" "$WORK/c" --controls 6 --high 0 --low 0 --followup 6 4 --single-visit 1
sheet="$WORK/c/samples.tsv"
run() { "$IFNSIG" -q run -a "$WORK/c/annotation.gtf" --panel rice6 --panel feng5 "$@" >/dev/null; }
run --samples "$sheet" -o "$WORK/out" --time-unit days
python3 - "$WORK/out/trajectories.tsv" <<'PY' || fail "trajectories.tsv does not show the known direction"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t") if r["panel"] == "rice6"]
subjects = sorted({r["subject"] for r in rows})
assert subjects == ["P1", "P2", "P3", "P4", "P5", "P6"], subjects
for s in subjects:
    points = [r for r in rows if r["subject"] == s]
    assert [p["time"] for p in points] == ["0", "28", "56", "84"], points
    scores = [float(p["score"]) for p in points]
    assert scores[-1] < scores[0] and float(points[-1]["fold_change"]) < 0.5, (s, scores)
    assert points[0]["call"] == "high" and points[-1]["call"] == "low" and points[-1]["call_changed"] == "yes", points
print("rice6 falls for every subject; last-visit fold changes:",
      [round(float(r["fold_change"]), 3) for r in rows if r["time"] == "84"])
PY
html="$WORK/out/report.html"
[ "$(grep -o 'id="followup-plot-0"' "$html" | wc -l)" -eq 1 ] || fail "no follow-up plot"
lines=$(python3 -c 'import re, sys; t = open(sys.argv[1]).read(); i = t.index("id=\"followup-plot-0\""); print(t[i:t.index("</svg>", i)].count("class=\"trajectory\""))' "$html")
[ "$lines" -eq 6 ] || fail "expected 6 subject lines in the rice6 follow-up plot, found $lines"
grep -q 'id="followup-single"[^<]*Q1' "$html" || fail "the single-sample subject is not listed"
grep -q '"trajectories.tsv"' "$WORK/out/run.json" || fail "run.json does not list trajectories.tsv"

# Visit labels: --visit-order, else natural order (V2 before V10).
awk -F'\t' 'BEGIN {OFS = "\t"} NR > 1 && $5 != "" {$5 = ($5 == 0 ? "baseline" : "week" $5 / 7)} {print}' "$sheet" >"$WORK/c/labels.tsv"
run --samples "$WORK/c/labels.tsv" -o "$WORK/labels" --visit-order baseline,week4,week8,week12
awk -F'\t' '$1 == "P1" && $2 == "rice6" {print $4}' "$WORK/labels/trajectories.tsv" | paste -sd, - |
  grep -qx 'baseline,week4,week8,week12' || fail "visits not in --visit-order"
awk -F'\t' 'BEGIN {OFS = "\t"} NR > 1 && $5 != "" {$5 = "V" ($5 / 28 * 5)} {print}' "$sheet" >"$WORK/c/natural.tsv"
run --samples "$WORK/c/natural.tsv" -o "$WORK/natural"
awk -F'\t' '$1 == "P1" && $2 == "rice6" {print $4}' "$WORK/natural/trajectories.tsv" | paste -sd, - |
  grep -qx 'V0,V5,V10,V15' || fail "visits not in natural order"

# Bad follow-up columns: one error each, nothing written.
expect_failure 1 "time 'week4' is not in --visit-order" \
  run --samples "$WORK/c/labels.tsv" -o "$WORK/bad1" --visit-order baseline,week8,week12
awk -F'\t' 'BEGIN {OFS = "\t"} NR == 9 {$5 = 0} {print}' "$sheet" >"$WORK/c/twice.tsv"
expect_failure 1 "subject 'P1' has two samples at time '0'" run --samples "$WORK/c/twice.tsv" -o "$WORK/bad2"
awk -F'\t' 'BEGIN {OFS = "\t"} NR == 9 {$5 = ""} {print}' "$sheet" >"$WORK/c/no_time.tsv"
expect_failure 1 "subject 'P1' has no time" run --samples "$WORK/c/no_time.tsv" -o "$WORK/bad3"
cut -f1-3,5 "$sheet" >"$WORK/c/time_only.tsv"
expect_failure 1 "a 'time' column needs a 'subject' column" run --samples "$WORK/c/time_only.tsv" -o "$WORK/bad4"
for bad in bad1 bad2 bad3 bad4; do [ ! -e "$WORK/$bad" ] || fail "$bad: output written despite the error"; done
echo "run_followup: passed"
