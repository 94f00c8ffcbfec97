# The report opens in headless Chromium (playwright-core driving Debian's /usr/bin/chromium) without console
# errors or network requests, and renders the score plot, threshold line, IFN-I x IFN-II plot, heatmap and
# sample table, every figure with axis titles and a legend; each sample's page (OUTDIR/samples/<id>.html) opens
# without errors and prints to one A4 and one Letter page (sample-<id>.png kept), as does a page of a --reference
# run (sample-reference-S06.png); a follow-up cohort's report draws
# one line per subject over time (report-followup-followup.png). Then a cohort of 1,000 samples: its report stays
# under 5 MB and loads and lays out in under 5 s. Screenshots are kept as test artifacts: $WORK/report.png,
# $WORK/report-types.png, $WORK/report_1000.png, $WORK/report_1000-types.png.
source "$SRC/tests/lib.sh"
need_packages chromium
command -v npm >/dev/null || need_packages npm  # Debian: npm pulls nodejs; NodeSource nodejs ships npm itself
NODE_DIR="$DATA/browser-node"
if ! cmp -s "$SRC/tests/browser/package-lock.json" "$NODE_DIR/package-lock.json" || [ ! -d "$NODE_DIR/node_modules/playwright-core" ]; then
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  cp "$SRC/tests/browser/package.json" "$SRC/tests/browser/package-lock.json" "$NODE_DIR/"
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund >"$WORK/npm.log" 2>&1) || fail "npm ci failed: $(tail "$WORK/npm.log")"
fi
PANELS=(--panel rice6 --panel feng5 --panel ifn1_specific --panel ifn2_specific)
python3 "$SRC/tests/report/make_cohort.py" "$WORK/c" --controls 5 --high 3 --low 1 --type-genes --type2 1
"$IFNSIG" run --samples "$WORK/c/samples.tsv" -a "$WORK/c/annotation.gtf" -o "$WORK/out" "${PANELS[@]}" -q \
  >/dev/null || fail "ifnsig run failed"
NODE_MODULES="$NODE_DIR/node_modules" timeout 120 node "$SRC/tests/browser/report_test.js" "$WORK/out/report.html" \
  "$WORK/report.png" --types >"$WORK/browser.log" 2>&1 || fail "browser check failed: $(cat "$WORK/browser.log")"
grep -q '"points":40,' "$WORK/browser.log" || fail "expected 40 points (10 samples x 4 panels): $(cat "$WORK/browser.log")"
grep -q '"typePoints":10,' "$WORK/browser.log" || fail "expected 10 points in the IFN-I x IFN-II plot: $(cat "$WORK/browser.log")"
[ -s "$WORK/report.png" ] && [ -s "$WORK/report-types.png" ] || fail "no screenshot"
echo "screenshots: $WORK/report.png $WORK/report-types.png"
# Each sample's page (linked from the report): sections, no errors, one printed page on A4 and on Letter.
grep -q 'href="samples/' "$WORK/out/report.html" || fail "the report does not link the per-sample pages"
for page in "$WORK"/out/samples/*.html; do
  NODE_MODULES="$NODE_DIR/node_modules" timeout 120 node "$SRC/tests/browser/sample_page_test.js" "$page" \
    "$WORK/sample-$(basename "$page" .html).png" >>"$WORK/sample_pages.log" 2>&1 ||
    fail "per-sample page check failed: $(tail -5 "$WORK/sample_pages.log")"
done
[ "$(grep -c '"pdfPages":{"A4":1,"Letter":1}' "$WORK/sample_pages.log")" -eq 10 ] ||
  fail "expected 10 one-page sample pages: $(cat "$WORK/sample_pages.log")"

# A --reference run's page (percentiles and a strip of the reference's control scores) is also one page.
awk -F'\t' 'NR == 1 || $3 != "control"' "$WORK/c/samples.tsv" >"$WORK/c/patients.tsv"
"$IFNSIG" run --samples "$WORK/c/patients.tsv" -a "$WORK/c/annotation.gtf" -o "$WORK/ref_run" "${PANELS[@]}" -q \
  --reference "$WORK/out/reference.json" >/dev/null || fail "ifnsig run --reference failed"
grep -q '(n=5)</td>' "$WORK/ref_run/samples/S06.html" || fail "no percentile among the reference's 5 controls"
NODE_MODULES="$NODE_DIR/node_modules" timeout 120 node "$SRC/tests/browser/sample_page_test.js" \
  "$WORK/ref_run/samples/S06.html" "$WORK/sample-reference-S06.png" >"$WORK/reference_page.log" 2>&1 ||
  fail "per-sample page check (--reference run) failed: $(cat "$WORK/reference_page.log")"
grep -q '"pdfPages":{"A4":1,"Letter":1}' "$WORK/reference_page.log" ||
  fail "the --reference run's page is not one page: $(cat "$WORK/reference_page.log")"

# Follow-up: 6 subjects sampled 4 times (their interferon genes falling under treatment), one subject sampled once.
python3 "$SRC/tests/report/make_cohort.py" "$WORK/f" --controls 5 --high 0 --low 0 --followup 6 4 --single-visit 1
"$IFNSIG" run --samples "$WORK/f/samples.tsv" -a "$WORK/f/annotation.gtf" -o "$WORK/followup" --time-unit days -q \
  >/dev/null || fail "ifnsig run (follow-up) failed"
NODE_MODULES="$NODE_DIR/node_modules" timeout 120 node "$SRC/tests/browser/report_test.js" "$WORK/followup/report.html" \
  "$WORK/report-followup.png" --followup >"$WORK/browser_followup.log" 2>&1 ||
  fail "browser check (follow-up) failed: $(cat "$WORK/browser_followup.log")"
grep -q '"trajectories":6,' "$WORK/browser_followup.log" || fail "expected 6 subject lines: $(cat "$WORK/browser_followup.log")"
echo "screenshot: $WORK/report-followup-followup.png"

# 1,000 samples: 300 controls, 350 type I, 150 type II, 200 low patients, about 500 fragments each.
python3 "$SRC/tests/report/make_cohort.py" "$WORK/big" --controls 300 --high 350 --low 200 --type-genes --type2 150 \
  --depth 0.08 --single --seed 11
"$IFNSIG" run --samples "$WORK/big/samples.tsv" -a "$WORK/big/annotation.gtf" -o "$WORK/big_out" "${PANELS[@]}" -q \
  -T 2 >/dev/null 2>"$WORK/big_run.log" || fail "ifnsig run (1,000 samples) failed: $(tail "$WORK/big_run.log")"
size=$(stat -c %s "$WORK/big_out/report.html")
echo "report of 1000 samples: $size bytes; report_data.json $(stat -c %s "$WORK/big_out/report_data.json") bytes"
[ "$size" -lt $((5 * 1024 * 1024)) ] || fail "the report of 1,000 samples has $size bytes (limit 5 MB)"
NODE_MODULES="$NODE_DIR/node_modules" timeout 300 node "$SRC/tests/browser/report_test.js" "$WORK/big_out/report.html" \
  "$WORK/report_1000.png" --types --max-seconds 5 >"$WORK/browser_1000.log" 2>&1 ||
  fail "browser check (1,000 samples) failed: $(cat "$WORK/browser_1000.log")"
cat "$WORK/browser_1000.log"
grep -q '"typePoints":1000,' "$WORK/browser_1000.log" || fail "expected 1000 points in the type plot: $(cat "$WORK/browser_1000.log")"
echo "screenshots: $WORK/report_1000.png $WORK/report_1000-types.png"
