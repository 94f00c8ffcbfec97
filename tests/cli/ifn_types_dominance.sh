# Type I vs type II (issue 21): a cohort simulated on the hg38 RefSeq annotation with 6 controls, 4 samples
# raising the type II panel's genes (ifn2_specific) 8-fold and 4 raising the type I panel's (ifn1_specific),
# scored by `ifnsig run` with both panels: every raised sample gets the dominant response it was simulated
# with (II or I) and every control none, in the MultiQC table and the report's sample table; the report has
# the IFN-I x IFN-II plot with both thresholds. Scored again against the run's frozen reference
# (`run --reference`), every sample keeps its call and its excesses over the thresholds, in control SDs taken
# from the reference's stored control scores. Prints "dominant response right N/N".
source "$SRC/tests/lib.sh"
SUBREAD=$(debian_data subread-data)
SAF=$SUBREAD/usr/share/doc/subread/examples/annotation/hg38_RefSeq_exon.txt.gz
"$IFNSIG" simulate -q -a "$SAF" -o "$WORK/sim" --samples 14 --panel ifn1_specific --ifn-high 4 \
  --second-panel ifn2_specific --second-high 4 --fold 8 --pairs 150000 --seed 21 -T 2 2>"$WORK/simulate.log" ||
  fail "simulate failed: $(cat "$WORK/simulate.log")"
"$IFNSIG" run -q --samples "$WORK/sim/samples.tsv" -a "$SAF" -o "$WORK/out" --panel ifn1_specific \
  --panel ifn2_specific -T 2 >/dev/null 2>"$WORK/run.log" || fail "ifnsig run failed: $(cat "$WORK/run.log")"
python3 - "$WORK" <<'PY' || fail "dominant response called wrong (above)"
import json, re, sys
work = sys.argv[1]
expected = {"ifn1_specific": "I", "ifn2_specific": "II", "none": "none"}
truth = {s["sample"]: expected[s["raised"]] for s in json.load(open(f"{work}/sim/simulation.json"))["samples"]}
rows = [l.rstrip("\n").split("\t") for l in open(f"{work}/out/ifnsig_scores_mqc.tsv") if not l.startswith("#")]
header, rows = rows[0], rows[1:]
col = header.index("ifn_dominant_response")
called = {r[0]: r[col] for r in rows}
html = open(f"{work}/out/report.html").read()
in_table = dict(re.findall(r'<tr data-sample="([^"]+)" data-dominant="([^"]+)"', html))
wrong = [(s, truth[s], called.get(s), in_table.get(s)) for s in truth if not truth[s] == called.get(s) == in_table.get(s)]
right = len(truth) - len(wrong)
print(f"dominant response right {right}/{len(truth)}; by truth: " +
      ", ".join(f"{k}: {sum(1 for v in truth.values() if v == k)}" for k in ("I", "II", "none")))
for w in wrong:
    print("wrong: sample %s simulated %s, MultiQC %s, report %s" % w)
assert 'id="ifn-type-plot"' in html and "threshold-type-i" in html and "threshold-type-ii" in html, "no IFN-I x IFN-II plot"
sys.exit(1 if wrong else 0)
PY
"$IFNSIG" run -q --samples "$WORK/sim/samples.tsv" -a "$SAF" -o "$WORK/against_reference" \
  --reference "$WORK/out/reference.json" --panel ifn1_specific --panel ifn2_specific -T 2 >/dev/null \
  2>"$WORK/run_reference.log" ||
  fail "ifnsig run --reference failed: $(cat "$WORK/run_reference.log")"
python3 - "$WORK" <<'PY' || fail "against the frozen reference the dominant response differs (above)"
import json, math, sys
work = sys.argv[1]
def response(out):
    data = json.load(open(f"{work}/{out}/report_data.json"))
    r = data["response"]
    return {q["sample"]: (c, a, b) for q, c, a, b in zip(data["qc"], r["call"], r["excess_i"], r["excess_ii"])}
run, against = response("out"), response("against_reference")
differ = [s for s in run if run[s][0] != against[s][0] or
          any(x is None or y is None or not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)
              for x, y in zip(run[s][1:], against[s][1:]))]
for s in differ:
    print(f"sample {s}: run {run[s]}, against its reference {against[s]}")
print(f"against the frozen reference: {len(run) - len(differ)}/{len(run)} samples with the same call and excesses")
sys.exit(1 if differ else 0)
PY
echo "ifn types dominance: ok"
