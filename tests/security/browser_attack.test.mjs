// A page served from workspace A's forwarded port, opened by a signed-in user, attacks the
// control plane and the dashboard with the browser's session cookie (the workspace port is the
// same site): a no-cors POST, a cross-site form, a CORS read of the API, a preflighted JSON
// POST, and framing the dashboard. Each fails; victim workspace B keeps running. Neither the
// page's scripts nor the workspace's server see the cookie.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openBrowser, screenshot } from '../browser/lib/browser.mjs';
import { requiredEnv, rockpool } from '../browser/lib/host.mjs';
import { waitFor } from '../browser/lib/poll.mjs';
import { createWorkspaces, removeWorkspace, serveFromWorkspace } from './lib/attacker.mjs';

const HOST = process.env.ROCKPOOL_TEST_HOST || 'localhost';
const CONTROL = `http://${HOST}:${requiredEnv('ROCKPOOL_CONTROL_PORT')}`;
const WORKSPACES = `http://${HOST}:${requiredEnv('ROCKPOOL_WORKSPACE_PORT')}`;
const MARK = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const A = `attacker-${MARK}`;
const B = `victim-${MARK}`;
const PORT = 3400;

// Served by A. Each attack records its outcome in window.outcomes[name].
const ATTACK_PAGE = `<!doctype html><title>attack</title><body>
<iframe name="sink" id="sink"></iframe>
<iframe id="dash" src="${CONTROL}/app/workspaces"></iframe>
<script>
window.outcomes = {};
const stop = '${CONTROL}/api/workspaces/${B}/stop';
(async () => {
  try {
    await fetch(stop, { method: 'POST', mode: 'no-cors', credentials: 'include' });
    outcomes.noCorsPost = 'sent';
  } catch (e) { outcomes.noCorsPost = 'failed: ' + e.message; }
  try {
    const r = await fetch('${CONTROL}/api/workspaces', { credentials: 'include' });
    outcomes.corsRead = 'read: ' + (await r.text()).slice(0, 80);
  } catch (e) { outcomes.corsRead = 'blocked'; }
  try {
    const r = await fetch(stop, { method: 'POST', credentials: 'include',
      headers: { 'Content-Type': 'application/json', 'X-Rockpool-Request': 'dashboard' },
      body: '{}' });
    outcomes.jsonPost = 'status ' + r.status;
  } catch (e) { outcomes.jsonPost = 'blocked'; }
  const form = document.createElement('form');
  form.method = 'POST'; form.action = stop; form.target = 'sink'; form.enctype = 'text/plain';
  const field = document.createElement('input');
  field.name = '{"a":"'; field.value = '"}';
  form.appendChild(field); document.body.appendChild(form); form.submit();
  outcomes.formPost = 'submitted';
})();
</script>`;

// Serves the page, and at .../seen the headers of that request, as the workspace got them.
const SERVER = `
const http = require('http'); const fs = require('fs');
const page = fs.readFileSync('/tmp/attack.html');
http.createServer((req, res) => {
  if (req.url.split('?')[0].endsWith('/seen')) {
    res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(req.headers)); return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(page);
}).listen(${PORT});`;

async function status(name) {
  const shown = await rockpool(['ws', 'show', name, '--json'], { timeoutMs: 30_000 });
  if (shown.code !== 0) throw new Error(`rockpool ws show ${name}: ${shown.stdout}${shown.stderr}`);
  return JSON.parse(shown.stdout).status;
}

const state = { browser: null, page: null, created: [] };

describe('a page in a workspace attacks the control plane', { timeout: 400_000 }, () => {
  before(async () => {
    await createWorkspaces([A, B], state.created);
    await serveFromWorkspace(A, { 'attack.html': ATTACK_PAGE, 'attack.js': SERVER }, 'attack.js', PORT);
    Object.assign(state, await openBrowser({ appOrigin: CONTROL }));
  });

  after(async () => {
    if (state.browser) await state.browser.close().catch(() => {});
    for (const name of state.created) {
      await removeWorkspace(name).catch((err) => console.log(`# cleanup ${name}: ${err.message}`));
    }
  });

  it('fails at every attempt, and the victim keeps running', async () => {
    const { context, page } = state;
    // The attacks count only with a browser that is signed in.
    const me = await context.request.get(`${CONTROL}/api/me`, { headers: { 'X-Rockpool-Request': 'test' } });
    assert.equal(me.status(), 200, `the browser is not signed in: ${await me.text()}`);
    await waitFor('the attack page to be served', async () => {
      const res = await page.goto(`${WORKSPACES}/workspace/${A}/port/${PORT}/`);
      return res && res.status() === 200;
    }, { timeoutMs: 60_000, intervalMs: 1_000 });
    const outcomes = await waitFor('every attack to finish', () => page.evaluate(() =>
      (window.outcomes && window.outcomes.formPost && window.outcomes.jsonPost)
        ? window.outcomes : null), { timeoutMs: 30_000 });
    // Give the form post and the framed dashboard time to land.
    await page.waitForTimeout(3_000);
    await screenshot(page, 'security-attack-page');
    console.log(`# outcomes: ${JSON.stringify(outcomes)}`);

    assert.equal(outcomes.corsRead, 'blocked', 'the page read the API');
    assert.match(outcomes.jsonPost, /^(blocked|status 403)$/, 'a JSON POST went through');
    const dashboard = page.frames().find((f) => f.name() !== 'sink' && f !== page.mainFrame() &&
      f.url().includes('/app/'));
    if (dashboard) {
      const framed = await dashboard.evaluate(() => document.body.innerText.length).catch(() => 0);
      assert.equal(framed, 0, 'the dashboard rendered inside another origin\'s frame');
    }
    assert.equal(await status(B), 'running', 'the victim was stopped by a cross-site request');
    assert.equal(await status(A), 'running');

    // The session cookie reaches neither the page's scripts nor the workspace.
    const seen = await page.evaluate(async () => {
      const r = await fetch('seen');
      return { status: r.status, headers: await r.json(), cookie: document.cookie };
    });
    assert.equal(seen.status, 200, JSON.stringify(seen));
    assert.doesNotMatch(seen.cookie, /rockpool/i, 'the page read the session cookie');
    assert.doesNotMatch(seen.headers.cookie ?? '', /rockpool/i, 'the workspace got the session cookie');
  });
});
