import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Workspace } from '../api/types';
import { ActionsMenu } from '../components/ActionsMenu';
import { CreateWorkspaceDialog } from '../components/CreateWorkspaceDialog';
import { ErrorAlert } from '../components/ErrorAlert';
import { StatusBadge } from '../components/StatusBadge';
import { useWorkspaceActions } from '../components/useWorkspaceActions';
import { useWorkspaceList } from '../hooks/useWorkspaceList';
import { isDeleting } from '../lib/deleting';
import { filterItems } from '../lib/pagination';
import { absoluteTime, relativeTime } from '../lib/time';
import { onLinkClick, workspacePath } from '../router';

export const DEFAULT_PAGE_SIZE = 50;

/** Page size from `?limit=` (1-100), else the default. */
export function pageSize(query: URLSearchParams): number {
  const n = Number(query.get('limit'));
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : DEFAULT_PAGE_SIZE;
}

export function WorkspacesPage({ query }: { query: URLSearchParams }) {
  const list = useWorkspaceList(pageSize(query));
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const actions = useWorkspaceActions({ onChanged: list.upsert, onDeleted: list.upsert });
  const shown = filterItems(list.items, search, (w) => [w.name, w.image]);
  useRowsRenderedMark(list.items.length > 0);

  return (
    <section aria-labelledby="page-title">
      <div class="page-header">
        <h1 id="page-title">Workspaces</h1>
        <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
          Create workspace
        </button>
      </div>
      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.retry()} />}
      {list.loaded && list.items.length > 0 && (
        <div class="toolbar">
          <label for="ws-search" class="visually-hidden">
            Search workspaces
          </label>
          <input
            id="ws-search"
            type="search"
            class="input search"
            placeholder="Search by name or image"
            value={search}
            onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
          />
          <span class="muted" aria-live="polite">
            {search ? `${shown.length} of ${list.items.length} shown` : `${list.items.length} loaded`}
          </span>
        </div>
      )}
      {list.loading && !list.loaded && !list.error && <SkeletonTable />}
      {list.loaded && list.items.length === 0 && <EmptyState onCreate={() => setCreating(true)} />}
      {list.loaded && list.items.length > 0 && (
        <WorkspaceTable items={shown} search={search} onAction={actions.request} />
      )}
      {list.hasMore && (
        <div class="load-more">
          <button type="button" class="btn" onClick={() => void list.loadMore()} disabled={list.loadingMore}>
            {list.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
      <CreateWorkspaceDialog open={creating} onClose={() => setCreating(false)} onCreated={list.upsert} />
      {actions.dialogs}
    </section>
  );
}

function WorkspaceTable(props: {
  items: Workspace[];
  search: string;
  onAction: (a: 'start' | 'stop' | 'delete', w: Workspace) => void;
}) {
  const now = Date.now();
  return (
    <div class="card table-card">
      <table class="table">
        <caption class="visually-hidden">Workspaces</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Image</th>
            <th scope="col">Updated</th>
            <th scope="col" class="col-actions">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((w) => {
            const deleting = isDeleting(w);
            return (
            <tr key={w.id} data-workspace={w.name}>
              <td>
                <a class="mono link" href={workspacePath(w.name)} onClick={onLinkClick}>
                  {w.name}
                </a>
              </td>
              <td>
                <StatusBadge status={w.status} deleting={deleting} />
              </td>
              <td class="mono muted">{w.image}</td>
              <td>
                <time dateTime={w.updatedAt} title={absoluteTime(w.updatedAt)}>
                  {relativeTime(w.updatedAt, now)}
                </time>
              </td>
              <td class="col-actions">
                {!deleting && <ActionsMenu workspace={w} onAction={props.onAction} />}
              </td>
            </tr>
            );
          })}
          {props.items.length === 0 && (
            <tr>
              <td colSpan={5} class="muted center">
                No workspace matches “{props.search}”.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function SkeletonTable() {
  return (
    <div class="card table-card" aria-busy="true" aria-label="Loading workspaces">
      {Array.from({ length: 5 }, (_, i) => (
        <div key={i} class="skeleton-row">
          <span class="skeleton" style={{ width: '24%' }} />
          <span class="skeleton" style={{ width: '12%' }} />
          <span class="skeleton" style={{ width: '22%' }} />
          <span class="skeleton" style={{ width: '14%' }} />
        </div>
      ))}
    </div>
  );
}

function EmptyState({ onCreate }: { onCreate: () => void }) {
  return (
    <div class="card empty">
      <h2>No workspaces yet</h2>
      <p class="muted">A workspace is a VS Code environment in its own container, reachable from your browser.</p>
      <button type="button" class="btn btn-primary" onClick={onCreate}>
        Create your first workspace
      </button>
    </div>
  );
}

/** Marks when the table's rows first reach the DOM, for bench/dashboard_bench.mjs. */
function useRowsRenderedMark(hasRows: boolean): void {
  const done = useRef(false);
  useLayoutEffect(() => {
    if (!hasRows || done.current) return;
    done.current = true;
    performance.mark('rockpool:rows-rendered');
  }, [hasRows]);
}
