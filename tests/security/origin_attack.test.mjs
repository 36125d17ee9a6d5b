// Port mode (ROCKPOOL_ORIGIN_PORTS): a page served from workspace A's forwarded port, opened by
// a signed-in user who also has workspace B's IDE open, tries to read B's IDE, open a
// WebSocket to it, frame it, frame the dashboard and read the API. Every attempt fails, and
// A's own IDE still works on its origin. Skipped when the suite's Rockpool serves workspaces on
// paths (ROCKPOOL_ORIGIN_PORTS=off).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openBrowser, screenshot } from '../browser/lib/browser.mjs';
import { requiredEnv } from '../browser/lib/host.mjs';
import { waitFor } from '../browser/lib/poll.mjs';
import { createWorkspaces, removeWorkspace, serveFromWorkspace } from './lib/attacker.mjs';
import { answerDialogsAutomatically, openWorkbench } from '../browser/lib/workbench.mjs';

const PORT_MODE = process.env.ROCKPOOL_ORIGIN_PORTS !== 'off';
const HOST = process.env.ROCKPOOL_TEST_HOST || 'localhost';
const CONTROL = PORT_MODE ? `http://${HOST}:${requiredEnv('ROCKPOOL_CONTROL_PORT')}` : '';
const WORKSPACES = PORT_MODE ? `http://${HOST}:${requiredEnv('ROCKPOOL_WORKSPACE_PORT')}` : '';
const MARK = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const A = `attacker-${MARK}`;
const B = `victim-${MARK}`;
const PORT = 3401;

// Served by A; B's origin comes in the query. Each attempt records its outcome.
const ATTACK_PAGE = `<!doctype html><title>attack</title><body>
<script>
window.outcomes = {};
const victim = new URLSearchParams(location.search).get('victim');
const frame = (id, src) => { const f = document.createElement('iframe'); f.id = id; f.src = src;
  document.body.appendChild(f); };
frame('ide', victim + '/');
frame('dash', '${CONTROL}/app/workspaces');
(async () => {
  try {
    const r = await fetch(victim + '/', { credentials: 'include' });
    outcomes.ideRead = 'read ' + r.status + ': ' + (await r.text()).slice(0, 80);
  } catch (e) { outcomes.ideRead = 'blocked'; }
  try {
    const r = await fetch('${CONTROL}/api/workspaces', { credentials: 'include' });
    outcomes.apiRead = 'read: ' + (await r.text()).slice(0, 80);
  } catch (e) { outcomes.apiRead = 'blocked'; }
  outcomes.socket = await new Promise((done) => {
    const ws = new WebSocket(victim.replace('http', 'ws') + '/?reconnectionToken=x&skipWebSocketFrames=false');
    ws.onopen = () => done('open');
    ws.onerror = () => done('refused');
    setTimeout(() => done('timeout'), 10000);
  });
})();
</script>`;

const SERVER = `
const http = require('http'); const fs = require('fs');
const page = fs.readFileSync('/tmp/origin-attack.html');
http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(page);
}).listen(${PORT});`;

/** Opens `seedPath` on the workspace port in `page`; resolves the origin it landed on. */
async function landOnOrigin(page, seedPath) {
  await waitFor(`${seedPath} to be served`, async () => {
    const res = await page.goto(`${WORKSPACES}${seedPath}`);
    return res && res.status() === 200;
  }, { timeoutMs: 90_000, intervalMs: 1_000 });
  return new URL(page.url()).origin;
}

const state = { browser: null, created: [] };

describe('port mode: a page of one workspace attacks another workspace', { timeout: 500_000, skip: !PORT_MODE && 'ROCKPOOL_ORIGIN_PORTS=off: workspaces are served on paths' }, () => {
  before(async () => {
    await createWorkspaces([A, B], state.created);
    await serveFromWorkspace(A, { 'origin-attack.html': ATTACK_PAGE, 'origin-attack.js': SERVER }, 'origin-attack.js', PORT);
    Object.assign(state, await openBrowser({ appOrigin: CONTROL }));
  });

  after(async () => {
    if (state.browser) await state.browser.close().catch(() => {});
    for (const name of state.created) {
      await removeWorkspace(name).catch((err) => console.log(`# cleanup ${name}: ${err.message}`));
    }
  });

  it('fails at every attempt, and each IDE works on its own origin', async () => {
    const { context, page } = state;
    // The user has B's IDE open: its origin holds a cookie of B's.
    const victim = await landOnOrigin(page, `/workspace/${B}/`);
    assert.notEqual(victim, WORKSPACES, 'B was not sent to an origin of its own');
    const cookies = await context.cookies(victim);
    const port = new URL(victim).port;
    assert.ok(cookies.some((c) => c.name === `rockpool_origin_${port}` && c.httpOnly),
      `no HttpOnly cookie for ${victim}: ${JSON.stringify(cookies.map((c) => c.name))}`);

    const attacker = await landOnOrigin(page, `/workspace/${A}/port/${PORT}/?victim=${encodeURIComponent(victim)}`);
    assert.notEqual(attacker, victim);
    const outcomes = await waitFor('every attempt to finish', () => page.evaluate(() =>
      (window.outcomes && window.outcomes.socket) ? window.outcomes : null), { timeoutMs: 30_000 });
    await page.waitForTimeout(2_000);  // the frames load
    await screenshot(page, 'security-origin-attack');
    console.log(`# outcomes: ${JSON.stringify(outcomes)}`);
    assert.equal(outcomes.ideRead, 'blocked', 'the page read B\'s IDE');
    assert.equal(outcomes.apiRead, 'blocked', 'the page read the API');
    assert.notEqual(outcomes.socket, 'open', 'the page opened a WebSocket to B\'s IDE');
    for (const frame of page.frames().filter((f) => f !== page.mainFrame())) {
      const text = await frame.evaluate(() => document.body ? document.body.innerText : '').catch(() => '');
      assert.doesNotMatch(text, /Explorer|Workspaces/, `a frame rendered ${frame.url()}`);
      assert.equal(await frame.locator('.monaco-workbench').count().catch(() => 0), 0,
        `B's workbench rendered inside the attacker's frame (${frame.url()})`);
    }
    assert.doesNotMatch(await page.evaluate(() => document.cookie), /rockpool/i);

    // Both IDEs still work, each on its origin.
    const ide = await context.newPage();
    await answerDialogsAutomatically(ide);
    await openWorkbench(ide, `${WORKSPACES}/workspace/${A}/`);
    assert.notEqual(new URL(ide.url()).origin, WORKSPACES);
    await openWorkbench(ide, victim + '/');
    assert.equal(new URL(ide.url()).origin, victim);
  });
});
