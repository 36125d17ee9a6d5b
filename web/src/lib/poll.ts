import { useEffect, useRef } from 'preact/hooks';

/**
 * Calls `tick` every `intervalMs` after the previous call finished (never overlapping), skipping
 * while the tab is hidden. `intervalMs` may change between ticks; null pauses polling.
 */
export function usePoll(tick: () => Promise<void>, intervalMs: number | null): void {
  const tickRef = useRef(tick);
  tickRef.current = tick;
  useEffect(() => {
    if (intervalMs === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const loop = async (): Promise<void> => {
      if (stopped) return;
      if (!document.hidden) {
        try {
          await tickRef.current();
        } catch {
          // The tick reports its own errors; polling carries on.
        }
      }
      if (!stopped) timer = setTimeout(loop, intervalMs);
    };
    timer = setTimeout(loop, intervalMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [intervalMs]);
}
