import { useEffect, useState } from 'preact/hooks';
import { API_BASE, getHealth } from '../api/client';
import type { Me } from '../api/types';
import { PasswordPanel } from '../components/PasswordPanel';
import { SessionsPanel } from '../components/SessionsPanel';
import { TokensPanel } from '../components/TokensPanel';
import { UsersPanel } from '../components/UsersPanel';
import { isAdmin } from '../hooks/useMe';

declare const __BUILD_VERSION__: string;

export function SettingsPage({ me }: { me: Me | null }) {
  const [health, setHealth] = useState<string>('checking…');
  useEffect(() => {
    getHealth()
      .then((h) => setHealth(h.status === 'ok' ? 'ok' : String(h.status)))
      .catch((e: unknown) => setHealth(`unreachable: ${e instanceof Error ? e.message : String(e)}`));
  }, []);
  return (
    <section aria-labelledby="page-title">
      <div class="page-header">
        <h1 id="page-title">Settings</h1>
      </div>
      <div class="card">
        <dl class="details">
          <dt>API endpoint</dt>
          <dd class="mono">{`${location.origin}${API_BASE}`}</dd>
          <dt>API health</dt>
          <dd data-testid="api-health">{health}</dd>
          <dt>Signed in</dt>
          <dd>
            {me && (
              <>
                As <strong class="mono">{me.username}</strong> ({me.role}),{' '}
              </>
            )}
            {me ? 'in' : 'In'} a session of this browser, for the dashboard and your workspaces. Sign
            out at the top of the page.
          </dd>
          <dt>Workspace address</dt>
          <dd class="mono">{`${location.protocol}//${location.hostname}:8081/workspace/<name>/`}</dd>
          <dt>Dashboard version</dt>
          <dd class="mono">{__BUILD_VERSION__}</dd>
        </dl>
      </div>
      {me && <PasswordPanel username={me.username} deployment={me.deployment} />}
      {me && <SessionsPanel username={me.username} />}
      <TokensPanel />
      {me && isAdmin(me) && <UsersPanel me={me} />}
    </section>
  );
}
