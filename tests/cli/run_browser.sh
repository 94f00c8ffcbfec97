# The report opens in headless Chromium (playwright-core driving Debian's /usr/bin/chromium) without console
# errors or network requests, and renders the score plot, threshold line, heatmap and sample table.
# The screenshot is kept as a test artifact: $WORK/report.png.
source "$SRC/tests/lib.sh"
need_packages chromium
command -v npm >/dev/null || need_packages npm  # Debian: npm pulls nodejs; NodeSource nodejs ships npm itself
NODE_DIR="$DATA/browser-node"
if ! cmp -s "$SRC/tests/browser/package-lock.json" "$NODE_DIR/package-lock.json" || [ ! -d "$NODE_DIR/node_modules/playwright-core" ]; then
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  cp "$SRC/tests/browser/package.json" "$SRC/tests/browser/package-lock.json" "$NODE_DIR/"
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund >"$WORK/npm.log" 2>&1) || fail "npm ci failed: $(tail "$WORK/npm.log")"
fi
python3 "$SRC/tests/report/make_cohort.py" "$WORK/c" --controls 5 --high 3 --low 2
"$IFNSIG" run --samples "$WORK/c/samples.tsv" -a "$WORK/c/annotation.gtf" -o "$WORK/out" --panel rice6 --panel feng5 -q \
  >/dev/null || fail "ifnsig run failed"
NODE_MODULES="$NODE_DIR/node_modules" timeout 120 node "$SRC/tests/browser/report_test.js" "$WORK/out/report.html" \
  "$WORK/report.png" >"$WORK/browser.log" 2>&1 || fail "browser check failed: $(cat "$WORK/browser.log")"
grep -q '"points":20' "$WORK/browser.log" || fail "expected 20 points (10 samples x 2 panels): $(cat "$WORK/browser.log")"
[ -s "$WORK/report.png" ] || fail "no screenshot"
echo "screenshot: $WORK/report.png"
