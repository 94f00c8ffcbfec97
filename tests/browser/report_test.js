// Opens an ifnsig report in headless Chromium and checks that it renders without console errors.
// Usage: node report_test.js REPORT.html SCREENSHOT.png   (NODE_MODULES: the directory holding playwright-core)
'use strict';
const path = require('path');
const fs = require('fs');
const { chromium } = require(path.join(process.env.NODE_MODULES || 'node_modules', 'playwright-core'));

async function main() {
  const [report, screenshot] = process.argv.slice(2);
  const profile = fs.mkdtempSync(path.join(path.dirname(screenshot), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  try {
    const page = await context.newPage();
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console error: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) {
        problems.push(`network request: ${request.url()}`);
      }
    });
    await page.goto('file://' + path.resolve(report), { waitUntil: 'load' });
    const box = async (selector) => {
      const element = await page.$(selector);
      if (!element) { problems.push(`missing ${selector}`); return null; }
      const b = await element.boundingBox();
      if (!b || b.width < 1 || b.height < 1) problems.push(`${selector} is not rendered (${JSON.stringify(b)})`);
      return b;
    };
    const plot = await box('#score-plot');
    const line = await box('#score-plot .threshold-line');
    await box('#heatmap');
    await box('#sample-table');
    await box('#qc-plot');
    if (plot && line && (line.y < plot.y || line.y > plot.y + plot.height)) problems.push('threshold line outside the plot');
    const counts = await page.evaluate(() => ({
      points: document.querySelectorAll('#score-plot circle.point').length,
      cells: document.querySelectorAll('#heatmap .heatmap-row rect').length,
      rows: document.querySelectorAll('#sample-table tbody tr').length,
      facets: document.querySelectorAll('#score-plot .score-panel').length,
      scripts: document.querySelectorAll('script').length,
    }));
    if (counts.scripts !== 0) problems.push('the report must not need scripts');
    if (counts.rows < 1 || counts.points !== counts.rows * counts.facets) {
      problems.push(`expected one point per sample and panel: ${JSON.stringify(counts)}`);
    }
    if (counts.cells < counts.rows) problems.push(`heatmap has too few cells: ${JSON.stringify(counts)}`);
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(JSON.stringify(counts));
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
