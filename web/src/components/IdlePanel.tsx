// The detail page's idle auto-stop: the timeout (changeable in any state), the last activity
// the control plane recorded, and when the workspace will stop unless there is activity.
import { useState } from 'preact/hooks';
import { updateWorkspace } from '../api/client';
import type { Workspace } from '../api/types';
import { choicesWith, choiceValue, formatIdleTimeout, parseChoice } from '../lib/idle';
import { absoluteTime, relativeTime } from '../lib/time';
import { showToast } from '../lib/toast';

interface Props {
  workspace: Workspace;
  onChanged: (w: Workspace) => void;
}

export function IdlePanel({ workspace: w, onChanged }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const change = async (value: string): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const updated = await updateWorkspace(w.id, { idleTimeoutSeconds: parseChoice(value) });
      onChanged(updated);
      showToast('success', `Idle timeout of ${updated.name}: ${formatIdleTimeout(updated.idleTimeoutSeconds)}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="card" data-testid="idle-panel">
      <h2 class="card-title">Idle auto-stop</h2>
      <dl class="details">
        <dt>
          <label for="idle-timeout">Stop when idle for</label>
        </dt>
        <dd>
          <select
            id="idle-timeout"
            class="input"
            disabled={busy}
            value={choiceValue(w.idleTimeoutSeconds)}
            onChange={(e) => void change((e.target as HTMLSelectElement).value)}
          >
            {choicesWith(w.idleTimeoutSeconds).map(([label, seconds]) => (
              <option key={label} value={choiceValue(seconds)}>
                {label}
              </option>
            ))}
          </select>
        </dd>
        <dt>Last activity</dt>
        <dd data-testid="last-activity">
          {w.lastActivityAt ? (
            <time dateTime={w.lastActivityAt} title={absoluteTime(w.lastActivityAt)}>
              {relativeTime(w.lastActivityAt)}
            </time>
          ) : (
            <span class="muted">none yet</span>
          )}
        </dd>
        <dt>Stops</dt>
        <dd data-testid="idle-stop-at">
          {w.idleStopAt ? (
            <time dateTime={w.idleStopAt} title={absoluteTime(w.idleStopAt)}>
              {relativeTime(w.idleStopAt)} unless it is used
            </time>
          ) : (
            <span class="muted">{w.status === 'running' ? 'never for being idle' : 'not running'}</span>
          )}
        </dd>
      </dl>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
