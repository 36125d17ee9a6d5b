// The workspace list: first page, "Load more", and polling that re-reads the shown pages.
// `owner` (admins) narrows it to one account's workspaces: every page is asked for with it, and a
// new owner starts the list over, since a cursor belongs to the list it came from.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, getWorkspace, listWorkspaces } from '../api/client';
import type { Workspace } from '../api/types';
import {
  allItems,
  appendPage,
  emptyList,
  nextCursor,
  remove,
  replacePages,
  upsert,
  type ListState,
  type Page,
} from '../lib/pagination';
import { anyDeleting } from '../lib/deleting';
import { usePoll } from '../lib/poll';
import { LIST_POLL_MS, pollInterval, TRANSITION_POLL_MS } from '../lib/status';

export interface WorkspaceListApi {
  items: Workspace[];
  loaded: boolean;
  loading: boolean;
  loadingMore: boolean;
  hasMore: boolean;
  error: ApiError | null;
  loadMore: () => Promise<void>;
  retry: () => Promise<void>;
  upsert: (w: Workspace) => void;
  remove: (id: string) => void;
}

const asApiError = (e: unknown): ApiError =>
  e instanceof ApiError ? e : new ApiError(0, 'network', String(e));

export function useWorkspaceList(limit: number, owner: string | null = null): WorkspaceListApi {
  const [list, setList] = useState<ListState<Workspace>>(emptyList);
  const listRef = useRef(list);
  listRef.current = list;
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // Bumped by every change that makes an in-flight refresh stale.
  const generation = useRef(0);
  // Bumped when the list starts over (another page size or owner): a page asked for before
  // belongs to the old list.
  const epoch = useRef(0);

  const commit = (next: ListState<Workspace>): void => {
    listRef.current = next;
    setList(next);
  };

  const loadFirst = useCallback(async () => {
    const gen = ++generation.current;
    setLoading(true);
    try {
      const page = await listWorkspaces(limit, null, owner);
      if (gen !== generation.current) return;
      commit(appendPage(emptyList<Workspace>(), page));
      setError(null);
    } catch (e) {
      if (gen === generation.current) setError(asApiError(e));
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  }, [limit, owner]);

  const refresh = useCallback(async () => {
    const shown = listRef.current;
    if (shown.pages.length === 0) return loadFirst();
    const gen = ++generation.current;
    try {
      const pages: Page<Workspace>[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < shown.pages.length; i++) {
        const page: Page<Workspace> = await listWorkspaces(limit, cursor, owner);
        pages.push(page);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      let next = replacePages(listRef.current, pages);
      for (const extra of next.extras) {
        try {
          next = upsert(next, await getWorkspace(extra.id));
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) next = remove(next, extra.id);
        }
      }
      if (gen !== generation.current) return;
      commit(next);
      setError(null);
    } catch (e) {
      if (gen === generation.current) setError(asApiError(e));
    }
  }, [limit, owner, loadFirst]);

  const loadMore = useCallback(async () => {
    const cursor = nextCursor(listRef.current);
    if (!cursor) return;
    ++generation.current;
    const started = epoch.current;
    setLoadingMore(true);
    try {
      const page = await listWorkspaces(limit, cursor, owner);
      if (started !== epoch.current) return;
      commit(appendPage(listRef.current, page));
      setError(null);
    } catch (e) {
      if (started === epoch.current) setError(asApiError(e));
    } finally {
      if (started === epoch.current) setLoadingMore(false);
    }
  }, [limit, owner]);

  useEffect(() => {
    ++epoch.current;
    setLoadingMore(false);
    commit(emptyList());
    void loadFirst();
  }, [loadFirst]);

  const items = allItems(list);
  // Before the first page arrives, poll only to recover from a failed load (the alert's Retry
  // does the same at once).
  const interval =
    list.pages.length === 0
      ? error
        ? LIST_POLL_MS
        : null
      : anyDeleting(items)
        ? TRANSITION_POLL_MS
        : pollInterval(items.map((w) => w.status), LIST_POLL_MS);
  usePoll(refresh, interval);

  return {
    items,
    loaded: list.pages.length > 0,
    loading,
    loadingMore,
    hasMore: nextCursor(list) !== null,
    error,
    loadMore,
    retry: refresh,
    upsert: (w) => {
      ++generation.current;
      // One made for another account while the list shows someone's is not shown here.
      commit(owner && w.owner !== owner ? remove(listRef.current, w.id) : upsert(listRef.current, w));
    },
    remove: (id) => {
      ++generation.current;
      commit(remove(listRef.current, id));
    },
  };
}
