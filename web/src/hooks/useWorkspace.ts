// One workspace and its ports, polled faster while its status is changing.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, getWorkspace, listPorts } from '../api/client';
import type { Port, Workspace } from '../api/types';
import { usePoll } from '../lib/poll';
import { DETAIL_POLL_MS, pollInterval } from '../lib/status';

export interface WorkspaceApi {
  workspace: Workspace | null;
  ports: Port[];
  portsLoaded: boolean;
  loading: boolean;
  notFound: boolean;
  error: ApiError | null;
  refresh: () => Promise<void>;
  setWorkspace: (w: Workspace) => void;
  setPorts: (p: Port[]) => void;
}

export function useWorkspace(id: string): WorkspaceApi {
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [ports, setPorts] = useState<Port[]>([]);
  const [portsLoaded, setPortsLoaded] = useState(false);
  const [loading, setLoading] = useState(true);
  const [notFound, setNotFound] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    const gen = generation.current;
    try {
      const [w, p] = await Promise.all([
        getWorkspace(id),
        listPorts(id).catch(() => null), // ports are secondary: the workspace decides the page
      ]);
      if (gen !== generation.current) return;
      setWorkspace(w);
      if (p) {
        setPorts([...p.items].sort((a, b) => a.port - b.port));
        setPortsLoaded(true);
      }
      setNotFound(false);
      setError(null);
    } catch (e) {
      if (gen !== generation.current) return;
      if (e instanceof ApiError && e.status === 404) setNotFound(true);
      else setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e)));
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  }, [id]);

  useEffect(() => {
    generation.current++;
    setWorkspace(null);
    setPorts([]);
    setPortsLoaded(false);
    setLoading(true);
    setNotFound(false);
    void refresh();
  }, [refresh]);

  const interval = notFound ? null : pollInterval(workspace ? [workspace.status] : [], DETAIL_POLL_MS);
  usePoll(refresh, interval);

  return {
    workspace,
    ports,
    portsLoaded,
    loading,
    notFound,
    error,
    refresh,
    setWorkspace: (w) => {
      generation.current++;
      setWorkspace(w);
    },
    setPorts: (p) => {
      generation.current++;
      setPorts([...p].sort((a, b) => a.port - b.port));
    },
  };
}
