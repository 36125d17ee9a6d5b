// Browser test of accounts on the dashboard: the header says who is signed in; the admin adds a
// member on the Settings page (the form refuses a short password before sending anything); the
// member, signed in in its own browser context, sees no admin features and is refused the account
// list; it changes its own password in Settings (a wrong current one is refused), and only the new
// one signs in from then on; the admin disables it (its sign-in stops at once), enables it again
// and deletes it after confirmation. Makes no workspaces. Runs against `rockpool serve --dev`
// unless ROCKPOOL_APP_URL names a real deployment (then every call goes through Caddy).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { apiClient, launchBrowser, newPage, screenshot, startTarget, uniqueName } from './harness.mjs';

const UI_TIMEOUT_MS = 10000;

describe('dashboard users', { timeout: 5 * 60 * 1000 }, () => {
  let target;
  let browser;
  let api;
  let page;
  let context;
  let memberContext;
  // uniqueName gives m-<lowercase letters and digits>: a valid Username of at most 32 characters.
  // memberTarget's credentials are this object: a change of its password reaches every later sign-in.
  const member = { username: uniqueName('m'), password: `pw-${randomBytes(12).toString('hex')}` };
  let memberTarget;
  // Built for each call, so it signs in with the member's password of the moment.
  const memberApi = (...args) => apiClient(memberTarget)(...args);

  const url = (path) => `${target.origin}${path}`;
  const visible = (locator) => locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const usersSection = () => page.getByRole('region', { name: /^Users\b/ });
  const userRow = (username) => usersSection().locator(`tr[data-user="${username}"]`);
  const addForm = () => usersSection().getByRole('form', { name: 'Add a user' });
  const listed = async (username) => {
    const r = await api('GET', '/api/users');
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return r.json.items.find((u) => u.username === username);
  };

  before(async () => {
    target = await startTarget();
    assert.ok(target.credentials, 'the target has an admin to sign in as (ROCKPOOL_USERNAME / ROCKPOOL_PASSWORD)');
    api = apiClient(target);
    memberTarget = { ...target, credentials: member };
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, target));
    page.setDefaultTimeout(UI_TIMEOUT_MS);
  });

  after(async () => {
    // The account is deleted even when a test failed.
    const left = [];
    await memberContext?.close();
    if (api) {
      const r = await api('DELETE', `/api/users/${member.username}`);
      if (r.status !== 204 && r.status !== 404) left.push(`${member.username}: ${r.status} ${JSON.stringify(r.json)}`);
    }
    await context?.close();
    await browser?.close();
    await target?.close();
    assert.deepEqual(left, [], 'accounts the tests made and could not delete');
  });

  it('shows the admin in the header and adds a member in Settings', async () => {
    const admin = target.credentials.username;
    await page.goto(url('/app/settings'));
    const banner = page.getByRole('banner');
    await visible(banner.getByTestId('account-name'));
    assert.equal((await banner.getByTestId('account-name').textContent()).trim(), admin);
    await visible(banner.getByTestId('admin-badge'));
    assert.equal((await banner.getByTestId('admin-badge').textContent()).trim(), 'admin');

    await visible(usersSection());
    // The deployment's own account is shown, marked, and offers no actions.
    const own = userRow(admin);
    await visible(own);
    assert.match(await own.textContent(), /deployment account/);
    assert.equal(await own.getByRole('button').count(), 0, 'no actions on the deployment account');
    // Its own password is set with `rockpool up` only: a note, no form.
    const ownPassword = page.getByRole('region', { name: 'Your password', exact: true });
    await visible(ownPassword.getByTestId('own-password-rockpool-up'));
    assert.match(await ownPassword.textContent(), /rockpool up/);
    assert.equal(await ownPassword.locator('form').count(), 0, 'no password form for the deployment account');

    // A password under 12 characters is refused in the page: nothing is sent.
    const posts = [];
    const onRequest = (req) => {
      if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/users') posts.push(req.url());
    };
    page.on('request', onRequest);
    const form = addForm();
    await form.getByLabel('User', { exact: true }).fill(member.username);
    await form.getByLabel('Password', { exact: true }).fill('too-short');
    await form.getByRole('button', { name: 'Add user' }).click();
    await visible(form.getByRole('alert').filter({ hasText: 'Too short (9); use at least 12 characters.' }));
    assert.equal(await form.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), 'true');
    page.off('request', onRequest);
    assert.deepEqual(posts, [], 'no request for an invalid form');
    assert.equal(await listed(member.username), undefined, 'the account was not made');
    await screenshot(page, 'settings-user-invalid');

    // A valid one makes the account, shown as an enabled member.
    await form.getByLabel('Password', { exact: true }).fill(member.password);
    assert.equal(await form.getByLabel('Role').inputValue(), 'member');
    const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/users' && r.request().method() === 'POST');
    await form.getByRole('button', { name: 'Add user' }).click();
    const answer = await created;
    assert.equal(answer.status(), 201, await answer.text());
    const row = userRow(member.username);
    await visible(row);
    await visible(row.getByRole('cell', { name: 'member', exact: true }));
    await visible(row.getByRole('cell', { name: 'enabled', exact: true }));
    await visible(row.getByRole('button', { name: `Disable ${member.username}`, exact: true }));
    await visible(row.getByRole('button', { name: `Make ${member.username} an admin`, exact: true }));
    await visible(row.getByRole('button', { name: `Delete ${member.username}`, exact: true }));
    assert.equal(await form.getByLabel('User', { exact: true }).inputValue(), '', 'the form is cleared');
    const made = await listed(member.username);
    assert.ok(made, 'the API lists the account');
    assert.equal(made.role, 'member');
    assert.equal(made.disabled, false);
    assert.equal(made.deployment, false);
    assert.ok(made.createdAt, 'it has a creation time');
    await screenshot(page, 'settings-user-added');
  });

  it('signs the member in without admin features', async () => {
    let memberPage;
    ({ context: memberContext, page: memberPage } = await newPage(browser, memberTarget));
    memberPage.setDefaultTimeout(UI_TIMEOUT_MS);

    // Its workspace list has no owner column and no owner filter.
    await memberPage.goto(url('/app/workspaces'));
    const name = memberPage.getByRole('banner').getByTestId('account-name');
    await visible(name);
    assert.equal((await name.textContent()).trim(), member.username);
    assert.equal(await memberPage.getByRole('banner').getByTestId('admin-badge').count(), 0, 'no admin badge');
    await visible(memberPage.locator('tbody tr[data-workspace]').first().or(memberPage.getByRole('heading', { name: 'No workspaces yet' })));
    assert.equal(await memberPage.getByLabel('Owner', { exact: true }).count(), 0, 'no owner filter');
    assert.equal(await memberPage.getByRole('columnheader', { name: 'Owner' }).count(), 0, 'no owner column');

    // Settings has its tokens but no Users section (the header shows the role is known).
    await memberPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await memberPage.waitForURL('**/app/settings');
    await visible(memberPage.getByRole('heading', { name: /API tokens/ }));
    assert.equal(await memberPage.getByRole('heading', { name: /^Users\b/ }).count(), 0, 'no Users section');
    assert.equal(await memberPage.getByRole('form', { name: 'Add a user' }).count(), 0);
    await screenshot(memberPage, 'settings-member');

    // The API refuses it the accounts.
    const refused = await memberPage.evaluate(async () => {
      const r = await fetch('/api/users', { headers: { Accept: 'application/json', 'X-Rockpool-Request': 'test' } });
      return { status: r.status, body: await r.json().catch(() => null) };
    });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body?.error?.code, 'forbidden');

    // Closed: each test signs the member in afresh.
    await memberContext.close();
    memberContext = undefined;
  });

  it('lets the member change its own password in Settings', async () => {
    const newPassword = `pw2-${randomBytes(12).toString('hex')}`;
    let memberPage;
    ({ context: memberContext, page: memberPage } = await newPage(browser, memberTarget));
    memberPage.setDefaultTimeout(UI_TIMEOUT_MS);
    await memberPage.goto(url('/app/settings'));
    const section = memberPage.getByRole('region', { name: 'Your password', exact: true });
    const form = section.getByRole('form', { name: 'Change your password', exact: true });
    await visible(form);
    const field = (label) => form.getByLabel(label, { exact: true });
    const submit = form.getByRole('button', { name: 'Change password', exact: true });
    const isChange = (r) => new URL(r.url()).pathname === '/api/me/password' && r.request().method() === 'POST';

    // New passwords that differ are refused in the page: nothing is sent.
    const posts = [];
    const onRequest = (req) => {
      if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/me/password') posts.push(req.url());
    };
    memberPage.on('request', onRequest);
    await field('Current password').fill(member.password);
    await field('New password').fill(newPassword);
    await field('New password again').fill(`${newPassword}x`);
    await submit.click();
    await visible(form.getByRole('alert').filter({ hasText: 'The two new passwords differ.' }));
    assert.equal(await field('New password again').getAttribute('aria-invalid'), 'true');
    memberPage.off('request', onRequest);
    assert.deepEqual(posts, [], 'no request for an invalid form');

    // A wrong current password is refused by the server, with its message; the password stays.
    await field('Current password').fill(`not-${member.password}`);
    await field('New password again').fill(newPassword);
    const refusedAnswer = memberPage.waitForResponse(isChange);
    await submit.click();
    const refused = await refusedAnswer;
    assert.equal(refused.status(), 403, await refused.text());
    await visible(section.getByRole('alert').filter({ hasText: 'the current password is wrong' }));
    await screenshot(memberPage, 'settings-own-password-wrong');

    // The right one changes it; the page says to sign in again.
    await field('Current password').fill(member.password);
    const changedAnswer = memberPage.waitForResponse(isChange);
    await submit.click();
    const changed = await changedAnswer;
    const oldPassword = member.password;
    // From here every sign-in of the member (its pages and memberApi) uses the new password.
    if (changed.status() === 204) member.password = newPassword;
    // A 204 has no body to read; anything else carries the reason.
    assert.equal(changed.status(), 204, changed.status() === 204 ? '' : await changed.text());
    const done = section.getByTestId('own-password-changed');
    await visible(done);
    assert.equal(await done.getAttribute('role'), 'status');
    assert.match(await done.textContent(), /Your password is changed\..*sign in again.*new password/s);
    assert.equal(await section.getByRole('alert').count(), 0, 'the refusal is gone');
    for (const label of ['Current password', 'New password', 'New password again']) {
      assert.equal(await field(label).inputValue(), '', `${label} is cleared`);
    }
    await screenshot(memberPage, 'settings-own-password-changed');

    // The new password ended the member's sessions, this browser's too.
    const ended = await memberContext.request.get(url('/api/me'), { headers: { 'X-Rockpool-Request': 'test' } });
    assert.equal(ended.status(), 401, await ended.text());
    await memberContext.close();
    memberContext = undefined;

    // One request with the old password (it is refused), then the new one, which clears the count.
    const old = await apiClient({ ...target, credentials: { username: member.username, password: oldPassword } })('GET', '/api/me');
    assert.equal(old.status, 401, JSON.stringify(old.json));
    const renewed = await memberApi('GET', '/api/me');
    assert.equal(renewed.status, 200, JSON.stringify(renewed.json));
    assert.equal(renewed.json.username, member.username);
  });

  it('disables the member (its sign-in stops), enables it again and deletes it', async () => {
    const before = await memberApi('GET', '/api/me');
    assert.equal(before.status, 200, JSON.stringify(before.json));
    assert.deepEqual(before.json, { username: member.username, role: 'member', deployment: false });

    const row = userRow(member.username);
    await visible(row);
    await row.getByRole('button', { name: `Disable ${member.username}`, exact: true }).click();
    await visible(row.getByRole('cell', { name: 'disabled', exact: true }));
    await screenshot(page, 'settings-user-disabled');
    // Exactly one request with the disabled account's password: more would count towards the
    // sign-in rate limit of this client address.
    const refused = await memberApi('GET', '/api/me');
    assert.equal(refused.status, 401, JSON.stringify(refused.json));
    assert.equal((await listed(member.username)).disabled, true);

    await row.getByRole('button', { name: `Enable ${member.username}`, exact: true }).click();
    await visible(row.getByRole('cell', { name: 'enabled', exact: true }));
    const again = await memberApi('GET', '/api/me');
    assert.equal(again.status, 200, JSON.stringify(again.json));

    await row.getByRole('button', { name: `Delete ${member.username}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete user?' });
    await visible(dialog);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    assert.equal(await listed(member.username), undefined, 'the account is gone');
    await screenshot(page, 'settings-user-deleted');
  });
});
