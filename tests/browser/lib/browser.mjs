// Debian's Chromium driven by playwright-core (no browser download: /usr/bin/chromium).
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

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

/** Basic-auth credentials from ROCKPOOL_USERNAME / ROCKPOOL_PASSWORD, when both are set. */
export function httpCredentials() {
  const username = process.env.ROCKPOOL_USERNAME;
  const password = process.env.ROCKPOOL_PASSWORD;
  return username && password ? { username, password } : undefined;
}

/** Launches a headless Chromium with a fresh profile; resolves { browser, context, page }. */
export async function openBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    httpCredentials: httpCredentials(),
  });
  const page = await context.newPage();
  return { browser, context, page };
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
