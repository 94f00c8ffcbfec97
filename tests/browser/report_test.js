// Opens an ifnsig report in headless Chromium and checks that it renders without console errors, with its
// figures' axis titles and legends; screenshots the page (or its top for a long page) and each figure.
// Usage: node report_test.js REPORT.html SCREENSHOT.png [--types] [--followup] [--max-seconds S]
//   --types: the report must have the IFN-I x IFN-II plot (#ifn-type-plot) with both thresholds and a
//            dominant response for every sample; --max-seconds: loading and laying out the page must take
//            at most S seconds (printed as render_ms); --followup: the report must have a follow-up plot per
//            panel (#followup-plot-<k>) with a threshold line, axis titles, a legend and a line per subject
//            (printed as trajectories, the lines of the first plot; screenshot SCREENSHOT-followup.png).
//   NODE_MODULES: the directory holding playwright-core
'use strict';
const path = require('path');
const { withPage } = require('./chromium');

async function main() {
  const [report, screenshot, ...options] = process.argv.slice(2);
  const types = options.includes('--types');
  const followup = options.includes('--followup');
  const maxSeconds = options.includes('--max-seconds') ? Number(options[options.indexOf('--max-seconds') + 1]) : Infinity;
  await withPage(screenshot, { width: 1280, height: 900 }, async (page, problems) => {
    const started = Date.now();
    await page.goto('file://' + path.resolve(report), { waitUntil: 'load' });
    // Layout of the whole page (every SVG element placed) before the clock stops.
    const pageHeight = await page.evaluate(() => document.documentElement.getBoundingClientRect().height);
    const renderMs = Date.now() - started;
    if (renderMs > maxSeconds * 1000) problems.push(`rendering took ${renderMs} ms (limit ${maxSeconds} s)`);
    // Large cohorts fold their tables into <details>; open them (as a reader would) to check them.
    const folded = await page.evaluate(() => {
      const closed = Array.from(document.querySelectorAll('details.large-table')).filter((d) => !d.open);
      closed.forEach((d) => { d.open = true; });
      return closed.length;
    });
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
    // Every figure has axis titles and a legend; the score plot labels its threshold.
    for (const figure of ['#score-plot', '#heatmap', '#qc-plot'].concat(types ? ['#ifn-type-plot'] : [])) {
      const found = await page.evaluate((f) => ({
        titles: document.querySelectorAll(`${f} .axis-title`).length,
        legend: document.querySelectorAll(`${f} .legend`).length,
      }), figure);
      if (found.titles < 1 || found.legend < 1) problems.push(`${figure} lacks axis titles or a legend: ${JSON.stringify(found)}`);
    }
    if (!(await page.$('#score-plot .threshold-label'))) problems.push('the score plot threshold is not labelled');
    let typePoints = 0;
    if (types) {
      const typePlot = await box('#ifn-type-plot');
      const lineI = await box('#ifn-type-plot .threshold-type-i');
      const lineII = await box('#ifn-type-plot .threshold-type-ii');
      if (typePlot && lineI && lineII && (lineI.x < typePlot.x || lineI.x > typePlot.x + typePlot.width ||
                                          lineII.y < typePlot.y || lineII.y > typePlot.y + typePlot.height)) {
        problems.push('a type I/II threshold line is outside the plot');
      }
      typePoints = await page.evaluate(() => document.querySelectorAll('#ifn-type-plot circle.response-point').length);
      const dominant = await page.evaluate(() => document.querySelectorAll('#sample-table tbody tr[data-dominant]').length);
      if (typePlot) await (await page.$('#ifn-type-plot')).screenshot({ path: screenshot.replace(/\.png$/, '') + '-types.png' });
      if (dominant !== typePoints) problems.push(`${typePoints} points in the type plot, ${dominant} dominant calls in the table`);
    }
    let trajectories = 0;
    if (followup) {
      const first = await box('#followup-plot-0');
      await box('#followup-plot-0 .threshold-line');
      const found = await page.evaluate(() => ({
        plots: document.querySelectorAll('svg.followup-plot').length,
        titles: document.querySelectorAll('#followup-plot-0 .axis-title').length,
        legend: document.querySelectorAll('#followup-plot-0 .legend').length,
        lines: document.querySelectorAll('#followup-plot-0 .trajectory polyline').length,
      }));
      if (found.plots < 1 || found.titles < 2 || found.legend < 1) problems.push(`follow-up plot incomplete: ${JSON.stringify(found)}`);
      trajectories = found.lines;
      if (first) await (await page.$('#followup-plot-0')).screenshot({ path: screenshot.replace(/\.png$/, '') + '-followup.png' });
    }
    const counts = await page.evaluate(() => ({
      points: document.querySelectorAll('#score-plot circle.point').length,
      cells: document.querySelectorAll('#heatmap .heatmap-row rect').length,
      rows: document.querySelectorAll('#sample-table tbody tr').length,
      facets: document.querySelectorAll('#score-plot .score-panel').length,
      hidden: Array.from(document.querySelectorAll('#score-plot .score-panel'))
        .reduce((sum, facet) => sum + Number(facet.getAttribute('data-points-hidden') || 0), 0),
      scripts: document.querySelectorAll('script').length,
    }));
    if (counts.scripts !== 0) problems.push('the report must not need scripts');
    // Large groups are thinned to a box with outliers: every point is drawn or counted as hidden.
    if (counts.rows < 1 || counts.points + counts.hidden !== counts.rows * counts.facets) {
      problems.push(`expected one point per sample and panel: ${JSON.stringify(counts)}`);
    }
    if (counts.cells < 1) problems.push(`the heatmap has no cells: ${JSON.stringify(counts)}`);
    if (types && typePoints !== counts.rows) problems.push(`expected ${counts.rows} points in the type plot, found ${typePoints}`);
    // A long page (large cohorts) is shot down to 6,000 pixels; the figures above have their own shots.
    const shotHeight = await page.evaluate(() => document.documentElement.getBoundingClientRect().height);
    await page.screenshot({ path: screenshot, fullPage: true,
                            clip: shotHeight <= 6000 ? undefined : { x: 0, y: 0, width: 1280, height: 6000 } });
    console.log(JSON.stringify({ ...counts, typePoints, trajectories, folded, render_ms: renderMs, page_height: Math.round(pageHeight) }));
  });
}

main().catch((error) => { console.error(error); process.exit(1); });
