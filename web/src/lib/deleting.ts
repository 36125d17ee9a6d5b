// Workspaces whose deletion was accepted (202) but that the server still lists while its job
// runs. Rows show "Deleting" instead of their last status; a mark is dropped as soon as the
// workspace shows another status (the job failed and put it in error, say).
import type { Workspace } from '../api/types';

const marks = new Map<string, Workspace['status']>();

export function markDeleting(w: Workspace): void {
  marks.set(w.id, w.status);
}

export function isDeleting(w: Workspace): boolean {
  const at = marks.get(w.id);
  if (at === undefined) return false;
  if (at !== w.status) {
    marks.delete(w.id);
    return false;
  }
  return true;
}

export function anyDeleting(items: readonly Workspace[]): boolean {
  return items.some((w) => marks.has(w.id));
}
