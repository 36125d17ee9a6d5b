import type { WorkspaceStatus } from '../api/types';
import { isTransitional, STATUS_LABEL } from '../lib/status';

export function StatusBadge({ status, deleting }: { status: WorkspaceStatus; deleting?: boolean }) {
  if (deleting) {
    return (
      <span class="badge badge-deleting" data-status="deleting">
        <span class="badge-dot pulsing" aria-hidden="true" />
        Deleting
      </span>
    );
  }
  const moving = isTransitional(status);
  return (
    <span class={`badge badge-${status}`} data-status={status}>
      <span class={moving ? 'badge-dot pulsing' : 'badge-dot'} aria-hidden="true" />
      {STATUS_LABEL[status]}
    </span>
  );
}
