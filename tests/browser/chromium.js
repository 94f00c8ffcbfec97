// Headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM) driven by playwright-core from $NODE_MODULES, for
// the report checks: a page whose console errors, page errors and requests other than file: and data: are
// collected as problems.
'use strict';
const path = require('path');
const fs = require('fs');
const { chromium } = require(path.join(process.env.NODE_MODULES || 'node_modules', 'playwright-core'));

// Runs check(page, problems) on a fresh profile beside `scratchFile`; prints the problems and exits 1 if any.
async function withPage(scratchFile, viewport, check) {
  const profile = fs.mkdtempSync(path.join(path.dirname(scratchFile), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport,
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
    await check(page, problems);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
}

module.exports = { withPage };
