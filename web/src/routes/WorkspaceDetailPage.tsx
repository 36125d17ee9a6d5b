import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { retryClone } from '../api/client';
import type { Workspace, WorkspaceRepository } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { IdlePanel } from '../components/IdlePanel';
import { PortsPanel } from '../components/PortsPanel';
import { SnapshotsPanel } from '../components/SnapshotsPanel';
import { StatusBadge } from '../components/StatusBadge';
import { useWorkspaceActions } from '../components/useWorkspaceActions';
import { useWorkspace } from '../hooks/useWorkspace';
import { limitRows } from '../lib/limits';
import { canDelete, canOpenIde, canStart, canStop } from '../lib/status';
import { absoluteTime, relativeTime } from '../lib/time';
import { showToast } from '../lib/toast';
import { ideUrl } from '../lib/urls';
import { BASE, navigate, onLinkClick } from '../router';

export function WorkspaceDetailPage({ id }: { id: string }) {
  const ws = useWorkspace(id);
  const actions = useWorkspaceActions({
    onChanged: ws.setWorkspace,
    onDeleted: () => navigate(`${BASE}/workspaces`),
  });
  const w = ws.workspace;

  return (
    <section aria-labelledby="page-title">
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <ol>
          <li>
            <a href={`${BASE}/workspaces`} onClick={onLinkClick} class="link">
              Workspaces
            </a>
          </li>
          <li aria-current="page" class="mono">
            {w?.name ?? id}
          </li>
        </ol>
      </nav>
      {ws.error && <ErrorAlert error={ws.error} onRetry={() => void ws.refresh()} />}
      {ws.notFound && !w && <NotFoundCard id={id} />}
      {ws.notFound && w && (
        <div class="alert alert-warning" role="status">
          This workspace no longer exists.{' '}
          <a href={`${BASE}/workspaces`} onClick={onLinkClick} class="link">
            Back to workspaces
          </a>
        </div>
      )}
      {ws.loading && !w && !ws.error && <DetailSkeleton />}
      {w && (
        <>
          <Header w={w} onAction={actions.request} busy={actions.busy} />
          <div class="grid-2">
            <Details w={w} onChanged={ws.setWorkspace} />
            <PortsPanel workspace={w} ports={ws.ports} loaded={ws.portsLoaded} onPorts={ws.setPorts} />
            <IdlePanel workspace={w} onChanged={ws.setWorkspace} />
            <SnapshotsPanel workspace={w} onChanged={ws.setWorkspace} />
          </div>
        </>
      )}
      {actions.dialogs}
    </section>
  );
}

function Header(props: { w: Workspace; busy: boolean; onAction: (a: 'start' | 'stop' | 'delete', w: Workspace) => void }) {
  const { w, onAction, busy } = props;
  const ide = canOpenIde(w.status);
  return (
    <div class="page-header">
      <div class="title-row">
        <h1 id="page-title" class="mono">
          {w.name}
        </h1>
        <StatusBadge status={w.status} />
      </div>
      <div class="actions">
        {ide ? (
          <a class="btn btn-primary" href={ideUrl(w.name)} target="_blank" rel="noopener noreferrer">
            Open IDE
          </a>
        ) : (
          <button type="button" class="btn btn-primary" disabled title="The IDE opens once the workspace is running">
            Open IDE
          </button>
        )}
        {canStart(w.status) && (
          <button type="button" class="btn" disabled={busy} onClick={() => onAction('start', w)}>
            Start
          </button>
        )}
        {(canStop(w.status) || !canStart(w.status)) && (
          <button type="button" class="btn" disabled={busy || !canStop(w.status)} onClick={() => onAction('stop', w)}>
            Stop
          </button>
        )}
        <button
          type="button"
          class="btn btn-danger-outline"
          disabled={busy || !canDelete(w.status)}
          title={canDelete(w.status) ? undefined : 'Stop the workspace before deleting it'}
          onClick={() => onAction('delete', w)}
        >
          Delete
        </button>
      </div>
    </div>
  );
}

