import type { ComponentChildren } from 'preact';
import { Dialog } from './Dialog';

interface Props {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}

export function ConfirmDialog({ open, title, children, confirmLabel, danger, busy, onConfirm, onClose }: Props) {
  return (
    <Dialog open={open} title={title} onClose={onClose} describedBy="confirm-body">
      <div id="confirm-body" class="dialog-body">
        {children}
      </div>
      <div class="dialog-actions">
        <button type="button" class="btn" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          class={danger ? 'btn btn-danger' : 'btn btn-primary'}
          onClick={onConfirm}
          disabled={busy}
        >
          {busy ? `${confirmLabel}…` : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
