// origin_load_bench: what port mode's handoff costs the first load of an IDE, in Chromium.
// Against a private Rockpool in port mode (scripts/harness.sh's start_private with
// PRIVATE_ORIGIN_PORTS set, workspace `test` running), each run opens the IDE twice, in fresh
// browser contexts (cold caches) signed in to the dashboard, the order alternating:
//   via the path URL:  http://localhost:<workspace port>/workspace/test/ -> 307 to the origin's
//                      /.rockpool/handoff?ticket=… -> 302 with the origin's cookie -> the IDE
//   origin, cookie set: the origin URL itself, the browser holding the origin's cookie already
// Each is timed from the navigation to the HTML (DOMContentLoaded) and to the workbench
// rendered (.monaco-workbench visible); the figures are medians.
//   node bench/origin_load_bench.mjs [runs]      (default 7)
import { openBrowser } from '../tests/browser/lib/browser.mjs';
import { ROCKPOOL_BIN, requiredEnv, runOk } from '../tests/browser/lib/host.mjs';

const RUNS = Number(process.argv[2] || 7);
const ENTRY = `http://localhost:${requiredEnv('ROCKPOOL_WORKSPACE_PORT')}/workspace/test/`;
if ((process.env.ROCKPOOL_ORIGIN_PORTS || 'off') === 'off') {
  console.error('origin_load_bench: the private Rockpool serves workspaces on paths; start it with PRIVATE_ORIGIN_PORTS');
  process.exit(2);
}
const opened = await runOk(ROCKPOOL_BIN, ['ws', 'open', 'test']);
const ORIGIN = opened.trim();
if (!/^http:\/\/localhost:\d+\/$/.test(ORIGIN)) throw new Error(`rockpool ws open test printed "${ORIGIN}"`);

// A new Chromium signed in to the dashboard (a fresh profile: cold caches), holding `cookies`.
async function fresh(cookies = []) {
  const { browser, context, page } = await openBrowser();
  if (cookies.length) await context.addCookies(cookies);
  return { browser, context, page };
}

async function load({ page }, url) {
  const start = performance.now();
  const response = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  const html = performance.now() - start;
  if (!response?.ok() || new URL(page.url()).origin !== new URL(ORIGIN).origin) {
    throw new Error(`GET ${url} ended at ${page.url()} with ${response?.status()}`);
  }
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  return { html, workbench: performance.now() - start };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = { entry: [], direct: [] };
let originCookie = null;
{
  // One load first, for the origin's cookie (and so neither row pays code-server's first start).
  const first = await fresh();
  try {
    await load(first, ENTRY);
    originCookie = (await first.context.cookies(ORIGIN)).find((c) => c.name.startsWith('rockpool_origin_'));
  } finally {
    await first.browser.close();
  }
  if (!originCookie) throw new Error('the handoff set no origin cookie');
  for (let i = 0; i < RUNS; i++) {
    for (const which of i % 2 ? ['direct', 'entry'] : ['entry', 'direct']) {
      const run = await fresh(which === 'direct' ? [originCookie] : []);
      try {
        rows[which].push(await load(run, which === 'entry' ? ENTRY : ORIGIN));
      } finally {
        await run.browser.close();
      }
    }
  }
}

const fmt = (ms) => `${ms.toFixed(0).padStart(6)} ms`;
console.log(`first IDE load in Chromium, port mode, median of ${RUNS} runs (cold caches)`);
console.log(`${'how'.padEnd(34)} ${'HTML'.padStart(9)} ${'workbench'.padStart(9)}`);
for (const [which, label] of [['entry', 'path URL, handoff to the origin'], ['direct', 'origin URL, its cookie set']]) {
  console.log(`${label.padEnd(34)} ${fmt(median(rows[which].map((r) => r.html)))} ${fmt(median(rows[which].map((r) => r.workbench)))}`);
}
const added = median(rows.entry.map((r) => r.workbench)) - median(rows.direct.map((r) => r.workbench));
console.log(`the handoff adds ${added.toFixed(0)} ms to the workbench (${(100 * added / median(rows.direct.map((r) => r.workbench))).toFixed(1)}%)`);
