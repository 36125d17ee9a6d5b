// Dashboard benchmark: gzipped JS and CSS sizes of web/dist, and the first meaningful render of
// /app/workspaces with 50 rows (median of 5 cold loads) in headless Chromium against
// `rockpool serve --dev` (the real API on a simulated runtime).
// The render time is the `rockpool:rows-rendered` performance mark, set when the table's rows
// are first committed to the DOM, measured from navigation start. The machine's load average is
// printed with it: on a shared 2-core machine under a compile, every phase slows down.
//   node bench/dashboard_bench.mjs [--rebuild]      (targets: JS <= 150 kB, CSS <= 30 kB, render <= 1000 ms)
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import { ensureBuilt, launchBrowser, newPage, startTarget, webDir } from '../tests/browser/dashboard/harness.mjs';

const RUNS = 5;
const ROWS = 50;
const LIMITS = { jsKb: 150, cssKb: 30, renderMs: 1000 };

if (process.argv.includes('--rebuild')) {
  const r = spawnSync('npm', ['run', 'build'], { cwd: webDir, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
} else {
  ensureBuilt();
}

const assets = join(webDir, 'dist', 'assets');
const gzipKb = (ext) =>
  readdirSync(assets)
    .filter((f) => f.endsWith(ext))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0) / 1024;
const jsKb = gzipKb('.js');
const cssKb = gzipKb('.css');

delete process.env.ROCKPOOL_APP_URL; // always dev mode: the measurement needs exactly 50 rows
const target = await startTarget({ seed: ROWS });
const browser = await launchBrowser();
const times = [];
const phases = []; // per run: HTML received, list API answered, rows in the DOM (ms from start)
try {
  for (let i = 0; i < RUNS; i++) {
    const { context, page } = await newPage(browser, target); // fresh context: cold cache
    await page.goto(`${target.origin}/app/workspaces`);
    await page.waitForFunction(() => performance.getEntriesByName('rockpool:rows-rendered').length > 0, null, { timeout: 10000 });
    const { mark, rows, html, api } = await page.evaluate(() => ({
      mark: performance.getEntriesByName('rockpool:rows-rendered')[0].startTime,
      rows: document.querySelectorAll('tbody tr[data-workspace]').length,
      html: performance.getEntriesByType('navigation')[0].responseEnd,
      api: performance.getEntriesByType('resource').find((r) => r.name.includes('/api/workspaces'))?.responseEnd ?? 0,
    }));
    if (rows !== ROWS) throw new Error(`expected ${ROWS} rows, the page shows ${rows}`);
    times.push(mark);
    phases.push({ htmlMs: Math.round(html), apiMs: Math.round(api), rowsMs: Math.round(mark) });
    await context.close();
  }
} finally {
  await browser.close();
  await target.close();
}

const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const result = {
  jsGzipKb: Number(jsKb.toFixed(1)),
  cssGzipKb: Number(cssKb.toFixed(1)),
  firstRenderMsMedian: Math.round(median),
  firstRenderMsRuns: times.map((t) => Math.round(t)),
  phases,
  rows: ROWS,
  loadAverage1m: Number(loadavg()[0].toFixed(2)),
  limits: LIMITS,
  ok: jsKb <= LIMITS.jsKb && cssKb <= LIMITS.cssKb && median <= LIMITS.renderMs,
};
console.log(`dashboard JS ${result.jsGzipKb} kB gzip (<= ${LIMITS.jsKb}), CSS ${result.cssGzipKb} kB gzip (<= ${LIMITS.cssKb})`);
console.log(`first render of /app/workspaces with ${ROWS} rows: median ${result.firstRenderMsMedian} ms of ${RUNS} (${result.firstRenderMsRuns.join(', ')}) (<= ${LIMITS.renderMs}), load average ${result.loadAverage1m}`);
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
