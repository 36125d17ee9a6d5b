// Shared setup for the dashboard browser tests and the benchmark: the target (`rockpool serve
// --dev`, the real API with simulated workspaces, or a real `rockpool serve` behind Caddy given by
// ROCKPOOL_APP_URL), Chromium through playwright-core (its contexts signed in with a session), an
// API client with the same credentials, and polling helpers.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { signIn } from '../lib/session.mjs';

export { SESSION_COOKIE, signIn } from '../lib/session.mjs';

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

/** The workspace the dev server fails to start, and the message it fails with. */
export const DEV_FAIL_START = { name: 'fails-to-start', message: 'no space left on device (simulated)' };

/**
 * Starts `rockpool serve --dev` unless ROCKPOOL_APP_URL points at a real deployment. In dev mode
 * `seed` workspaces (seed-000, ...; every 7th from the 4th on stopped) are created through the
 * API, and the target can be stopped and started again on the same port and credentials (a new,
 * empty store), which is how the tests see an unreachable API.
 */
export async function startTarget({ seed = 0 } = {}) {
  const appUrl = process.env.ROCKPOOL_APP_URL;
  const username = process.env.ROCKPOOL_USERNAME;
  const password = process.env.ROCKPOOL_PASSWORD;
  const credentials = username ? { username, password: password ?? '' } : null;
  if (appUrl) {
    const origin = new URL(appUrl).origin;
    const target = { real: true, dev: false, origin, credentials, failStart: null, close: async () => {} };
    await checkReachable(target);
    return target;
  }
  ensureBuilt();
  const target = await startDevServer();
  await seedWorkspaces(target, seed);
  return target;
}

const DEV_BIN = process.env.ROCKPOOL_BIN ?? join(repoRoot, 'build', 'rockpool');

/**
 * Runs `rockpool serve --dev --port <port>` and reads the URL and credentials it prints. The child
 * gets an engine socket that does not exist: dev mode must not need one.
 */
function spawnDev({ port = 0, credentials = null } = {}) {
  if (!existsSync(DEV_BIN)) throw new Error(`${DEV_BIN} is missing: build it (cmake --build build --target rockpool) or set ROCKPOOL_BIN`);
  const env = {
    ...process.env,
    ROCKPOOL_ENGINE_SOCKET: '/nonexistent/rockpool-dev-has-no-engine.socket',
    ROCKPOOL_DEV_DELAY_SCALE: process.env.ROCKPOOL_DEV_DELAY_SCALE ?? '0.2',
    ROCKPOOL_DEV_FAIL_START: `${DEV_FAIL_START.name}=${DEV_FAIL_START.message}`,
  };
  delete env.ROCKPOOL_USERNAME;
  delete env.ROCKPOOL_PASSWORD;
  if (credentials) Object.assign(env, { ROCKPOOL_USERNAME: credentials.username, ROCKPOOL_PASSWORD: credentials.password });
  const child = spawn(DEV_BIN, ['serve', '--dev', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  createInterface({ input: child.stderr }).on('line', (l) => log.push(l));
  const printed = new Promise((resolve, reject) => {
    const seen = {};
    const timer = setTimeout(() => reject(new Error(`rockpool serve --dev printed no URL in 15 s:\n${log.join('\n')}`)), 15000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      log.push(line);
      const m = /^(url|username|password): (.*)$/.exec(line);
      if (m) seen[m[1]] = m[2];
      if (seen.url && seen.username && seen.password) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`rockpool serve --dev exited (${code ?? signal}) before it served:\n${log.join('\n')}`));
    });
  });
  return { child, printed, exited, log };
}

async function startDevServer() {
  let run = spawnDev();
  const printed = await run.printed;
  const origin = new URL(printed.url).origin;
  const port = Number(new URL(printed.url).port);
  const credentials = { username: printed.username, password: printed.password };
  const stopRun = async () => {
    if (!run) return;
    const { child, exited } = run;
    run = null;
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    if (code !== 0) throw new Error(`rockpool serve --dev ended with ${code ?? signal}`);
  };
  return {
    real: false,
    dev: true,
    origin,
    credentials,
    failStart: DEV_FAIL_START,
    /** Stops the server: the API (and the dashboard's files) are unreachable until start(). */
    stop: stopRun,
    /** Starts it again on the same port and credentials, with an empty store (no sessions). */
    async start() {
      if (run) return;
      run = spawnDev({ port, credentials });
      await run.printed;
    },
    close: stopRun,
  };
}

/** Creates `count` workspaces through the API; every 7th from the 4th on is stopped. */
async function seedWorkspaces(target, count) {
  if (count === 0) return;
  const api = apiClient(target);
  const names = Array.from({ length: count }, (_, i) => `seed-${String(i).padStart(3, '0')}`);
  for (const name of names) {
    const r = await api('POST', '/api/workspaces', { name });
    if (r.status !== 202) throw new Error(`seed ${name}: ${r.status} ${JSON.stringify(r.json)}`);
  }
  const status = async (name) => (await api('GET', `/api/workspaces/${name}`)).json?.status;
  for (const [i, name] of names.entries()) {
    await waitUntil(async () => (await status(name)) === 'running', { timeoutMs: 60000, what: `${name} to run` });
    if (i % 7 === 3) await api('POST', `/api/workspaces/${name}/stop`);
  }
  for (const [i, name] of names.entries()) {
    if (i % 7 === 3) await waitUntil(async () => (await status(name)) === 'stopped', { timeoutMs: 60000, what: `${name} to stop` });
  }
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

/**
 * A fresh context and page, signed in as the target's credentials (a session cookie, as the
 * sign-in page gets) unless `signedIn` is false or the target has none.
 */
export async function newPage(browser, target, { signedIn = true } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    if (signedIn && target.credentials) await signIn(context, target.origin, target.credentials);
  } catch (err) {
    await context.close();
    throw err;
  }
  const page = await context.newPage();
  return { context, page };
}

/**
 * Calls the API directly (setup and cleanup), with the target's credentials as basic auth, or
 * with an API token, as a script would send them.
 */
export function apiClient(target, { token } = {}) {
  const headers = { Accept: 'application/json', 'X-Rockpool-Request': 'test' };
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  } else if (target.credentials) {
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

/** Saves artifacts/<name>.png, or artifacts/dev/<name>.png in dev mode, so a quick run keeps the real screens. */
export async function screenshot(page, name) {
  const dir = process.env.ROCKPOOL_APP_URL ? artifactsDir : join(artifactsDir, 'dev');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
