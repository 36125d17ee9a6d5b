// Browser test of API tokens on the dashboard's Settings page: make one (its secret shown once),
// use it as a script would, see that it cannot make tokens itself, revoke it after confirmation
// and see it refused from then on. Runs against `rockpool serve --dev` unless ROCKPOOL_APP_URL
// names a real deployment (then every call goes through Caddy).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, launchBrowser, newPage, screenshot, startTarget, uniqueName } from './harness.mjs';

const UI_TIMEOUT_MS = 10000;

describe('dashboard API tokens', { timeout: 5 * 60 * 1000 }, () => {
  let target;
  let browser;
  let api;
  let page;
  let context;
  const tokenName = uniqueName('ui token');

  const url = (path) => `${target.origin}${path}`;
  const visible = (locator) => locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  before(async () => {
    target = await startTarget();
    api = apiClient(target);
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, target));
    page.setDefaultTimeout(UI_TIMEOUT_MS);
  });

  after(async () => {
    // The token is revoked even when a test failed.
    const left = [];
    if (api) {
      const listed = await api('GET', '/api/tokens');
      for (const t of listed.json?.items ?? []) {
        if (t.name !== tokenName) continue;
        const r = await api('DELETE', `/api/tokens/${t.id}`);
        if (r.status !== 204) left.push(`${t.name}: ${r.status}`);
      }
    }
    await context?.close();
    await browser?.close();
    await target?.close();
    assert.deepEqual(left, [], 'tokens the tests made and could not revoke');
  });

  it('makes a token, shows its secret once, and the token signs a script in', async () => {
    await page.goto(url('/app/settings'));
    const form = page.getByRole('heading', { name: /API tokens/ });
    await visible(form);
    // A bad name is refused before anything is sent.
    await page.getByLabel('Name').fill(' starts with a space');
    await page.getByRole('button', { name: 'Create token' }).click();
    await visible(page.getByRole('alert').filter({ hasText: 'Start with a letter or digit' }));

    await page.getByLabel('Name').fill(tokenName);
    await page.getByLabel('Expires after').selectOption('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secretField = page.getByLabel('New token secret');
    await visible(secretField);
    const secret = await secretField.inputValue();
    assert.match(secret, /^rpt_[A-Za-z0-9_-]{43}$/);
    await visible(page.locator(`li[data-token="${tokenName}"]`));
    await screenshot(page, 'settings-token-made');

    const script = apiClient(target, { token: secret });
    const list = await script('GET', '/api/workspaces?limit=1');
    assert.equal(list.status, 200, JSON.stringify(list.json));
    const successor = await script('POST', '/api/tokens', { name: `${tokenName} 2` });
    assert.equal(successor.status, 403, JSON.stringify(successor.json));
    assert.match(successor.json.error.message, /cannot make tokens/);

    // The list shows the token's use, and never a secret.
    const listed = await api('GET', '/api/tokens');
    const mine = listed.json.items.find((t) => t.name === tokenName);
    assert.ok(mine, JSON.stringify(listed.json));
    assert.equal(mine.token, undefined);
    assert.ok(mine.lastUsedAt, 'the script used it');
    assert.ok(mine.expiresAt, 'it expires');

    // A reload forgets the secret: it is shown only once.
    await page.reload();
    await visible(page.locator(`li[data-token="${tokenName}"]`));
    assert.equal(await page.getByLabel('New token secret').count(), 0);

    // Revoked after confirmation, it stops at once.
    await page.getByRole('button', { name: `Revoke token ${tokenName}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke token?' });
    await visible(dialog);
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await page.locator(`li[data-token="${tokenName}"]`).waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    const refused = await script('GET', '/api/workspaces?limit=1');
    assert.equal(refused.status, 401, JSON.stringify(refused.json));
    assert.match(refused.json.error.message, /unknown or was revoked/);
  });
});
