// Links into workspaces. Workspace content is served on an origin of its own (the workspace
// port), so a page inside a workspace cannot script the control plane on this origin. The
// dashboard links to /workspace/... on its own origin, and the proxy redirects each link to
// the same path on the workspace port the deployment was given (ROCKPOOL_WORKSPACE_PORT), which
// the dashboard therefore never needs to know.

export function ideUrl(name: string): string {
  return `/workspace/${encodeURIComponent(name)}/`;
}

export function portUrl(name: string, port: number): string {
  return `/workspace/${encodeURIComponent(name)}/port/${port}/`;
}
