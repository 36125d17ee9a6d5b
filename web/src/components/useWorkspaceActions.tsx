// Start, stop and delete with confirmation for stop and delete, shared by the list and the
// detail page. Failures become toasts carrying the server's message.
import { useState } from 'preact/hooks';
import { deleteWorkspace, startWorkspace, stopWorkspace } from '../api/client';
import type { Workspace } from '../api/types';
import { markDeleting } from '../lib/deleting';
import { showToast } from '../lib/toast';
import { ConfirmDialog } from './ConfirmDialog';

export type WorkspaceAction = 'start' | 'stop' | 'delete';

interface Callbacks {
  onChanged: (w: Workspace) => void;
  onDeleted: (w: Workspace) => void;
}

export function useWorkspaceActions({ onChanged, onDeleted }: Callbacks) {
  const [pending, setPending] = useState<{ action: 'stop' | 'delete'; ws: Workspace } | null>(null);
  const [busy, setBusy] = useState(false);

  const perform = async (action: WorkspaceAction, ws: Workspace): Promise<void> => {
    setBusy(true);
    try {
      if (action === 'start') onChanged(await startWorkspace(ws.id));
      else if (action === 'stop') onChanged(await stopWorkspace(ws.id));
      else {
        markDeleting(await deleteWorkspace(ws.id));
        showToast('info', `Deleting workspace ${ws.name}`);
        onDeleted(ws);
      }
    } catch (err) {
      const what = action === 'delete' ? 'delete' : action;
      showToast('error', `Could not ${what} ${ws.name}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
      setPending(null);
    }
  };

  const request = (action: WorkspaceAction, ws: Workspace): void => {
    if (action === 'start') void perform('start', ws);
    else setPending({ action, ws });
  };

  const dialogs = (
    <>
      <ConfirmDialog
        open={pending?.action === 'stop'}
        title="Stop workspace?"
        confirmLabel="Stop"
        busy={busy}
        onClose={() => setPending(null)}
        onConfirm={() => pending && void perform('stop', pending.ws)}
      >
        <p>
          Stopping <code>{pending?.ws.name}</code> closes its IDE and forwarded ports. Files in the
          workspace are kept; you can start it again later.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={pending?.action === 'delete'}
        title="Delete workspace?"
        confirmLabel="Delete"
        danger
        busy={busy}
        onClose={() => setPending(null)}
        onConfirm={() => pending && void perform('delete', pending.ws)}
      >
        <p>
          Deleting <code>{pending?.ws.name}</code> removes the workspace and all its files. This
          cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );

  return { request, dialogs, busy };
}
