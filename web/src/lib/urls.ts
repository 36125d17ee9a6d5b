// Links into workspaces. Workspace content is served on its own origin (port 8081) so a page
// inside a workspace cannot script the control plane on this origin.
export const WORKSPACE_PORT = 8081;

function workspaceOrigin(loc: { protocol: string; hostname: string }): string {
  const bare = loc.hostname.includes(':') && !loc.hostname.startsWith('[');
  const host = bare ? `[${loc.hostname}]` : loc.hostname;
  return `${loc.protocol}//${host}:${WORKSPACE_PORT}`;
}

export function ideUrl(name: string, loc: { protocol: string; hostname: string } = location): string {
  return `${workspaceOrigin(loc)}/workspace/${encodeURIComponent(name)}/`;
}

export function portUrl(
  name: string,
  port: number,
  loc: { protocol: string; hostname: string } = location,
): string {
  return `${workspaceOrigin(loc)}/workspace/${encodeURIComponent(name)}/port/${port}/`;
}
