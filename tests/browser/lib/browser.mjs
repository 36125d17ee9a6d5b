// Debian's Chromium driven by playwright-core (no browser download: /usr/bin/chromium).
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { signIn } from './session.mjs';

export const ARTIFACTS_DIR = fileURLToPath(new URL('../artifacts/', import.meta.url));

const CHROMIUM_ARGS = [
  '--no-sandbox', // the tests run as root
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The account from ROCKPOOL_USERNAME / ROCKPOOL_PASSWORD, when both are set. */
export function envCredentials() {
  const username = process.env.ROCKPOOL_USERNAME;
  const password = process.env.ROCKPOOL_PASSWORD;
  return username && password ? { username, password } : undefined;
}

/**
 * The dashboard's origin, where a browser signs in: ROCKPOOL_APP_URL's, else the control port
 * (ROCKPOOL_CONTROL_PORT) on localhost, the host the workspace URLs of the tests name.
 */
export function envAppOrigin() {
  if (process.env.ROCKPOOL_APP_URL) return new URL(process.env.ROCKPOOL_APP_URL).origin;
  if (process.env.ROCKPOOL_CONTROL_PORT) return `http://localhost:${process.env.ROCKPOOL_CONTROL_PORT}`;
  return undefined;
}

/**
 * Launches a headless Chromium with a fresh profile and, given credentials, signs it in at
 * `appOrigin` (its session cookie goes to every port of that host); resolves
 * { browser, context, page }.
 */
export async function openBrowser({ appOrigin = envAppOrigin(), credentials = envCredentials() } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    if (credentials) {
      if (!appOrigin) throw new Error('no dashboard to sign in at: set ROCKPOOL_APP_URL or ROCKPOOL_CONTROL_PORT');
      await signIn(context, appOrigin, credentials);
    }
    const page = await context.newPage();
    return { browser, context, page };
  } catch (err) {
    await browser.close().catch(() => {});
    throw err;
  }
}

/** Saves a full-page screenshot as artifacts/<name>.png; never fails the test. */
export async function screenshot(page, name) {
  try {
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS_DIR}${name}.png` });
  } catch (err) {
    console.log(`# screenshot ${name} failed: ${err.message}`);
  }
}

/**
 * Records every WebSocket the page opens and when it closes, so a test can assert that
 * nothing dropped during some window.
 */
export function watchWebSockets(page) {
  const sockets = [];
  page.on('websocket', (ws) => {
    const entry = { url: ws.url(), openedAt: Date.now(), closedAt: null };
    sockets.push(entry);
    ws.on('close', () => { entry.closedAt = Date.now(); });
  });
  return {
    all: () => sockets.slice(),
    open: () => sockets.filter((s) => s.closedAt === null),
    closedSince: (t) => sockets.filter((s) => s.closedAt !== null && s.closedAt >= t),
  };
}
