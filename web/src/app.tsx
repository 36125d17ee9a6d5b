import { ApiError, deleteSession } from './api/client';
import type { Me } from './api/types';
import { Toaster } from './components/Toaster';
import { useMe } from './hooks/useMe';
import { signInPath } from './lib/signin';
import { showToast } from './lib/toast';
import { BASE, navigate, onLinkClick, useRoute, type Route } from './router';
import { LoginPage } from './routes/LoginPage';
import { SettingsPage } from './routes/SettingsPage';
import { WorkspaceDetailPage } from './routes/WorkspaceDetailPage';
import { WorkspacesPage } from './routes/WorkspacesPage';
import { useEffect, useState } from 'preact/hooks';

type SignedInRoute = Exclude<Route, { name: 'login' }>;

export function App() {
  const route = useRoute();
  useEffect(() => {
    if (location.pathname === BASE || location.pathname === `${BASE}/`) {
      navigate(`${BASE}/workspaces${location.search}`, { replace: true });
    }
    document.title = titleFor(route);
  }, [route]);
  return (
    <>
      {route.name === 'login' ? <LoginPage next={route.next} /> : <Shell route={route} />}
      <Toaster />
    </>
  );
}

/** The signed-in dashboard: the top bar and the page. The sign-in page has neither. */
function Shell({ route }: { route: SignedInRoute }) {
  const me = useMe(route);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="container topbar-inner">
          <a class="brand" href={`${BASE}/workspaces`} onClick={onLinkClick}>
            Rockpool
          </a>
          <nav aria-label="Main">
            <NavLink href={`${BASE}/workspaces`} active={route.name === 'workspaces' || route.name === 'workspace'}>
              Workspaces
            </NavLink>
            <NavLink href={`${BASE}/settings`} active={route.name === 'settings'}>
              Settings
            </NavLink>
          </nav>
          <Account me={me} />
        </div>
      </header>
      <main id="main" class="container" tabIndex={-1}>
        <Page route={route} me={me} />
      </main>
    </>
  );
}

/** Who is signed in, at the right of the top bar (admins get a badge), and Sign out. */
function Account({ me }: { me: Me | null }) {
  const [busy, setBusy] = useState(false);
  const signOut = async (): Promise<void> => {
    setBusy(true);
    try {
      await deleteSession();
    } catch (err) {
      // A 401: the session had ended already, which is what was asked for.
      if (!(err instanceof ApiError && err.status === 401)) {
        showToast('error', `Could not sign out: ${err instanceof Error ? err.message : String(err)}`);
        setBusy(false);
        return;
      }
    }
    // A new page load: nothing of the signed-in dashboard stays in memory.
    location.assign(signInPath());
  };
  return (
    <div class="account" data-testid="account">
      {me && (
        <p class="account-who">
          <span class="visually-hidden">Signed in as </span>
          <span class="mono account-name" data-testid="account-name">
            {me.username}
          </span>
          {me.role === 'admin' && (
            <span class="badge badge-admin" data-testid="admin-badge" title="Manages accounts and sees every workspace">
              admin
            </span>
          )}
        </p>
      )}
      <button type="button" class="btn btn-small" onClick={() => void signOut()} disabled={busy}>
        Sign out
      </button>
    </div>
  );
}

function Page({ route, me }: { route: SignedInRoute; me: Me | null }) {
  switch (route.name) {
    case 'workspaces':
      return <WorkspacesPage query={route.query} me={me} />;
    case 'workspace':
      return <WorkspaceDetailPage key={route.id} id={route.id} />;
    case 'settings':
      return <SettingsPage me={me} />;
    case 'notFound':
      return (
        <section class="card empty">
          <h1>Page not found</h1>
          <p class="muted">
            Nothing lives at <code>{route.path}</code>.
          </p>
          <a class="btn" href={`${BASE}/workspaces`} onClick={onLinkClick}>
            Go to workspaces
          </a>
        </section>
      );
  }
}

function NavLink(props: { href: string; active: boolean; children: string }) {
  return (
    <a
      href={props.href}
      class={props.active ? 'nav-link active' : 'nav-link'}
      aria-current={props.active ? 'page' : undefined}
      onClick={onLinkClick}
    >
      {props.children}
    </a>
  );
}

function titleFor(route: Route): string {
  switch (route.name) {
    case 'workspaces':
      return 'Workspaces · Rockpool';
    case 'workspace':
      return `${route.id} · Rockpool`;
    case 'settings':
      return 'Settings · Rockpool';
    case 'login':
      return 'Sign in · Rockpool';
    case 'notFound':
      return 'Not found · Rockpool';
  }
}
