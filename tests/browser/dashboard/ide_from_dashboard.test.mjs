// End to end on a real deployment (ROCKPOOL_APP_URL): a person creates a workspace in the
// dashboard's dialog, waits for it to run, opens VS Code from "Open IDE" in a new tab through
// the private Rockpool's Caddy, then deletes the workspace with the confirmation dialog. In dev mode
// there is no IDE to open, so the test is skipped.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiClient,
  CLEANUP_TIMEOUT_MS,
  launchBrowser,
  newPage,
  removeWorkspaces,
  screenshot,
  startTarget,
  uniqueName,
  waitUntil,
} from './harness.mjs';
import { requiredEnv } from '../lib/host.mjs';

const REAL = Boolean(process.env.ROCKPOOL_APP_URL);
const STATUS_TIMEOUT_MS = Number(process.env.ROCKPOOL_STATUS_TIMEOUT_MS ?? 120000);
const IDE_TIMEOUT_MS = 90000;
const UI_TIMEOUT_MS = 10000;

describe('dashboard on the real runtime', { skip: !REAL && 'needs a real deployment: set ROCKPOOL_APP_URL', timeout: 6 * 60 * 1000 }, () => {
  let target;
  let api;
  let browser;
  let context;
  let page;
  const name = uniqueName('ide');

  before(async () => {
    target = await startTarget();
    api = apiClient(target);
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, target));
    page.setDefaultTimeout(UI_TIMEOUT_MS);
  });

  after(async () => {
    const left = api ? await removeWorkspaces(api, [name], { timeoutMs: CLEANUP_TIMEOUT_MS }) : [];
    await context?.close();
    await browser?.close();
    await target?.close();
    assert.deepEqual(left, [], 'workspaces the test created and could not remove');
  });

  const headerStatus = () => page.locator('.page-header [data-status]').getAttribute('data-status');
  const waitHeader = (status, what) =>
    waitUntil(async () => (await headerStatus()) === status, { timeoutMs: STATUS_TIMEOUT_MS, what: `${name} ${what} to be ${status}`, intervalMs: 250 });

  it('creates a workspace in the dialog, opens VS Code from Open IDE, deletes it', async () => {
    const t0 = Date.now();
    await page.goto(`${target.origin}/app/workspaces`);
    await page.getByRole('button', { name: 'Create workspace' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create workspace' });
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByLabel('Name').fill(name);
    await screenshot(page, 'create-dialog');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator(`tr[data-workspace="${name}"]`);
    await row.waitFor({ state: 'visible' });
    assert.equal((await api('GET', `/api/workspaces/${name}`)).status, 200, 'the API knows the new workspace');

    // The status badge follows the real container: creating, then running.
    await waitUntil(async () => (await row.locator('[data-status]').getAttribute('data-status')) === 'running', {
      timeoutMs: STATUS_TIMEOUT_MS, what: `${name} to be running in the list`, intervalMs: 250,
    });
    const runningAfterMs = Date.now() - t0;

    await row.getByRole('link', { name }).click();
    await page.waitForURL(`**/app/workspaces/${name}`);
    await waitHeader('running', 'header');
    const host = new URL(target.origin).hostname;
    // The link goes to /workspace/<name>/ on the workspace port. In port mode (the default)
    // that hands the tab on to the IDE's own origin, the one the API names; with
    // ROCKPOOL_ORIGIN_PORTS=off the IDE is served on that path.
    const origin = (await api('GET', `/api/workspaces/${name}/origin`)).json;
    const ideUrl = origin?.mode === 'ports'
      ? `http://${host}:${origin.port}/`
      : `http://${host}:${requiredEnv('ROCKPOOL_WORKSPACE_PORT')}/workspace/${name}/`;
    const [ide] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Open IDE' }).click()]);
    // The tab starts blank (rel="noopener"), then navigates to the IDE.
    await ide.waitForURL((u) => u.href.startsWith(ideUrl), { timeout: UI_TIMEOUT_MS, waitUntil: 'commit' }).catch(() => {});
    assert.ok(ide.url().startsWith(ideUrl), `the IDE tab opened "${ide.url()}", not ${ideUrl}`);
    await ide.waitForLoadState('domcontentloaded');
    const reloads = await waitForWorkbench(ide);
    const ideAfterMs = Date.now() - t0;
    await screenshot(ide, 'ide-tab');
    await ide.close();
    console.log(`# ${name}: running after ${runningAfterMs} ms, workbench after ${ideAfterMs} ms (${reloads} reloads of the tab)`);

    await page.bringToFront();
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('dialog', { name: 'Stop workspace?' }).getByRole('button', { name: 'Stop' }).click();
    await waitHeader('stopped', 'header');
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete workspace?' });
    await confirm.waitFor({ state: 'visible' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL('**/app/workspaces');
    await waitUntil(async () => (await api('GET', `/api/workspaces/${name}`)).status === 404, {
      timeoutMs: STATUS_TIMEOUT_MS, what: `${name} to be deleted`, intervalMs: 250,
    });
    await page.locator(`tr[data-workspace="${name}"]`).waitFor({ state: 'detached', timeout: STATUS_TIMEOUT_MS });
  });
});

/**
 * Waits for the VS Code workbench in the IDE tab. "running" means the container runs;
 * code-server inside may answer a moment later, until then Caddy answers 502, so the tab is
 * reloaded as a person would. Resolves how many reloads it took.
 */
async function waitForWorkbench(ide) {
  let reloads = 0;
  await waitUntil(async () => {
    if (await ide.locator('.monaco-workbench').isVisible()) return true;
    const status = await ide.evaluate(() => performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0).catch(() => 0);
    if (status >= 500) {
      reloads++;
      await ide.reload({ waitUntil: 'domcontentloaded' }).catch(() => {});
    }
    return false;
  }, { timeoutMs: IDE_TIMEOUT_MS, what: `the VS Code workbench (.monaco-workbench) in ${ide.url()}`, intervalMs: 1000 });
  return reloads;
}
