// Browser test of a workspace's snapshots on its dashboard page: create (with the name checked
// first), restore only when stopped and only after confirmation, delete after confirmation.
// Runs against `rockpool serve --dev` unless ROCKPOOL_APP_URL names a real deployment.
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

const STATUS_TIMEOUT_MS = Number(process.env.ROCKPOOL_STATUS_TIMEOUT_MS ?? (process.env.ROCKPOOL_APP_URL ? 120000 : 10000));
const UI_TIMEOUT_MS = 10000;

describe('dashboard snapshots', { timeout: 10 * 60 * 1000 }, () => {
  let target;
  let browser;
  let api;
  let page;
  let context;
  const created = new Set();
  const name = uniqueName('snap');

  const url = (path) => `${target.origin}${path}`;
  const headerStatus = () => page.locator('.page-header [data-status]').getAttribute('data-status');
  const visible = (locator) => locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const snapshotNames = async () => (await api('GET', `/api/workspaces/${name}/snapshots`)).json.items.map((s) => s.name);
  const item = (snapshot) => page.locator(`li[data-snapshot="${snapshot}"]`);

  async function apiStatus(status) {
    await waitUntil(async () => (await api('GET', `/api/workspaces/${name}`)).json?.status === status, {
      timeoutMs: STATUS_TIMEOUT_MS,
      what: `${name} to be ${status}`,
    });
  }

  before(async () => {
    target = await startTarget();
    api = apiClient(target);
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, target));
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const r = await api('POST', '/api/workspaces', { name });
    assert.equal(r.status, 202, JSON.stringify(r.json));
    created.add(name);
    await apiStatus('running');
  });

  after(async () => {
    const left = api ? await removeWorkspaces(api, created, { timeoutMs: CLEANUP_TIMEOUT_MS }) : [];
    await context?.close();
    await browser?.close();
    await target?.close();
    assert.deepEqual(left, [], 'workspaces the tests created and could not remove');
  });

  it('creates a snapshot of a running workspace, refusing a bad name first', async () => {
    await page.goto(url(`/app/workspaces/${name}`));
    await visible(page.getByText('No snapshots yet.'));
    const input = page.getByLabel('Name (optional)');
    await input.fill('Not Valid');
    await page.getByRole('button', { name: 'Create snapshot' }).click();
    await visible(page.getByText('Use 1-63 lowercase letters, digits and hyphens', { exact: false }));
    assert.deepEqual(await snapshotNames(), []);
    await input.fill('first');
    await page.getByRole('button', { name: 'Create snapshot' }).click();
    await visible(item('first'));
    assert.deepEqual(await snapshotNames(), ['first']);
    // A running workspace offers no restore, and says why.
    assert.equal(await item('first').getByRole('button', { name: 'Restore snapshot first' }).count(), 0);
    await visible(page.getByText('Stop the workspace to restore a snapshot.'));
    await screenshot(page, 'workspace-snapshots');
  });

  it('restores a stopped workspace only after confirmation', async () => {
    assert.equal((await api('POST', `/api/workspaces/${name}/stop`)).status, 202);
    await waitUntil(async () => (await headerStatus()) === 'stopped', { timeoutMs: STATUS_TIMEOUT_MS, what: 'header to be stopped' });
    const restore = item('first').getByRole('button', { name: 'Restore snapshot first' });
    await visible(restore);
    await restore.click();
    const confirm = page.getByRole('dialog', { name: 'Restore snapshot?' });
    await visible(confirm);
    await visible(confirm.getByText('Every change made since is lost.'));
    await screenshot(page, 'confirm-restore');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    await restore.click();
    await visible(confirm);
    await confirm.getByRole('button', { name: 'Restore' }).click();
    await confirm.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    await visible(page.locator('.toast-success').getByText('is being restored to first', { exact: false }));
    // Once the restore job is done the workspace starts again as usual.
    await waitUntil(async () => (await api('POST', `/api/workspaces/${name}/start`)).status === 202, {
      timeoutMs: STATUS_TIMEOUT_MS,
      what: 'a start to be accepted after the restore',
    });
    await waitUntil(async () => (await headerStatus()) === 'running', { timeoutMs: STATUS_TIMEOUT_MS, what: 'header to be running' });
  });

  it('deletes a snapshot after confirmation', async () => {
    const remove = item('first').getByRole('button', { name: 'Delete snapshot first' });
    await remove.click();
    const confirm = page.getByRole('dialog', { name: 'Delete snapshot?' });
    await visible(confirm);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    assert.deepEqual(await snapshotNames(), ['first']);
    await remove.click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await item('first').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    assert.deepEqual(await snapshotNames(), []);
    // The workspace goes back to stopped for the cleanup.
    assert.equal((await api('POST', `/api/workspaces/${name}/stop`)).status, 202);
    await apiStatus('stopped');
  });
});
