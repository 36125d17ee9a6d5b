// A small router under /app using the History API; no library needed for this.
import { useEffect, useState } from 'preact/hooks';
import { LOGIN_PATH } from './lib/signin';

export const BASE = '/app';

export type Route =
  | { name: 'workspaces'; query: URLSearchParams }
  | { name: 'workspace'; id: string }
  | { name: 'settings' }
  | { name: 'login'; next: string }
  | { name: 'notFound'; path: string };

export function matchRoute(pathname: string, search = ''): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === BASE || path === `${BASE}/workspaces`) {
    return { name: 'workspaces', query: new URLSearchParams(search) };
  }
  const detail = path.match(/^\/app\/workspaces\/([^/]+)$/);
  if (detail?.[1]) return { name: 'workspace', id: decodeURIComponent(detail[1]) };
  if (path === `${BASE}/settings`) return { name: 'settings' };
  if (path === LOGIN_PATH) return { name: 'login', next: new URLSearchParams(search).get('next') ?? '' };
  return { name: 'notFound', path: pathname };
}

const listeners = new Set<() => void>();

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((fn) => fn());
  window.scrollTo(0, 0);
}

export function useRoute(): Route {
  const read = (): Route => matchRoute(location.pathname, location.search);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = (): void => setRoute(read());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

/** Internal links: a real <a href> (works with middle-click, copy link) that navigates in place. */
export function onLinkClick(e: MouseEvent): void {
  const a = e.currentTarget as HTMLAnchorElement;
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  if (a.target && a.target !== '_self') return;
  e.preventDefault();
  navigate(a.getAttribute('href') ?? BASE);
}

export const workspacePath = (name: string): string => `${BASE}/workspaces/${encodeURIComponent(name)}`;
