# `ifnsig report OUTDIR` and `ifnsig report --sample ID OUTDIR` render report.html, the per-sample pages, the
# MultiQC table and trajectories.tsv (when the run wrote one) again from the report_data.json a finished run
# kept: byte-identical to what `run` wrote, for a cohort run
# (type I / type II panels, follow-up) and a --reference run. A --reference run's pages place each sample among
# the reference's control scores (the percentile checked against reference.json and scores.tsv); a reference
# written before the scores were kept still works, without percentiles. A missing OUTDIR, an unfinished run, a
# missing, stale or other-version report_data.json and an unknown sample are one clear error each.
source "$SRC/tests/lib.sh"
python3 "$SRC/tests/report/make_cohort.py" "$WORK/c" --controls 6 --high 3 --low 2 --type-genes --type2 2 --followup 2 3
PANELS=(--panel rice6 --panel feng5 --panel ifn1_specific --panel ifn2_specific)
"$IFNSIG" -q run --samples "$WORK/c/samples.tsv" -a "$WORK/c/annotation.gtf" -o "$WORK/out" "${PANELS[@]}" \
  --time-unit days >/dev/null || fail "ifnsig run failed"
grep -q '"report_data.json"' "$WORK/out/run.json" || fail "run.json does not list report_data.json"

