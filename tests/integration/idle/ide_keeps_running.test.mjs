// An open IDE keeps its workspace running past the idle timeout, and closing it lets the
// workspace stop: a real Chromium opens code-server's workbench through Caddy (its WebSockets
// included) on the private Rockpool of scripts/harness.sh, with a 20 s idle timeout (quicker
// with ROCKPOOL_IDLE_CHECK_INTERVAL=2s exported before start_private).
//   cd tests/browser && npm ci && node --test ../integration/idle/
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { envCredentials, openBrowser, screenshot, watchWebSockets } from '../../browser/lib/browser.mjs';
import { waitFor } from '../../browser/lib/poll.mjs';
import { answerDialogsAutomatically, openWorkbench } from '../../browser/lib/workbench.mjs';

const CONTROL_PORT = process.env.ROCKPOOL_CONTROL_PORT;
const WORKSPACE_PORT = process.env.ROCKPOOL_WORKSPACE_PORT;
if (!CONTROL_PORT || !WORKSPACE_PORT || !process.env.ROCKPOOL_STATE_DIR) {
  throw new Error('no private Rockpool in the environment: run after start_private (scripts/harness.sh)');
}
const TIMEOUT_S = 20;
const NAME = `idle-ide-${randomBytes(3).toString('hex')}`;
const creds = envCredentials();
const AUTH = creds ? { Authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` } : {};

/** One API call through Caddy; resolves the parsed body (null for none) or throws with the error. */
async function api(method, path, body) {
  const response = await fetch(`http://127.0.0.1:${CONTROL_PORT}/api${path}`, {
    method,
    headers: { ...AUTH, 'X-Rockpool-Request': 'idle-test', ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const workspace = () => api('GET', `/workspaces/${NAME}`);
const state = { browser: null, page: null };

describe('an open IDE and the idle timeout', { timeout: 600_000 }, () => {
  after(async () => {
    if (state.browser) await state.browser.close().catch(() => {});
    // Stop (if it still runs) and delete; gone when the API answers 404.
    await waitFor(`workspace ${NAME} to be deleted`, async () => {
      const ws = await workspace().catch((err) => (err.message.includes(': 404 ') ? 'gone' : null));
      if (ws === 'gone') return true;
      if (ws && ws.status === 'running') await api('POST', `/workspaces/${NAME}/stop`).catch(() => {});
      if (ws && (ws.status === 'stopped' || ws.status === 'error')) await api('DELETE', `/workspaces/${NAME}`).catch(() => {});
      return false;
    }, { timeoutMs: 180_000, intervalMs: 1_000 });
  });

  it('stays running while the workbench is open and stops once it is closed', async () => {
    const created = await api('POST', '/workspaces', { name: NAME, idleTimeoutSeconds: TIMEOUT_S });
    assert.equal(created.idleTimeoutSeconds, TIMEOUT_S);
    await waitFor(`${NAME} to run`, async () => (await workspace()).status === 'running',
      { timeoutMs: 300_000, intervalMs: 1_000 });

    // Signed in at the control port of the same host as the workspace URL below.
    Object.assign(state, await openBrowser({ appOrigin: `http://localhost:${CONTROL_PORT}` }));
    const sockets = watchWebSockets(state.page);
    await answerDialogsAutomatically(state.page);
    await openWorkbench(state.page, `http://localhost:${WORKSPACE_PORT}/workspace/${NAME}/`);
    assert.ok(sockets.open().length > 0, 'the workbench holds a WebSocket open');

    // Three timeouts with the workbench open and untouched.
    const until = Date.now() + 3 * TIMEOUT_S * 1000;
    while (Date.now() < until) {
      const ws = await workspace();
      assert.equal(ws.status, 'running', `stopped with the IDE open: ${ws.statusReason}`);
      assert.ok(ws.idleStopAt, 'a running workspace shows when it would stop');
      await new Promise((resolve) => setTimeout(resolve, 2_000)); // the pace of the checks
    }
    assert.ok(sockets.open().length > 0, 'the WebSocket is still open');
    await screenshot(state.page, 'idle-ide-open');

    // The person closes the tab: the stop follows within the timeout and a minute.
    await state.browser.close();
    state.browser = null;
    const closed = Date.now();
    const stopped = await waitFor(`${NAME} to be stopped for being idle`, async () => {
      const ws = await workspace();
      return ws.status === 'stopped' ? ws : null;
    }, { timeoutMs: (TIMEOUT_S + 90) * 1000, intervalMs: 1_000 });
    const late = (Date.now() - closed) / 1000 - TIMEOUT_S;
    console.log(`# [ measure ] ${NAME} stopped ${late.toFixed(1)} s after its idle timeout from the close`);
    assert.equal(stopped.statusReason, `stopped after ${TIMEOUT_S} s without activity`);
    assert.ok(late < 60, `stopped ${late.toFixed(1)} s after the timeout`);
  });
});
