// Browser test of signing in to the dashboard, as a member made for the test: a browser that has
// not signed in is sent to the sign-in page (no top bar, no call for /api/me), which shows the
// server's refusal of a wrong password and signs in with the right one, back to the page it was
// going to; the session cookie is HttpOnly, SameSite=Lax and unseen by the page's scripts. Sign
// out ends the session (its cookie is refused from then on); Sign out everywhere in one browser
// ends the session of another; `next` brings the browser back to the dashboard, never to another
// site. Makes no workspaces. Runs against `rockpool serve --dev` unless ROCKPOOL_APP_URL names a
// real deployment (then every call goes through Caddy).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  apiClient,
  launchBrowser,
  newPage,
  screenshot,
  SESSION_COOKIE,
  startTarget,
  uniqueName,
} from './harness.mjs';

const UI_TIMEOUT_MS = 10000;

describe('dashboard sessions', { timeout: 5 * 60 * 1000 }, () => {
  let target;
  let browser;
  let api;
  const contexts = [];
  // uniqueName gives s-<lowercase letters and digits>: a valid username.
  const member = { username: uniqueName('s'), password: `pw-${randomBytes(12).toString('hex')}` };

  const url = (path) => `${target.origin}${path}`;
  const visible = (locator) => locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const isSignIn = (r) => new URL(r.url()).pathname === '/api/session' && r.request().method() === 'POST';
  const onSignInPage = (next) => (u) => u.origin === target.origin && u.pathname === '/app/login' &&
    (next === undefined || u.searchParams.get('next') === next);
  const sessionCookie = async (context) => (await context.cookies(target.origin)).find((c) => c.name === SESSION_COOKIE);
  /** GET /api/me with only a session cookie, as a browser would send it. */
  const meWithCookie = (value) => fetch(url('/api/me'), {
    headers: { Accept: 'application/json', 'X-Rockpool-Request': 'test', Cookie: `${SESSION_COOKIE}=${value}` },
  });
  /** The server's message in an error answer. */
  const messageOf = (body) => body?.error?.message ?? body?.message;

  /** A browser context of its own, signed in as the member, or not signed in at all. */
  async function browserOf({ signedIn }) {
    const opened = await newPage(browser, { ...target, credentials: member }, { signedIn });
    contexts.push(opened.context);
    opened.page.setDefaultTimeout(UI_TIMEOUT_MS);
    return opened;
  }

  /** Fills in the sign-in page and sends it; resolves the answer to POST /api/session. */
  async function signInOnPage(page, password) {
    await visible(page.getByRole('heading', { name: 'Sign in', exact: true }));
    await page.getByLabel('Username', { exact: true }).fill(member.username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    const answer = page.waitForResponse(isSignIn);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    return answer;
  }

  before(async () => {
    target = await startTarget();
    assert.ok(target.credentials, 'the target has an admin to sign in as (ROCKPOOL_USERNAME / ROCKPOOL_PASSWORD)');
    api = apiClient(target);
    const made = await api('POST', '/api/users', { username: member.username, password: member.password, role: 'member' });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    browser = await launchBrowser();
  });

  after(async () => {
    // The account (and with it every session of it) is deleted even when a test failed.
    const left = [];
    for (const context of contexts) await context.close().catch(() => {});
    if (api) {
      const r = await api('DELETE', `/api/users/${member.username}`);
      if (r.status !== 204 && r.status !== 404) left.push(`${member.username}: ${r.status} ${JSON.stringify(r.json)}`);
    }
    await browser?.close();
    await target?.close();
    assert.deepEqual(left, [], 'accounts the tests made and could not delete');
  });

  let first; // the browser signed in by the first test, signed out by the second

  it('sends a browser that has not signed in to the sign-in page, and signs it in there', async () => {
    const { context, page } = await browserOf({ signedIn: false });
    first = { context, page };
    const apiCalls = [];
    page.on('request', (req) => {
      const path = new URL(req.url()).pathname;
      if (path.startsWith('/api/')) apiCalls.push(`${req.method()} ${path}`);
    });

    // The server answers the navigation with a redirect, before any page is served.
    const landed = await page.goto(url('/app/workspaces?limit=2'));
    await page.waitForURL(onSignInPage('/app/workspaces?limit=2'));
    const redirected = landed.request().redirectedFrom();
    assert.ok(redirected, 'the server redirected the navigation');
    assert.equal(new URL(redirected.url()).pathname, '/app/workspaces');
    assert.equal((await redirected.response()).status(), 302);

    // The page: no top bar, a form with labelled fields the password managers know.
    await visible(page.getByRole('heading', { name: 'Sign in', exact: true }));
    assert.equal(await page.getByRole('banner').count(), 0, 'no top bar');
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0, 'no navigation');
    assert.equal(await page.getByLabel('Username', { exact: true }).getAttribute('autocomplete'), 'username');
    assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('autocomplete'), 'current-password');
    assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('type'), 'password');
    await page.waitForFunction(() => document.title === 'Sign in · Rockpool');
    assert.deepEqual(apiCalls, [], 'the sign-in page calls no API before it is used');
    await screenshot(page, 'sign-in');

    // A wrong password: the server's message, and the page stays.
    const refused = await signInOnPage(page, `not-${member.password}`);
    assert.equal(refused.status(), 401, await refused.text());
    const message = messageOf(await refused.json());
    assert.ok(message, 'the refusal carries a message');
    await visible(page.getByRole('alert').filter({ hasText: message }));
    assert.ok(onSignInPage('/app/workspaces?limit=2')(new URL(page.url())), `still on the sign-in page: ${page.url()}`);
    assert.equal(await sessionCookie(context), undefined, 'no session cookie for a wrong password');
    assert.equal(await page.getByRole('button', { name: 'Sign in', exact: true }).isEnabled(), true);
    await screenshot(page, 'sign-in-refused');

    // The right one: back to the page it was going to, signed in.
    const accepted = await signInOnPage(page, member.password);
    assert.equal(accepted.status(), 201, await accepted.text());
    const started = await accepted.json();
    assert.equal(started.username, member.username);
    assert.equal(started.role, 'member');
    assert.ok(Date.parse(started.expiresAt) > Date.now(), `expiresAt ${started.expiresAt} is in the future`);
    await page.waitForURL((u) => u.pathname === '/app/workspaces' && u.searchParams.get('limit') === '2');
    const name = page.getByRole('banner').getByTestId('account-name');
    await visible(name);
    assert.equal((await name.textContent()).trim(), member.username);
    await visible(page.locator('tbody tr[data-workspace]').first().or(page.getByRole('heading', { name: 'No workspaces yet' })));
    assert.deepEqual(await page.getByRole('alert').allTextContents(), [], 'no error shown once signed in');

    // The cookie: HttpOnly, SameSite=Lax, for the whole host (every port), out of the page's reach.
    const cookie = await sessionCookie(context);
    const names = (await context.cookies()).map((c) => c.name);
    assert.ok(cookie, `a ${SESSION_COOKIE} cookie among ${JSON.stringify(names)}`);
    assert.equal(cookie.httpOnly, true, 'HttpOnly');
    assert.equal(cookie.sameSite, 'Lax', 'SameSite=Lax');
    assert.equal(cookie.path, '/');
    assert.equal(cookie.domain, new URL(target.origin).hostname, 'no Domain attribute: this host only');
    assert.equal(cookie.secure, new URL(target.origin).protocol === 'https:', 'Secure under HTTPS only');
    assert.ok(cookie.expires > Date.now() / 1000, 'kept for its Max-Age');
    const otherPort = `${new URL(target.origin).protocol}//${new URL(target.origin).hostname}:1`;
    assert.ok((await context.cookies(otherPort)).some((c) => c.name === SESSION_COOKIE), 'sent to the other ports of the host');
    const scripts = await page.evaluate(() => document.cookie);
    assert.ok(!scripts.includes(SESSION_COOKIE), `document.cookie shows it: ${scripts}`);
  });

  it('signs out: the session ends, and its cookie is refused from then on', async () => {
    assert.ok(first, 'the first test signed a browser in');
    const { context, page } = first;
    const old = (await sessionCookie(context))?.value;
    assert.ok(old, 'the browser holds a session');
    // The cookie alone signs a request in, as long as the session lasts.
    const before = await meWithCookie(old);
    const beforeText = await before.text();
    assert.equal(before.status, 200, beforeText);
    assert.equal(JSON.parse(beforeText).username, member.username);

    await page.goto(url('/app/settings'));
    const signOut = page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true });
    await visible(signOut);
    const ended = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/session' && r.request().method() === 'DELETE');
    await signOut.click();
    assert.equal((await ended).status(), 204);
    await page.waitForURL(onSignInPage(null));
    await visible(page.getByRole('heading', { name: 'Sign in', exact: true }));
    assert.equal(await sessionCookie(context), undefined, 'the cookie is removed');

    // The dashboard asks to sign in again.
    await page.goto(url('/app/workspaces'));
    await page.waitForURL(onSignInPage('/app/workspaces'));
    await visible(page.getByRole('heading', { name: 'Sign in', exact: true }));

    // The old cookie, sent again by hand, is refused, and not with a challenge for a password.
    const replayed = await meWithCookie(old);
    assert.equal(replayed.status, 401, await replayed.text());
    assert.doesNotMatch(replayed.headers.get('www-authenticate') ?? '', /basic/i, 'no basic-auth challenge');
  });

  it('signs out everywhere: the sessions of other browsers end too', async () => {
    const one = await browserOf({ signedIn: true });
    const other = await browserOf({ signedIn: true });
    const meOf = (context) => context.request.get(url('/api/me'), { headers: { 'X-Rockpool-Request': 'test' } });
    for (const { page } of [one, other]) {
      await page.goto(url('/app/settings'));
      const name = page.getByRole('banner').getByTestId('account-name');
      await visible(name);
      assert.equal((await name.textContent()).trim(), member.username);
    }
    assert.equal((await meOf(other.context)).status(), 200, 'the other browser is signed in');

    const section = one.page.getByRole('region', { name: 'Sessions', exact: true });
    await visible(section);
    await section.getByRole('button', { name: 'Sign out everywhere', exact: true }).click();
    const dialog = one.page.getByRole('dialog', { name: 'Sign out everywhere?' });
    await visible(dialog);
    await screenshot(one.page, 'settings-sign-out-everywhere');
    const endedAnswer = one.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me/sessions' && r.request().method() === 'DELETE');
    await dialog.getByRole('button', { name: 'Sign out everywhere', exact: true }).click();
    // Its body is gone with the page, which loads the sign-in page at once: the status only.
    assert.equal((await endedAnswer).status(), 200);
    await one.page.waitForURL(onSignInPage(null));
    assert.equal(await sessionCookie(one.context), undefined, 'the cookie is removed');

    // The other browser still holds its cookie, which no longer signs in.
    assert.ok(await sessionCookie(other.context), 'the other browser still holds a cookie');
    const refused = await meOf(other.context);
    assert.equal(refused.status(), 401, await refused.text());
    await other.page.goto(url('/app/settings'));
    await other.page.waitForURL(onSignInPage('/app/settings'));
    await visible(other.page.getByRole('heading', { name: 'Sign in', exact: true }));
  });

  it('goes back to `next` after signing in, on this site only', async () => {
    const { page } = await browserOf({ signedIn: false });
    const elsewhere = [];
    page.on('request', (req) => {
      if (new URL(req.url()).hostname !== new URL(target.origin).hostname) elsewhere.push(req.url());
    });
    for (const next of ['https://evil.example/', '//evil.example/app/settings', '/\\evil.example/', 'javascript:alert(1)']) {
      await page.goto(url(`/app/login?next=${encodeURIComponent(next)}`));
      const answer = await signInOnPage(page, member.password);
      assert.equal(answer.status(), 201, await answer.text());
      await page.waitForURL((u) => u.origin === target.origin && u.pathname === '/app/workspaces');
      await visible(page.getByRole('banner').getByTestId('account-name'));
    }
    assert.deepEqual(elsewhere, [], 'no request left this host');

    await page.goto(url(`/app/login?next=${encodeURIComponent('/app/settings')}`));
    const answer = await signInOnPage(page, member.password);
    assert.equal(answer.status(), 201, await answer.text());
    await page.waitForURL((u) => u.origin === target.origin && u.pathname === '/app/settings');
    await visible(page.getByRole('heading', { level: 1, name: 'Settings' }));
  });
});
