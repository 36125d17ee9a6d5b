// Shared setup for the dashboard browser tests and the benchmark: the target (the mock API,
// or a real `rockpool serve` behind Caddy given by ROCKPOOL_APP_URL), Chromium through
// playwright-core, an API client with the same credentials, and polling helpers.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startMockServer } from './mock_api.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..', '..');
export const webDir = join(repoRoot, 'web');
export const artifactsDir = join(repoRoot, 'tests', 'browser', 'artifacts');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function ensureBuilt() {
  if (existsSync(join(webDir, 'dist', 'index.html'))) return;
  const r = spawnSync('npm', ['run', 'build'], { cwd: webDir, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build in web/ failed');
}

/** Starts the mock unless ROCKPOOL_APP_URL points at a real deployment. */
export async function startTarget({ seed = 0, transitionMs } = {}) {
  const appUrl = process.env.ROCKPOOL_APP_URL;
  const username = process.env.ROCKPOOL_USERNAME;
  const password = process.env.ROCKPOOL_PASSWORD;
  const credentials = username ? { username, password: password ?? '' } : null;
  if (appUrl) {
    const origin = new URL(appUrl).origin;
    const target = { real: true, origin, credentials, mock: null, close: async () => {} };
    await checkReachable(target);
    return target;
  }
  ensureBuilt();
  const mock = await startMockServer({ distDir: join(webDir, 'dist'), seed, transitionMs });
  return { real: false, origin: mock.origin, credentials: null, mock, close: () => mock.close() };
}

/** Fails at once, with the reason, when the deployment is down or refuses the credentials. */
async function checkReachable(target) {
  let r;
  try {
    r = await apiClient(target)('GET', '/api/workspaces?limit=1');
  } catch (err) {
    throw new Error(`GET ${target.origin}/api/workspaces: ${err.cause?.message ?? err.message}; is \`rockpool up\` running?`);
  }
  if (r.status === 401) {
    throw new Error(`GET ${target.origin}/api/workspaces: 401 with user "${target.credentials?.username ?? ''}": ` +
      'set ROCKPOOL_USERNAME and ROCKPOOL_PASSWORD to what the last `rockpool up` was given');
  }
  if (r.status !== 200) throw new Error(`GET ${target.origin}/api/workspaces: ${r.status} ${JSON.stringify(r.json)}`);
}

export async function launchBrowser() {
  // playwright gives each launch a fresh temporary profile (user-data-dir) and removes it.
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export async function newPage(browser, target) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    ...(target.credentials ? { httpCredentials: target.credentials } : {}),
  });
  const page = await context.newPage();
  return { context, page };
}

/** Calls the API directly (setup and cleanup), with the target's basic-auth credentials. */
export function apiClient(target) {
  const headers = { Accept: 'application/json', 'X-Rockpool-Request': 'test' };
  if (target.credentials) {
    const { username, password } = target.credentials;
    headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  return async (method, path, body) => {
    const res = await fetch(`${target.origin}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = { raw: text.slice(0, 200) }; // an HTML error page from the proxy
    }
    return { status: res.status, json };
  };
}

/** Polls `check` until it returns a truthy value or the deadline passes. */
export async function waitUntil(check, { timeoutMs, what, intervalMs = 100 }) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const SETTLED = ['running', 'stopped', 'error'];

/** How long cleanup waits for each status change: generous, and independent of the tests' own bound. */
export const CLEANUP_TIMEOUT_MS = process.env.ROCKPOOL_APP_URL ? 120000 : 10000;

/**
 * Stops and deletes workspaces through the API and waits until each is gone (404). Never
 * throws: resolves the names it could not remove, with the reason, so a test's cleanup runs
 * to the end and reports what it left behind.
 */
export async function removeWorkspaces(api, names, { timeoutMs }) {
  const status = async (name) => {
    const r = await api('GET', `/api/workspaces/${name}`);
    return r.status === 404 ? 'gone' : r.json?.status;
  };
  const left = [];
  for (const name of names) {
    try {
      let s = await status(name);
      if (s === 'gone') continue;
      if (!SETTLED.includes(s)) s = await waitUntil(async () => { const x = await status(name); return (SETTLED.includes(x) || x === 'gone') && x; }, { timeoutMs, what: `${name} to settle`, intervalMs: 250 });
      if (s === 'running') {
        await api('POST', `/api/workspaces/${name}/stop`);
        s = await waitUntil(async () => { const x = await status(name); return ['stopped', 'error', 'gone'].includes(x) && x; }, { timeoutMs, what: `${name} to stop`, intervalMs: 250 });
      }
      if (s !== 'gone') {
        const r = await api('DELETE', `/api/workspaces/${name}`);
        if (r.status !== 202 && r.status !== 404) throw new Error(`DELETE ${name}: ${r.status} ${JSON.stringify(r.json)}`);
      }
      await waitUntil(async () => (await status(name)) === 'gone', { timeoutMs, what: `${name} to be deleted`, intervalMs: 250 });
    } catch (err) {
      left.push(`${name}: ${err.message}`);
    }
  }
  return left;
}

export function uniqueName(prefix) {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}

/** Saves artifacts/<name>.png, or artifacts/mock/<name>.png against the mock, so a quick run keeps the real screens. */
export async function screenshot(page, name) {
  const dir = process.env.ROCKPOOL_APP_URL ? artifactsDir : join(artifactsDir, 'mock');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
