// Opens a per-sample page (OUTDIR/samples/<id>.html) in headless Chromium: no console errors, no network
// requests, every section present, the link back to the cohort report, a screenshot, and printed to PDF on
// A4 and on Letter it fills exactly one page.
// Usage: node sample_page_test.js PAGE.html SCREENSHOT.png   (NODE_MODULES: the directory holding playwright-core)
'use strict';
const path = require('path');
const { withPage } = require('./chromium');

const SECTIONS = ['#sample-meta', '#sample-scores', '#sample-genes', '#sample-qc', '#sample-provenance', '#research-use'];

// A PDF's pages are its objects of /Type /Page (not /Pages).
const pdfPages = (buffer) => (buffer.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length;

async function main() {
  const [samplePage, screenshot] = process.argv.slice(2);
  await withPage(screenshot, { width: 1000, height: 1400 }, async (page, problems) => {
    await page.goto('file://' + path.resolve(samplePage), { waitUntil: 'load' });
    for (const selector of SECTIONS) {
      if (!(await page.$(selector))) problems.push(`missing ${selector}`);
    }
    if (!(await page.$('a[href="../report.html"]'))) problems.push('no link to ../report.html');
    await page.screenshot({ path: screenshot, fullPage: true });
    const pages = {};
    for (const format of ['A4', 'Letter']) {
      pages[format] = pdfPages(await page.pdf({ format, printBackground: true }));
      if (pages[format] !== 1) problems.push(`prints to ${pages[format]} ${format} pages, not 1`);
    }
    console.log(JSON.stringify({ page: samplePage, pdfPages: pages }));
  });
}

main().catch((error) => { console.error(error); process.exit(1); });
