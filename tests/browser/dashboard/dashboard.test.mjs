// Browser tests of the dashboard at /app, through headless Chromium. They create their own data
// through the UI or the API and remove it afterwards, so they run against a real deployment when
// ROCKPOOL_APP_URL is set (what scripts/test.sh does), else against `rockpool serve --dev` (the
// same API, validation and gate, with simulated workspaces):
//   ROCKPOOL_APP_URL, ROCKPOOL_USERNAME, ROCKPOOL_PASSWORD as scripts/harness.sh exports them
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiClient,
  CLEANUP_TIMEOUT_MS,
  launchBrowser,
  newPage,
  removeWorkspaces,
  screenshot,
  signIn,
  startTarget,
  uniqueName,
  waitUntil,
} from './harness.mjs';

const STATUS_TIMEOUT_MS = Number(process.env.ROCKPOOL_STATUS_TIMEOUT_MS ?? (process.env.ROCKPOOL_APP_URL ? 120000 : 10000));
// A start that fails is retried with backoff (five attempts) before the workspace shows error.
const FAILURE_TIMEOUT_MS = Math.max(STATUS_TIMEOUT_MS, 60000);
const UI_TIMEOUT_MS = 10000;

describe('dashboard', { timeout: 15 * 60 * 1000 }, () => {
  let target;
  let browser;
  let api;
  let page;
  let context;
  const created = new Set();
  const mainName = uniqueName('ui');

  const url = (path) => `${target.origin}${path}`;
  const row = (name) => page.locator(`tr[data-workspace="${name}"]`);
  const rowStatus = (name) => row(name).locator('[data-status]').getAttribute('data-status');
  const headerStatus = () => page.locator('.page-header [data-status]').getAttribute('data-status');
  const visible = (locator) => locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

  async function apiCreate(name) {
    const r = await api('POST', '/api/workspaces', { name });
    assert.equal(r.status, 202, JSON.stringify(r.json));
    created.add(name);
    return r.json;
  }

  const focused = () => page.evaluate(() => document.activeElement?.textContent);
  async function focusOn(text, what) {
    await waitUntil(async () => (await focused()) === text, { timeoutMs: UI_TIMEOUT_MS, what }).catch(async (err) => {
      assert.equal(await focused(), text, err.message);
    });
  }

  async function waitStatus(read, status, what) {
    await waitUntil(async () => (await read()) === status, { timeoutMs: STATUS_TIMEOUT_MS, what: `${what} to be ${status}` });
  }

  before(async () => {
    target = await startTarget();
    api = apiClient(target);
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, target));
    page.setDefaultTimeout(UI_TIMEOUT_MS);
  });

  after(async () => {
    // Workspaces are removed even when a test failed; one left behind fails the suite.
    const left = api ? await removeWorkspaces(api, created, { timeoutMs: CLEANUP_TIMEOUT_MS }) : [];
    await context?.close();
    await browser?.close();
    await target?.close();
    assert.deepEqual(left, [], 'workspaces the tests created and could not remove');
  });

  it('shows a skeleton while loading, then the empty state when there is nothing', async () => {
    // Hold the list request so the skeleton stays up; release it afterwards.
    let release;
    const held = new Promise((r) => (release = r));
    await page.route('**/api/workspaces?*', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(url('/app/workspaces'));
    await visible(page.getByLabel('Loading workspaces'));
    await screenshot(page, 'workspaces-loading');
    release();
    await page.getByLabel('Loading workspaces').waitFor({ state: 'detached' });
    await page.unroute('**/api/workspaces?*');
    // A real deployment always has workspaces (`rockpool up` makes "test"): there the browser
    // is answered an empty page instead, the way a fresh installation answers.
    const hasWorkspaces = (await countAll()) > 0;
    if (hasWorkspaces) {
      await page.route('**/api/workspaces?*', (route) => route.fulfill({ json: { items: [], nextCursor: null } }));
      await page.reload();
    }
    await visible(page.getByRole('heading', { name: 'No workspaces yet' }));
    assert.equal(await page.locator('tbody tr[data-workspace]').count(), 0);
    await screenshot(page, 'workspaces-empty');
    if (hasWorkspaces) await page.unroute('**/api/workspaces?*');
  });

  const listName = uniqueName('list');
  it('lists workspaces with their status', async () => {
    const name = listName;
    await apiCreate(name);
    await page.goto(url('/app/workspaces'));
    await visible(row(name));
    assert.match(await row(name).textContent(), /rockpool-workspace/);
    await waitStatus(() => rowStatus(name), 'running', `${name} in the list`);
    assert.equal(await page.title(), 'Workspaces · Rockpool');
    await screenshot(page, 'workspaces');
  });

  it('filters the list by name or image', async () => {
    const other = uniqueName('find');
    await apiCreate(other);
    await page.goto(url('/app/workspaces'));
    await visible(row(other));
    await page.getByLabel('Search workspaces').fill(other.slice(0, 9));
    await waitUntil(async () => (await page.locator('tbody tr[data-workspace]').count()) >= 1, { timeoutMs: UI_TIMEOUT_MS, what: 'filtered rows' });
    const names = await page.locator('tbody tr[data-workspace]').evaluateAll((rows) => rows.map((r) => r.dataset.workspace));
    assert.ok(names.includes(other));
    assert.ok(names.every((n) => n.includes(other.slice(0, 9))), names.join(','));
    await page.getByLabel('Search workspaces').fill('no-such-workspace-xyz');
    await visible(page.getByText('No workspace matches'));
    await page.getByLabel('Search workspaces').fill('rockpool-work');
    await visible(row(other));
  });

  it('rejects an invalid name in the form, then creates the workspace', async () => {
    await page.goto(url('/app/workspaces'));
    const creates = [];
    const onRequest = (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/workspaces') creates.push(r.url());
    };
    page.on('request', onRequest);
    await page.getByRole('button', { name: 'Create workspace' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create workspace' });
    await visible(dialog);
    const nameInput = dialog.getByLabel('Name');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'ws-name');
    assert.equal(await dialog.getByLabel('Image').inputValue(), 'rockpool-workspace');
    await nameInput.fill('Bad_Name');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await visible(dialog.getByText('Use 3-63 lowercase letters, digits and hyphens'));
    assert.equal(await nameInput.getAttribute('aria-invalid'), 'true');
    assert.ok(await dialog.isVisible(), 'the dialog stays open');
    await screenshot(page, 'create-dialog-invalid');
    assert.deepEqual(creates, [], 'no request sent');
    page.off('request', onRequest);

    await nameInput.fill(mainName);
    await dialog.getByRole('button', { name: 'Create' }).click();
    created.add(mainName);
    await visible(row(mainName)); // at once, before the next poll
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    await waitStatus(() => rowStatus(mainName), 'running', `${mainName} after create`);
  });

  it('closes a dialog on Escape and returns focus', async () => {
    await page.getByRole('button', { name: 'Create workspace' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create workspace' });
    await visible(dialog);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const inside = await page.evaluate(() => !!document.activeElement?.closest('dialog'));
    assert.ok(inside, 'Tab keeps focus inside the dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Create workspace');
  });

  it('opens the detail page with breadcrumb, status and IDE link', async () => {
    await page.goto(url('/app/workspaces'));
    await row(mainName).getByRole('link', { name: mainName }).click();
    await page.waitForURL(`**/app/workspaces/${mainName}`);
    await visible(page.getByRole('heading', { level: 1, name: mainName }));
    await visible(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Workspaces' }));
    await waitStatus(headerStatus, 'running', `${mainName} header`);
    const ide = page.getByRole('link', { name: 'Open IDE' });
    // An entry path on the dashboard's origin; the proxy moves it to the workspace origin.
    assert.equal(await ide.getAttribute('href'), `/workspace/${mainName}/`);
    assert.equal(await ide.getAttribute('target'), '_blank');
    await visible(page.getByText('rockpool-workspace'));
    for (const [id, unit] of [['cpu', /^\d+(\.\d+)? cores?$/], ['memory', /^\d+(\.\d+)? [MG]iB$/],
      ['processes', /^\d+$/], ['disk', /^\d+ GiB$/]]) {
      assert.match(await page.getByTestId(`limit-${id}`).textContent(), unit, `${id} limit shown`);
    }
    await screenshot(page, 'workspace-detail');
  });

  it('sets the idle timeout at create and changes it on the detail page', async () => {
    const idleName = uniqueName('idle');
    await page.goto(url('/app/workspaces'));
    await page.getByRole('button', { name: 'Create workspace' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create workspace' });
    await visible(dialog);
    await dialog.getByLabel('Name').fill(idleName);
    await dialog.getByLabel('Stop when idle for').selectOption({ label: '1 hour' });
    await dialog.getByRole('button', { name: 'Create' }).click();
    created.add(idleName);
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    assert.equal((await api('GET', `/api/workspaces/${idleName}`)).json.idleTimeoutSeconds, 3600);

    await page.goto(url(`/app/workspaces/${idleName}`));
    await waitStatus(headerStatus, 'running', `${idleName} header`);
    const panel = page.getByTestId('idle-panel');
    const select = panel.getByLabel('Stop when idle for');
    assert.equal(await select.inputValue(), '3600');
    await waitUntil(async () => /unless it is used/.test(await panel.getByTestId('idle-stop-at').textContent()),
      { timeoutMs: UI_TIMEOUT_MS, what: 'the stop time of a running workspace' });
    assert.doesNotMatch(await panel.getByTestId('last-activity').textContent(), /none yet/);
    await screenshot(page, 'workspace-idle');
    await select.selectOption({ label: 'Never' });
    await waitUntil(async () => (await api('GET', `/api/workspaces/${idleName}`)).json.idleTimeoutSeconds === 0,
      { timeoutMs: UI_TIMEOUT_MS, what: 'the idle timeout to be never' });
    await visible(panel.getByText('never for being idle'));
  });

  it('creates a workspace from a repository, shows a failed clone and retries it', async () => {
    const name = uniqueName('repo');
    // Nothing listens on port 9 of the workspace's own loopback, so the clone fails at once
    // on a real deployment; dev mode fails every URL that says "fail-clone".
    const repoUrl = 'https://127.0.0.1:9/fail-clone.git';
    const token = `tok-${name}`;
    await page.goto(url('/app/workspaces'));
    await page.getByRole('button', { name: 'Create workspace' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create workspace' });
    await visible(dialog);
    await dialog.getByLabel('Name').fill(name);
    const repo = dialog.getByLabel('Repository (optional)');
    await repo.fill('git@github.com:owner/project.git');
    await visible(dialog.getByText('Use an https:// URL'));
    assert.ok(await dialog.getByRole('button', { name: 'Create' }).isDisabled(), 'Create waits for a valid URL');
    await repo.fill(repoUrl.replace('https://', 'http://'));
    await dialog.getByLabel('Access token (private repositories)').fill(token);
    await visible(dialog.getByText('A token is only sent over https.'));
    await repo.fill(repoUrl);
    await dialog.getByLabel('Branch, tag or commit').fill('main');
    await dialog.getByRole('button', { name: 'Create' }).click();
    created.add(name);
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });

    await page.goto(url(`/app/workspaces/${name}`));
    await waitStatus(headerStatus, 'running', `${name} header`);
    await visible(page.getByTestId('repository-url').getByText('(with a token)'));
    assert.match(await page.getByTestId('repository-url').textContent(), /fail-clone\.git @ main/);
    const status = page.getByTestId('repository-status');
    await waitUntil(async () => /Failed:/.test(await status.textContent()), {
      timeoutMs: STATUS_TIMEOUT_MS, what: 'the clone to fail' });
    assert.ok((await page.getByTestId('repository-error').textContent()).length > 0, 'git\'s words are shown');
    assert.ok(!(await page.content()).includes(token), 'the token is never on the page');
    const answer = await api('GET', `/api/workspaces/${name}`);
    assert.equal(answer.json.repository.hasToken, true);
    assert.ok(!JSON.stringify(answer.json).includes(token), 'nor in the API answer');
    await screenshot(page, 'workspace-clone-failed');

    const retry = page.getByRole('button', { name: 'Retry clone' });
    await retry.click();
    await waitUntil(async () => {
      const r = await api('GET', `/api/workspaces/${name}`);
      return r.json.repository.status === 'failed' && r.json.repository.updatedAt !== answer.json.repository.updatedAt;
    }, { timeoutMs: STATUS_TIMEOUT_MS, what: 'the retried clone to end' });
    await visible(page.getByRole('button', { name: 'Retry clone' }));
  });

  it('adds and removes a port', async () => {
    await page.goto(url(`/app/workspaces/${mainName}`));
    await waitStatus(headerStatus, 'running', `${mainName} header`);
    const portInput = page.getByLabel('Port', { exact: true });
    await portInput.fill('80');
    await page.getByRole('button', { name: 'Add port' }).click();
    await visible(page.getByText('Use a port between 1024 and 65535.'));
    await portInput.fill('3000');
    await page.getByLabel('Label (optional)').fill('web app');
    await page.getByRole('button', { name: 'Add port' }).click();
    const item = page.locator('li[data-port="3000"]');
    await visible(item);
    assert.equal(await item.getByRole('link', { name: '3000' }).getAttribute('href'), `/workspace/${mainName}/port/3000/`);
    assert.match(await item.textContent(), /web app/);
    const ports = await api('GET', `/api/workspaces/${mainName}/ports`);
    assert.deepEqual(ports.json.items.map((p) => p.port), [3000]);
    await screenshot(page, 'workspace-ports');
    await item.getByRole('button', { name: 'Remove port 3000' }).click();
    await item.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    assert.deepEqual((await api('GET', `/api/workspaces/${mainName}/ports`)).json.items, []);
  });

  it('stops a workspace after confirmation', async () => {
    await page.goto(url(`/app/workspaces/${mainName}`));
    await waitStatus(headerStatus, 'running', `${mainName} header`);
    await page.getByRole('button', { name: 'Stop' }).click();
    const confirm = page.getByRole('dialog', { name: 'Stop workspace?' });
    await visible(confirm);
    await screenshot(page, 'confirm-stop');
    await confirm.getByRole('button', { name: 'Stop' }).click();
    await confirm.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    await waitStatus(headerStatus, 'stopped', `${mainName} after stop`);
    assert.equal((await api('GET', `/api/workspaces/${mainName}`)).json.status, 'stopped');
  });

  it('starts a stopped workspace', async () => {
    await page.getByRole('button', { name: 'Start' }).click();
    await waitStatus(headerStatus, 'running', `${mainName} after start`);
  });

  it('shows the server message in a toast when an action fails', async () => {
    // A real refusal: the workspace is stopped through the API while the dialog asking to stop
    // it is open, so the server answers the dialog's stop with 409 and its reason.
    await waitStatus(headerStatus, 'running', `${mainName} header`);
    await page.getByRole('button', { name: 'Stop' }).click();
    const confirm = page.getByRole('dialog', { name: 'Stop workspace?' });
    await visible(confirm);
    assert.equal((await api('POST', `/api/workspaces/${mainName}/stop`)).status, 202);
    await waitUntil(async () => (await api('GET', `/api/workspaces/${mainName}`)).json?.status === 'stopped', { timeoutMs: STATUS_TIMEOUT_MS, what: `${mainName} to stop through the API` });
    const refusal = await api('POST', `/api/workspaces/${mainName}/stop`);
    assert.equal(refusal.status, 409, JSON.stringify(refusal.json));
    await confirm.getByRole('button', { name: 'Stop' }).click();
    await visible(page.locator('.toast-error').getByText(refusal.json.error.message, { exact: false }));
    await screenshot(page, 'toast-error');
    // The next test starts from a running workspace.
    assert.equal((await api('POST', `/api/workspaces/${mainName}/start`)).status, 202);
    await waitStatus(headerStatus, 'running', `${mainName} after the start through the API`);
  });

  it('deletes a workspace after confirmation', async () => {
    await page.goto(url(`/app/workspaces/${mainName}`));
    await waitStatus(headerStatus, 'running', `${mainName} header`);
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('dialog', { name: 'Stop workspace?' }).getByRole('button', { name: 'Stop' }).click();
    await waitStatus(headerStatus, 'stopped', `${mainName} before delete`);
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete workspace?' });
    await visible(confirm);
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    assert.equal((await api('GET', `/api/workspaces/${mainName}`)).status, 200, 'Escape cancels');
    await page.getByRole('button', { name: 'Delete' }).click();
    await visible(confirm);
    await screenshot(page, 'confirm-delete');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL('**/app/workspaces');
    await waitUntil(async () => (await api('GET', `/api/workspaces/${mainName}`)).status === 404, { timeoutMs: STATUS_TIMEOUT_MS, what: `${mainName} to be deleted` });
    await row(mainName).waitFor({ state: 'detached', timeout: STATUS_TIMEOUT_MS });
  });

  it('stops and starts from the row menu with the keyboard', async () => {
    const name = uniqueName('menu');
    await apiCreate(name);
    await page.goto(url('/app/workspaces'));
    await waitStatus(() => rowStatus(name), 'running', `${name} in the list`);
    const menuButton = row(name).getByRole('button', { name: `Actions for ${name}` });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: `Actions for ${name}` });
    await visible(menu);
    await focusOn('Open IDE', 'the first menu item to have the focus');
    await screenshot(page, 'row-menu');
    await page.keyboard.press('ArrowDown'); // Start is disabled while running: skipped
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Stop');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Stop workspace?' }).getByRole('button', { name: 'Stop' }).click();
    await waitStatus(() => rowStatus(name), 'stopped', `${name} after stop from the menu`);
    await menuButton.click();
    await menu.getByRole('menuitem', { name: 'Start' }).click();
    await waitStatus(() => rowStatus(name), 'running', `${name} after start from the menu`);
  });

  it('shows the reason of a workspace in error', async () => {
    let name = listName;
    let reason = 'runtime: start instance: 500 no space left on device';
    if (target.failStart) {
      // Dev mode's runtime fails this workspace's start: the worker retries, then records why.
      ({ name, message: reason } = target.failStart);
      await apiCreate(name);
      await waitUntil(async () => (await api('GET', `/api/workspaces/${name}`)).json?.status === 'error', { timeoutMs: FAILURE_TIMEOUT_MS, what: `${name} to fail`, intervalMs: 250 });
    } else {
      // A real deployment cannot be told to fail: its answer is altered in the browser.
      await page.route(`**/api/workspaces/${listName}`, async (route) => {
        const res = await route.fetch();
        const body = { ...(await res.json()), status: 'error', statusReason: reason };
        await route.fulfill({ response: res, json: body });
      });
    }
    await page.goto(url(`/app/workspaces/${name}`));
    await waitStatus(headerStatus, 'error', `${name} header`);
    const shown = await page.getByTestId('status-reason').textContent();
    if (target.failStart) {
      assert.ok(shown.includes(reason), `"${shown}" names the runtime's message`);
      assert.equal(shown, (await api('GET', `/api/workspaces/${name}`)).json.statusReason);
    } else {
      assert.equal(shown, reason);
    }
    assert.ok(await page.getByRole('button', { name: 'Start' }).isEnabled());
    assert.ok(await page.getByRole('button', { name: 'Delete' }).isEnabled());
    await screenshot(page, 'workspace-error');
    if (!target.failStart) await page.unroute(`**/api/workspaces/${listName}`);
  });

  it('pages through more workspaces than a page with Load more', async () => {
    for (let i = 0; i < 3; i++) await apiCreate(uniqueName(`page${i}`));
    const total = await countAll();
    assert.ok(total >= 5, `need at least 5 workspaces, have ${total}`);
    await page.goto(url('/app/workspaces?limit=2'));
    await waitUntil(async () => (await page.locator('tbody tr[data-workspace]').count()) === 2, { timeoutMs: UI_TIMEOUT_MS, what: 'the first page of 2' });
    const more = page.getByRole('button', { name: 'Load more' });
    await visible(more);
    await more.click();
    await waitUntil(async () => (await page.locator('tbody tr[data-workspace]').count()) === 4, { timeoutMs: UI_TIMEOUT_MS, what: 'the second page' });
    while (await more.isVisible()) {
      await more.click();
      await page.waitForTimeout(0);
      await waitUntil(async () => !(await page.getByRole('button', { name: 'Loading…' }).isVisible()), { timeoutMs: UI_TIMEOUT_MS, what: 'the next page' });
    }
    const names = await page.locator('tbody tr[data-workspace]').evaluateAll((rows) => rows.map((r) => r.dataset.workspace));
    assert.equal(new Set(names).size, names.length, 'no duplicates');
    for (const n of created) {
      if (n !== mainName) assert.ok(names.includes(n), `${n} is listed`);
    }
    await screenshot(page, 'workspaces-paged');
  });

  it('shows an alert with Retry while the API is unreachable', async () => {
    const alert = page.getByRole('alert').filter({ hasText: 'The Rockpool API is unreachable' });
    if (target.dev) {
      // The dev server is stopped for real; the page is already loaded, and the list is asked
      // for again by navigating inside it. It comes back with an empty store, which has no
      // session: the page's requests stay refused in the browser until the context signs in again.
      await page.goto(url('/app/settings'));
      await visible(page.getByRole('navigation', { name: 'Main' }));
      await target.stop();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workspaces' }).click();
      await visible(alert);
      await screenshot(page, 'api-unreachable');
      await page.route('**/api/**', (route) => route.abort('connectionrefused'));
      await target.start();
      await signIn(context, target.origin, target.credentials);
      await page.unroute('**/api/**');
    } else {
      // The deployment is shared: its answers are refused in the browser instead.
      await page.route('**/api/**', (route) => route.abort('connectionrefused'));
      await page.goto(url('/app/workspaces'));
      await visible(alert);
      await screenshot(page, 'api-unreachable');
      await page.unroute('**/api/**');
    }
    await alert.getByRole('button', { name: 'Retry' }).click();
    await alert.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    await visible(page.locator('tbody tr[data-workspace]').first().or(page.getByRole('heading', { name: 'No workspaces yet' })));
  });

  it('shows settings with the API endpoint, its health and the build version', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL('**/app/settings');
    await visible(page.getByText(`${target.origin}/api`));
    await waitUntil(async () => (await page.getByTestId('api-health').textContent()) === 'ok', { timeoutMs: UI_TIMEOUT_MS, what: 'API health ok' });
    await visible(page.getByText(/^0\.1\.0\+/));
    await screenshot(page, 'settings');
  });

  async function countAll() {
    let n = 0;
    let cursor = null;
    do {
      const r = await api('GET', `/api/workspaces?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      n += r.json.items.length;
      cursor = r.json.nextCursor;
    } while (cursor);
    return n;
  }
});
