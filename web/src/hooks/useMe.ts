// Who the browser is signed in as (GET /api/me), asked once at startup. A failed answer (the API
// unreachable, or a server without accounts) leaves it null, so the dashboard shows no admin
// features, and it is asked again at the next navigation (a change of `retryKey`).
import { useEffect, useRef, useState } from 'preact/hooks';
import { getMe } from '../api/client';
import type { Me } from '../api/types';

export function useMe(retryKey: unknown): Me | null {
  const [me, setMe] = useState<Me | null>(null);
  const asking = useRef(false);
  useEffect(() => {
    if (me || asking.current) return;
    asking.current = true;
    getMe()
      .then(setMe)
      .catch(() => {
        // Asked again at the next change of retryKey.
      })
      .finally(() => {
        asking.current = false;
      });
  }, [me, retryKey]);
  return me;
}

export const isAdmin = (me: Me | null): boolean => me?.role === 'admin';
