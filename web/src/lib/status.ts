// What the dashboard may offer for each workspace status (ARCHITECTURE.md state machine):
// creating -> running -> stopping -> stopped -> starting -> running; any -> error;
// delete only from stopped or error; ports only on running workspaces.
import type { WorkspaceStatus } from '../api/types';

export const STATUS_LABEL: Record<WorkspaceStatus, string> = {
  creating: 'Creating',
  running: 'Running',
  stopping: 'Stopping',
  stopped: 'Stopped',
  starting: 'Starting',
  error: 'Error',
};

export function isTransitional(status: WorkspaceStatus): boolean {
  return status === 'creating' || status === 'starting' || status === 'stopping';
}

export const canStart = (s: WorkspaceStatus): boolean => s === 'stopped' || s === 'error';
export const canStop = (s: WorkspaceStatus): boolean => s === 'running' || s === 'error';
export const canDelete = (s: WorkspaceStatus): boolean => s === 'stopped' || s === 'error';
export const canOpenIde = (s: WorkspaceStatus): boolean => s === 'running';
export const canEditPorts = (s: WorkspaceStatus): boolean => s === 'running';

/** Poll intervals in ms: faster while something is changing state. */
export const LIST_POLL_MS = 5000;
export const DETAIL_POLL_MS = 3000;
export const TRANSITION_POLL_MS = 1000;

export function pollInterval(statuses: readonly WorkspaceStatus[], idleMs: number): number {
  return statuses.some(isTransitional) ? TRANSITION_POLL_MS : idleMs;
}
