// The sign-in page's address and where it sends the browser afterwards. `next` comes from the
// URL, so anyone can write it: it is followed only to a path of this origin or to a page of this
// host (any port: workspaces are served on another port of the same host), never elsewhere.

export const LOGIN_PATH = '/app/login';
export const AFTER_SIGN_IN = '/app/workspaces';

/** The sign-in page, coming back to `next` (a path and query, or an absolute URL) afterwards. */
export function signInPath(next?: string): string {
  return next ? `${LOGIN_PATH}?next=${encodeURIComponent(next)}` : LOGIN_PATH;
}

// The URL parser drops tabs and newlines and reads "\" as "/", so "/\t/evil.example" or
// "/\evil.example" would leave this host: any such character makes `next` unsafe.
const UNSAFE_CHARACTERS = /[\u0000-\u0020\u007f\\]/;

/**
 * Where to go after signing in: `next` when it is safe, else the workspace list. Safe is a path
 * of this origin (one leading "/"), or an http(s) URL of `here`'s host name on any port; never
 * the sign-in page itself.
 */
export function afterSignIn(next: string | null | undefined, here: { origin: string; hostname: string }): string {
  if (!next || UNSAFE_CHARACTERS.test(next)) return AFTER_SIGN_IN;
  let url: URL;
  try {
    url = new URL(next, here.origin);
  } catch {
    return AFTER_SIGN_IN;
  }
  if (next.startsWith('/')) {
    if (next.startsWith('//') || url.origin !== here.origin) return AFTER_SIGN_IN;
  } else if (!/^https?:\/\//i.test(next) || url.hostname !== here.hostname || url.username || url.password) {
    return AFTER_SIGN_IN;
  }
  if (url.origin === here.origin && url.pathname.replace(/\/+$/, '') === LOGIN_PATH) return AFTER_SIGN_IN;
  return next.startsWith('/') ? next : url.href;
}

/** Whether `target` (from afterSignIn) is a page of this dashboard, opened without reloading. */
export function isDashboardPath(target: string): boolean {
  return target === '/app' || target.startsWith('/app/') || target.startsWith('/app?');
}

/** The `Authorization` header of a password sign-in, of the UTF-8 bytes (btoa takes Latin-1 only). */
export function basicAuthorization(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}