# Renders the same bytes: every page, then one page alone (the others are not written).
same_pages() {  # OUTDIR COPY
  local file
  for file in report.html ifnsig_scores_mqc.tsv trajectories.tsv; do
    [ -e "$2/$file" ] || continue
    cmp "$1/$file" "$2/$file" || fail "$1/$file differs from the one run wrote"
  done
  local n=0 page
  for page in "$2"/samples/*.html; do
    cmp "$page" "$1/samples/$(basename "$page")" || fail "$(basename "$page") differs from the one run wrote"
    n=$((n + 1))
  done
  echo "$n"
}
regenerate_all() {  # OUTDIR
  cp -r "$1" "$1.written"
  rm -f "$1/report.html" "$1"/samples/*.html "$1/ifnsig_scores_mqc.tsv" "$1/trajectories.tsv"
  "$IFNSIG" report "$1" 2>"$WORK/report.log" || fail "ifnsig report $1 failed: $(cat "$WORK/report.log")"
  n=$(same_pages "$1" "$1.written")
  [ "$n" -gt 0 ] || fail "no sample page in $1"
  rm "$1"/samples/*.html
  "$IFNSIG" report --sample "$2" "$1" 2>"$WORK/report.log" || fail "ifnsig report --sample $2 failed: $(cat "$WORK/report.log")"
  [ "$(ls "$1"/samples/*.html)" = "$1/samples/$2.html" ] || fail "--sample $2 wrote other pages: $(ls "$1"/samples)"
  cmp "$1/samples/$2.html" "$1.written/samples/$2.html" || fail "$2.html differs from the one run wrote"
  cp "$1.written"/samples/*.html "$1/samples/"
  [ -e "$1.written/trajectories.tsv" ] && [ -e "$1/trajectories.tsv" ] && t=", trajectories.tsv" || t=""
  echo "$1: report.html, $n sample pages, the MultiQC table$t rendered again byte for byte; --sample $2 alone"
}
regenerate_all "$WORK/out" S08

# A --reference run of the patients against the first run's reference: percentiles among its 6 controls.
awk -F'\t' 'NR == 1 || $3 != "control"' "$WORK/c/samples.tsv" | cut -f1-3 >"$WORK/c/patients.tsv"
"$IFNSIG" -q run --samples "$WORK/c/patients.tsv" -a "$WORK/c/annotation.gtf" -o "$WORK/ref_run" "${PANELS[@]}" \
  --reference "$WORK/out/reference.json" >/dev/null || fail "ifnsig run --reference failed"
python3 - "$WORK/out" "$WORK/ref_run" <<'PY' || fail "the --reference run's percentiles are not the reference's"
import csv, json, re, sys
cohort, run = sys.argv[1:3]
reference = json.load(open(run + "/reference.json"))["score"]
assert len(reference["control_samples"]) == 6, reference["control_samples"]
# The kept scores are the controls' scores of the run that wrote the reference, in its sample order.
rows = list(csv.DictReader(open(cohort + "/scores.tsv"), delimiter="\t"))
controls = [s for s in reference["control_samples"]]
checked = 0
for t in reference["thresholds"]:
    expected = [float(r["score"]) for c in controls for r in rows
                if r["sample"] == c and r["panel"] == t["panel"] and r["method"] == t["method"]]
    assert t["control_scores"] == expected, (t["panel"], t["control_scores"], expected)
for r in csv.DictReader(open(run + "/scores.tsv"), delimiter="\t"):
    kept = next(t["control_scores"] for t in reference["thresholds"]
                if t["panel"] == r["panel"] and t["method"] == r["method"])
    percentile = 100 * sum(v <= float(r["score"]) for v in kept) / len(kept)
    page = open("%s/samples/%s.html" % (run, r["sample"])).read()
    cell = "<tr><td>%s (%s)</td>" % (r["panel"], r["method"])
    row = page[page.index(cell):page.index("</tr>", page.index(cell))]
    assert re.search(r'<td class="num">%s \(n=6\)</td>' % re.escape("%.3g" % percentile), row), (r["sample"], percentile, row)
    checked += 1
assert "the 6 control samples (group=control) of the frozen reference" in page
print("percentiles among the reference's 6 controls on", checked, "panel rows")
PY
regenerate_all "$WORK/ref_run" S10

# A reference written before the control scores were kept (no "control_scores", no checksum): no percentiles.
python3 - "$WORK/out/reference.json" "$WORK/old_reference.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
del doc["checksum"]
for t in doc["score"]["thresholds"]:
    del t["control_scores"]
json.dump(doc, open(sys.argv[2], "w"))
PY
"$IFNSIG" -q run --samples "$WORK/c/patients.tsv" -a "$WORK/c/annotation.gtf" -o "$WORK/old_ref_run" "${PANELS[@]}" \
  --reference "$WORK/old_reference.json" >/dev/null 2>&1 || fail "ifnsig run with an older reference failed"
grep -q "which keeps no control scores" "$WORK/old_ref_run/samples/S10.html" || fail "older reference: no explanation"
grep -q "no reference scores" "$WORK/old_ref_run/samples/S10.html" || fail "older reference: a percentile shown"
cmp -s "$WORK/old_ref_run/scores.tsv" "$WORK/ref_run/scores.tsv" || fail "older reference: other scores"

# Errors: one message naming the file and the fix, exit 1, nothing written.
expect_failure 1 "no sample 'NOPE' in this run; its samples: S01, S02, .* and [0-9]+ more" \
  "$IFNSIG" report --sample NOPE "$WORK/out"
grep -q "hint: give one of the run's sample ids" "$WORK/stderr.txt" || fail "no hint for an unknown sample"
expect_failure 1 "$WORK/missing: no such directory" "$IFNSIG" report "$WORK/missing"
mkdir "$WORK/empty"
expect_failure 1 "$WORK/empty/run.json: not found: the directory holds no finished run" "$IFNSIG" report "$WORK/empty"
cp -r "$WORK/out.written" "$WORK/older" && rm "$WORK/older/report_data.json"
expect_failure 1 "report_data.json: not found: the run was made by an ifnsig that did not keep" \
  "$IFNSIG" report "$WORK/older"
grep -q "hint: rerun \`ifnsig run\` with the same arguments" "$WORK/stderr.txt" || fail "no rerun hint: $(cat "$WORK/stderr.txt")"
cp -r "$WORK/out.written" "$WORK/stale" && sed -i 's/"title":"ifnsig/"title":"edited/' "$WORK/stale/report_data.json"
expect_failure 1 "report_data.json: stale: not the report data of the run recorded in .*run.json" \
  "$IFNSIG" report "$WORK/stale"
cp -r "$WORK/out.written" "$WORK/version" && sed -i 's/"report_data_version":1/"report_data_version":99/' "$WORK/version/report_data.json"
python3 - "$WORK/version" <<'PY'
import hashlib, json, sys
run = json.load(open(sys.argv[1] + "/run.json"))
run["report_data_md5"] = hashlib.md5(open(sys.argv[1] + "/report_data.json", "rb").read()).hexdigest()
json.dump(run, open(sys.argv[1] + "/run.json", "w"))
PY
expect_failure 1 "report data version 99; this ifnsig reads version 1" "$IFNSIG" report "$WORK/version"
for dir in stale version; do
  cmp "$WORK/$dir/report.html" "$WORK/out.written/report.html" || fail "$dir: report.html written despite the error"
done
expect_failure 2 "outdir is required" "$IFNSIG" report
echo "report_regenerate: passed"