const CLONE_ERROR_LABEL: Record<NonNullable<WorkspaceRepository['error']>['kind'], string> = {
  bad_url: 'no repository at this URL',
  missing_ref: 'the branch, tag or commit does not exist',
  authentication: 'the token was refused or is missing',
  unreachable: 'the git server could not be reached',
  other: 'the clone failed',
};

function RepositoryRows({ w, onChanged }: { w: Workspace; onChanged: (w: Workspace) => void }) {
  const [busy, setBusy] = useState(false);
  const repo = w.repository;
  if (!repo) return null;
  const retry = async (): Promise<void> => {
    setBusy(true);
    try {
      onChanged(await retryClone(w.id));
      showToast('success', `Cloning ${repo.url} again`);
    } catch (err) {
      showToast('error', err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <dt>Repository</dt>
      <dd class="mono" data-testid="repository-url">
        {repo.url}
        {repo.ref ? ` @ ${repo.ref}` : ''}
        {repo.hasToken ? <span class="muted"> (with a token)</span> : null}
      </dd>
      <dt>Clone</dt>
      <dd data-testid="repository-status">
        {repo.status === 'cloned' && 'Cloned into the IDE folder'}
        {repo.status === 'pending' && 'Cloning…'}
        {repo.status === 'failed' && repo.error && (
          <>
            <span class="text-danger">
              Failed: {CLONE_ERROR_LABEL[repo.error.kind]}
            </span>
            <pre class="mono small clone-error" data-testid="repository-error">
              {repo.error.message}
            </pre>
            <button
              type="button"
              class="btn"
              disabled={busy || w.status !== 'running'}
              title={w.status === 'running' ? undefined : 'Start the workspace to retry the clone'}
              onClick={() => void retry()}
            >
              Retry clone
            </button>
          </>
        )}
      </dd>
    </>
  );
}

function Details({ w, onChanged }: { w: Workspace; onChanged: (w: Workspace) => void }) {
  return (
    <div class="card">
      <h2 class="card-title">Details</h2>
      <dl class="details">
        <dt>Image</dt>
        <dd class="mono">{w.image}</dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={w.createdAt} title={absoluteTime(w.createdAt)}>
            {relativeTime(w.createdAt)}
          </time>{' '}
          <span class="muted">({absoluteTime(w.createdAt)})</span>
        </dd>
        <dt>Updated</dt>
        <dd>
          <time dateTime={w.updatedAt} title={absoluteTime(w.updatedAt)}>
            {relativeTime(w.updatedAt)}
          </time>
        </dd>
        <dt>ID</dt>
        <dd class="mono small">{w.id}</dd>
        <RepositoryRows w={w} onChanged={onChanged} />
        {limitRows(w.limits).map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd data-testid={`limit-${label.toLowerCase()}`}>{value}</dd>
          </Fragment>
        ))}
        {w.status === 'stopped' && w.statusReason && (
          <>
            <dt>Stopped</dt>
            <dd data-testid="status-reason">{w.statusReason}</dd>
          </>
        )}
        {w.status === 'error' && (
          <>
            <dt>Status reason</dt>
            <dd class="text-danger" data-testid="status-reason">
              {w.statusReason ?? 'No reason was recorded.'}
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

function NotFoundCard({ id }: { id: string }) {
  return (
    <div class="card empty">
      <h1 id="page-title">Workspace not found</h1>
      <p class="muted">
        There is no workspace <code>{id}</code>. It may have been deleted.
      </p>
      <a class="btn" href={`${BASE}/workspaces`} onClick={onLinkClick}>
        Back to workspaces
      </a>
    </div>
  );
}

function DetailSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading workspace">
      <span class="skeleton skeleton-title" />
      <div class="grid-2">
        <div class="card">
          <span class="skeleton" style={{ width: '60%' }} />
          <span class="skeleton" style={{ width: '40%' }} />
        </div>
        <div class="card">
          <span class="skeleton" style={{ width: '50%' }} />
        </div>
      </div>
    </div>
  );
}
