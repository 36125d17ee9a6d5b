import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { listUsers } from '../api/client';
import type { Me, Workspace } from '../api/types';
import { ActionsMenu } from '../components/ActionsMenu';
import { CreateWorkspaceDialog } from '../components/CreateWorkspaceDialog';
import { ErrorAlert } from '../components/ErrorAlert';
import { StatusBadge } from '../components/StatusBadge';
import { useWorkspaceActions } from '../components/useWorkspaceActions';
import { isAdmin } from '../hooks/useMe';
import { useWorkspaceList } from '../hooks/useWorkspaceList';
import { isDeleting } from '../lib/deleting';
import { ownerChoices, ownerFromQuery, withOwner } from '../lib/owner';
import { filterItems } from '../lib/pagination';
import { absoluteTime, relativeTime } from '../lib/time';
import { BASE, navigate, onLinkClick, workspacePath } from '../router';

export const DEFAULT_PAGE_SIZE = 50;

/** Page size from `?limit=` (1-100), else the default. */
export function pageSize(query: URLSearchParams): number {
  const n = Number(query.get('limit'));
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : DEFAULT_PAGE_SIZE;
}

export function WorkspacesPage({ query, me }: { query: URLSearchParams; me: Me | null }) {
  const admin = isAdmin(me);
  // A member sees only its own workspaces: it has no owner filter, whatever the URL says.
  const owner = me?.role === 'member' ? null : ownerFromQuery(query);
  const list = useWorkspaceList(pageSize(query), owner);
  const usernames = useUsernames(admin);
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const actions = useWorkspaceActions({ onChanged: list.upsert, onDeleted: list.upsert });
  const shown = filterItems(list.items, search, (w) => [w.name, w.image]);
  const hasRows = list.loaded && list.items.length > 0;
  const setOwner = (next: string | null): void => {
    setSearch('');
    navigate(`${BASE}/workspaces${withOwner(query, next)}`);
  };
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
      {(hasRows || admin) && (
        <div class="toolbar">
          {admin && (
            <OwnerFilter owner={owner} choices={ownerChoices(usernames, owner)} me={me?.username ?? null} onChange={setOwner} />
          )}
          {hasRows && (
            <>
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
            </>
          )}
        </div>
      )}
      {list.loading && !list.loaded && !list.error && <SkeletonTable />}
      {list.loaded && list.items.length === 0 &&
        (owner ? (
          <NoneOwned owner={owner} onClear={() => setOwner(null)} />
        ) : (
          <EmptyState onCreate={() => setCreating(true)} />
        ))}
      {hasRows && <WorkspaceTable items={shown} search={search} showOwner={admin} onAction={actions.request} />}
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

/** Admins: whose workspaces the list shows; the choices are the accounts from /api/users. */
function OwnerFilter(props: {
  owner: string | null;
  choices: string[];
  me: string | null;
  onChange: (owner: string | null) => void;
}) {
  return (
    <div class="toolbar-field">
      <label for="ws-owner">Owner</label>
      <select
        id="ws-owner"
        class="input"
        value={props.owner ?? ''}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value || null)}
      >
        <option value="">Everyone</option>
        {props.choices.map((name) => (
          <option key={name} value={name}>
            {name === props.me ? `${name} (you)` : name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The accounts' usernames for the owner filter (admins only); empty until and unless they load. */
function useUsernames(admin: boolean): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    if (!admin) return;
    let live = true;
    listUsers()
      .then((list) => {
        if (live) setNames(list.items.map((u) => u.username));
      })
      .catch(() => {
        // The filter then offers only the current choice; the list itself reports API errors.
      });
    return () => {
      live = false;
    };
  }, [admin]);
  return names;
}

function WorkspaceTable(props: {
  items: Workspace[];
  search: string;
  showOwner: boolean;
  onAction: (a: 'start' | 'stop' | 'delete', w: Workspace) => void;
}) {
  const now = Date.now();
  const columns = props.showOwner ? 6 : 5;
  return (
    <div class="card table-card">
      <table class="table">
        <caption class="visually-hidden">Workspaces</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Image</th>
            {props.showOwner && <th scope="col">Owner</th>}
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
              {props.showOwner && (
                <td data-testid="workspace-owner">
                  {w.owner ? (
                    <span class="mono">{w.owner}</span>
                  ) : (
                    <span class="muted" title="Made before Rockpool had accounts">
                      none
                    </span>
                  )}
                </td>
              )}
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
              <td colSpan={columns} class="muted center">
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

function NoneOwned({ owner, onClear }: { owner: string; onClear: () => void }) {
  return (
    <div class="card empty">
      <h2>
        No workspaces of <span class="mono">{owner}</span>
      </h2>
      <p class="muted">This account owns no workspace.</p>
      <button type="button" class="btn" onClick={onClear}>
        Show everyone’s workspaces
      </button>
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
