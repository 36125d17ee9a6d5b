// Snapshots of one workspace: list, create (running or stopped), restore (stopped only) and
// delete, each change confirmed first where it loses work.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { createSnapshot, deleteSnapshot, listSnapshots, restoreSnapshot } from '../api/client';
import type { Snapshot, Workspace } from '../api/types';
import { absoluteTime, relativeTime } from '../lib/time';
import { showToast } from '../lib/toast';
import { snapshotNameError } from '../lib/validation';
import { ConfirmDialog } from './ConfirmDialog';

interface Props {
  workspace: Workspace;
  onChanged: (w: Workspace) => void;
}

type Pending = { kind: 'restore' | 'delete'; snapshot: Snapshot } | null;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function SnapshotsPanel({ workspace: w, onChanged }: Props) {
  const [snapshots, setSnapshots] = useState<Snapshot[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const canCreate = w.status === 'running' || w.status === 'stopped';
  const canRestore = w.status === 'stopped';

  const refresh = useCallback(async (): Promise<void> => {
    try {
      const list = await listSnapshots(w.id);
      setSnapshots(list.items);
      setLoaded(true);
    } catch (err) {
      setError(message(err));
    }
  }, [w.id]);

  useEffect(() => {
    void refresh();
  }, [refresh, w.status]);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const invalid = snapshotNameError(name);
    if (invalid) {
      setError(invalid);
      return;
    }
    setBusy(true);
    try {
      const made = await createSnapshot(w.id, name === '' ? {} : { name });
      setSnapshots((s) => [...s, made]);
      setName('');
      setError(null);
      showToast('success', `Snapshot ${made.name} is made.`);
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (): Promise<void> => {
    if (!pending) return;
    const { kind, snapshot } = pending;
    setBusy(true);
    try {
      if (kind === 'restore') {
        onChanged(await restoreSnapshot(w.id, snapshot.name));
        showToast('success', `${w.name} is being restored to ${snapshot.name}; start it when you are ready.`);
      } else {
        await deleteSnapshot(w.id, snapshot.name);
        setSnapshots((s) => s.filter((x) => x.name !== snapshot.name));
        showToast('success', `Snapshot ${snapshot.name} is deleted.`);
      }
    } catch (err) {
      showToast('error', `Could not ${kind} snapshot ${snapshot.name}: ${message(err)}`);
    } finally {
      setBusy(false);
      setPending(null);
    }
  };

  return (
    <div class="card" aria-labelledby="snapshots-title">
      <h2 class="card-title" id="snapshots-title">
        Snapshots <span class="muted small">{loaded ? String(snapshots.length) : ''}</span>
      </h2>
      {loaded && snapshots.length === 0 && <p class="muted">No snapshots yet.</p>}
      {snapshots.length > 0 && (
        <ul class="port-list" aria-label="Snapshots">
          {snapshots.map((s) => (
            <li key={s.name} class="snapshot-item" data-snapshot={s.name}>
              <span class="mono">{s.name}</span>
              <time class="muted small" dateTime={s.createdAt} title={absoluteTime(s.createdAt)}>
                {relativeTime(s.createdAt)}
              </time>
              <span class="snapshot-actions">
                {canRestore && (
                  <button
                    type="button"
                    class="btn btn-small"
                    aria-label={`Restore snapshot ${s.name}`}
                    disabled={busy}
                    onClick={() => setPending({ kind: 'restore', snapshot: s })}
                  >
                    Restore
                  </button>
                )}
                <button
                  type="button"
                  class="btn btn-small btn-danger-outline"
                  aria-label={`Delete snapshot ${s.name}`}
                  disabled={busy}
                  onClick={() => setPending({ kind: 'delete', snapshot: s })}
                >
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {!canRestore && snapshots.length > 0 && (
        <p class="muted small">Stop the workspace to restore a snapshot.</p>
      )}
      {canCreate ? (
        <form class="port-form" onSubmit={submit} noValidate>
          <div class="field">
            <label for="snapshot-name">Name (optional)</label>
            <input
              id="snapshot-name"
              class="input mono"
              placeholder="before-upgrade"
              maxLength={63}
              value={name}
              aria-invalid={error ? 'true' : 'false'}
              aria-describedby="snapshot-help"
              onInput={(e) => {
                setName((e.target as HTMLInputElement).value);
                setError(null);
              }}
            />
          </div>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Working…' : 'Create snapshot'}
          </button>
          <p
            id="snapshot-help"
            class={error ? 'field-error full' : 'field-help full'}
            role={error ? 'alert' : undefined}
          >
            {error ?? 'Saves the workspace’s files as they are now; left empty, it is named after the time.'}
          </p>
        </form>
      ) : (
        <p class="muted small">Snapshots can be made while the workspace is running or stopped.</p>
      )}
      <ConfirmDialog
        open={pending !== null}
        title={pending?.kind === 'restore' ? 'Restore snapshot?' : 'Delete snapshot?'}
        confirmLabel={pending?.kind === 'restore' ? 'Restore' : 'Delete'}
        danger
        busy={busy}
        onConfirm={() => void confirm()}
        onClose={() => setPending(null)}
      >
        {pending?.kind === 'restore' ? (
          <p>
            The files of <strong class="mono">{w.name}</strong> go back to snapshot{' '}
            <strong class="mono">{pending.snapshot.name}</strong>. Every change made since is lost.
          </p>
        ) : (
          <p>
            Snapshot <strong class="mono">{pending?.snapshot.name}</strong> of{' '}
            <strong class="mono">{w.name}</strong> is deleted for good.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}
