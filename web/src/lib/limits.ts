// How a workspace's resource limits read on the detail page.
import type { WorkspaceLimits } from '../api/types';

/** CPU time as cores: "1 core", "1.5 cores". */
export function formatCpus(cpus: number): string {
  return `${cpus} ${cpus === 1 ? 'core' : 'cores'}`;
}

/** Memory in MiB, as GiB when that reads better: 512 -> "512 MiB", 1536 -> "1.5 GiB". */
export function formatMib(mib: number): string {
  if (mib < 1024) return `${mib} MiB`;
  const gib = mib / 1024;
  return Number.isInteger(gib * 100) ? `${gib} GiB` : `${mib} MiB`;
}

/** Label and value of each limit, in the order the page shows them. */
export function limitRows(limits: WorkspaceLimits): Array<[label: string, value: string]> {
  return [
    ['CPU', formatCpus(limits.cpus)],
    ['Memory', formatMib(limits.memoryMib)],
    ['Processes', String(limits.processes)],
    ['Disk', `${limits.diskGib} GiB`],
  ];
}
