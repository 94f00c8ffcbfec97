// Opens a per-sample page (OUTDIR/samples/<id>.html) in headless Chromium: no console errors, no network
// requests, every section present, the link back to the cohort report, a screenshot, and printed to PDF on
// A4 and on Letter it fills exactly one page.
// Usage: node sample_page_test.js PAGE.html SCREENSHOT.png   (NODE_MODULES: the directory holding playwright-core)
'use strict';
const path = require('path');
const fs = require('fs');
const { chromium } = require(path.join(process.env.NODE_MODULES || 'node_modules', 'playwright-core'));

const SECTIONS = ['#sample-meta', '#sample-scores', '#sample-genes', '#sample-qc', '#sample-provenance', '#research-use'];

// A PDF's pages are its objects of /Type /Page (not /Pages).
const pdfPages = (buffer) => (buffer.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length;

async function main() {
  const [samplePage, screenshot] = process.argv.slice(2);
  const profile = fs.mkdtempSync(path.join(path.dirname(screenshot), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1000, height: 1400 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  try {
    const page = await context.newPage();
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console error: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) problems.push(`network request: ${request.url()}`);
    });
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
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
