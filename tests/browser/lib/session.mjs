// Signs a playwright browser context in as the dashboard's sign-in page does: POST /api/session
// with the password. The answer's session cookie (HttpOnly, no Domain) lands in the context's
// cookie jar, so every page of the context sends it, on the dashboard's port and on the
// workspace port of the same host.

export const SESSION_COOKIE = 'rockpool_session';

/**
 * Signs `context` in at `appOrigin` (the dashboard's origin, or any URL on it) as
 * `credentials` ({ username, password }); resolves the session ({ username, role, expiresAt }).
 * Throws with the server's answer unless it is 201 with the cookie.
 */
export async function signIn(context, appOrigin, credentials) {
  const origin = new URL(appOrigin).origin;
  const { username, password } = credentials;
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const res = await context.request.post(`${origin}/api/session`, {
    headers: { Authorization: authorization, 'X-Rockpool-Request': 'test', Accept: 'application/json' },
    maxRedirects: 0,
  });
  const text = await res.text();
  if (res.status() !== 201) {
    throw new Error(`signing in as "${username}": POST ${origin}/api/session answered ${res.status()} ${text.slice(0, 300)}`);
  }
  const cookies = await context.cookies(origin);
  if (!cookies.some((c) => c.name === SESSION_COOKIE)) {
    throw new Error(`signing in as "${username}": POST ${origin}/api/session answered 201 but set no ${SESSION_COOKIE} ` +
      `cookie (Set-Cookie: ${res.headers()['set-cookie'] ?? 'none'})`);
  }
  return JSON.parse(text);
}
