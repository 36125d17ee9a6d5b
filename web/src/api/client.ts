// Typed fetch wrapper for the Rockpool REST API (same origin, /api). The browser signs in on
// the sign-in page (POST /api/session with the password) and from then on sends the session
// cookie, HttpOnly and out of this code's reach. A 401 means the session ended (signed out,
// expired, a new password): the page goes to sign-in, and comes back here afterwards. Every
// call carries `X-Rockpool-Request: dashboard`, which a page on another site cannot send
// without a CORS preflight: the API refuses state-changing requests without it (or a JSON body).
import type { paths } from './schema';
import { basicAuthorization, LOGIN_PATH, signInPath } from '../lib/signin';
import { navigate } from '../router';
import type {
  ApiTokenList,
  ErrorCode,
  Health,
  Me,
  NewApiToken,
  Port,
  RequestOf,
  ResponseOf,
  Session,
  SessionsEnded,
  Workspace,
  WorkspaceList,
  PortList,
  Snapshot,
  SnapshotList,
  User,
  UserList,
} from './types';

/** Thrown for any failed call. `status` 0 means the API could not be reached at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network' | 'bad_response',
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** True when the API itself is unreachable or failing, as opposed to refusing a request. */
  get unreachable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export const API_BASE = '/api';

/** Sent on every call: marks the dashboard's own requests (see the contract's CSRF rule). */
export const REQUEST_HEADER = { 'X-Rockpool-Request': 'dashboard' } as const;

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

// Accepts only path templates the contract defines, so a renamed route breaks the build.
type ApiPath = keyof paths;

function fill(template: ApiPath, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) =>
    encodeURIComponent(String(params[key] ?? '')),
  );
}

interface CallOptions {
  params?: Record<string, string | number>;
  query?: URLSearchParams;
  body?: unknown;
  headers?: Record<string, string>;
  /** Made before signing in (the sign-in itself): a 401 is its answer, not an ended session. */
  anonymous?: boolean;
}

async function call<T>(method: Method, template: ApiPath, opts: CallOptions = {}): Promise<T> {
  let url = fill(template, opts.params);
  if (opts.query && [...opts.query.keys()].length > 0) url += `?${opts.query}`;
  const init: RequestInit = { method, headers: { Accept: 'application/json', ...REQUEST_HEADER, ...opts.headers } };
  if (opts.body !== undefined) {
    init.headers = { ...init.headers, 'Content-Type': 'application/json' };
    init.body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    throw new ApiError(0, 'network', `Cannot reach the Rockpool API (${method} ${url}): ${String(err)}`);
  }
  if (res.status === 401 && !opts.anonymous) signInAgain();
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: a proxy error page, for example. Reported below with the status.
  }
  if (!res.ok) throw errorFrom(res.status, method, url, json, text);
  if (json === undefined) {
    throw new ApiError(res.status, 'bad_response', `${method} ${url}: expected JSON, got "${text.slice(0, 80)}"`);
  }
  return json as T;
}

/** The session is gone: to the sign-in page (in place of this one), which comes back here. */
function signInAgain(): void {
  if (typeof location === 'undefined' || location.pathname.replace(/\/+$/, '') === LOGIN_PATH) return;
  navigate(signInPath(location.pathname + location.search), { replace: true });
}

type ErrorBody = { code?: ErrorCode; message?: string };

function errorFrom(status: number, method: string, url: string, json: unknown, text: string): ApiError {
  const body = json as ({ error?: ErrorBody } & ErrorBody) | undefined;
  // The contract's {"error": {...}}; a bare {"code", "message"} is read the same.
  const error = body?.error ?? body;
  if (error?.message) {
    return new ApiError(status, error.code ?? 'internal', error.message);
  }
  const detail = text.trim().slice(0, 120) || `HTTP ${status}`;
  return new ApiError(status, 'internal', `${method} ${url}: ${status} ${detail}`);
}

/**
 * The query of one page of the workspace list. `owner` (admins only) narrows the list to one
 * account's workspaces; a cursor belongs to the list it came from, so it goes with the same owner.
 */
export function workspaceListQuery(limit: number, cursor: string | null, owner: string | null = null): URLSearchParams {
  const query = new URLSearchParams({ limit: String(limit) });
  if (owner) query.set('owner', owner);
  if (cursor) query.set('cursor', cursor);
  return query;
}

export function listWorkspaces(limit: number, cursor: string | null, owner: string | null = null): Promise<WorkspaceList> {
  const query = workspaceListQuery(limit, cursor, owner);
  return call<ResponseOf<'listWorkspaces', 200>>('GET', '/api/workspaces', { query });
}

export function getWorkspace(id: string): Promise<Workspace> {
  return call<ResponseOf<'getWorkspace', 200>>('GET', '/api/workspaces/{id}', { params: { id } });
}

export function createWorkspace(body: RequestOf<'createWorkspace'>): Promise<Workspace> {
  return call<ResponseOf<'createWorkspace', 202>>('POST', '/api/workspaces', { body });
}

/** Changes the workspace's settings: its idle timeout (seconds, 0 never, null the default). */
export function updateWorkspace(id: string, body: RequestOf<'updateWorkspace'>): Promise<Workspace> {
  return call<ResponseOf<'updateWorkspace', 200>>('PATCH', '/api/workspaces/{id}', { params: { id }, body });
}

export function deleteWorkspace(id: string): Promise<Workspace> {
  return call<ResponseOf<'deleteWorkspace', 202>>('DELETE', '/api/workspaces/{id}', { params: { id } });
}

export function startWorkspace(id: string): Promise<Workspace> {
  return call<ResponseOf<'startWorkspace', 202>>('POST', '/api/workspaces/{id}/start', { params: { id } });
}

export function retryClone(id: string): Promise<Workspace> {
  return call<ResponseOf<'retryClone', 202>>('POST', '/api/workspaces/{id}/repository/clone', { params: { id } });
}

export function stopWorkspace(id: string): Promise<Workspace> {
  return call<ResponseOf<'stopWorkspace', 202>>('POST', '/api/workspaces/{id}/stop', { params: { id } });
}

export function listPorts(id: string): Promise<PortList> {
  return call<ResponseOf<'listPorts', 200>>('GET', '/api/workspaces/{id}/ports', { params: { id } });
}

export function addPort(id: string, body: RequestOf<'addPort'>): Promise<Port> {
  return call<ResponseOf<'addPort', 201>>('POST', '/api/workspaces/{id}/ports', { params: { id }, body });
}

export function removePort(id: string, port: number): Promise<void> {
  return call<void>('DELETE', '/api/workspaces/{id}/ports/{port}', { params: { id, port } });
}

export function listSnapshots(id: string): Promise<SnapshotList> {
  return call<ResponseOf<'listSnapshots', 200>>('GET', '/api/workspaces/{id}/snapshots', { params: { id } });
}

/** Without a name the server names the snapshot after the time. */
export function createSnapshot(id: string, body: RequestOf<'createSnapshot'>): Promise<Snapshot> {
  return call<ResponseOf<'createSnapshot', 201>>('POST', '/api/workspaces/{id}/snapshots', { params: { id }, body });
}

/** Queues the restore of a stopped workspace; it stays stopped. */
export function restoreSnapshot(id: string, snapshot: string): Promise<Workspace> {
  return call<ResponseOf<'restoreSnapshot', 202>>('POST', '/api/workspaces/{id}/snapshots/{snapshot}/restore', {
    params: { id, snapshot },
  });
}

export function deleteSnapshot(id: string, snapshot: string): Promise<void> {
  return call<void>('DELETE', '/api/workspaces/{id}/snapshots/{snapshot}', { params: { id, snapshot } });
}

export function listTokens(): Promise<ApiTokenList> {
  return call<ResponseOf<'listTokens', 200>>('GET', '/api/tokens');
}

/** The answer holds the token's secret, shown this once. */
export function createToken(body: RequestOf<'createToken'>): Promise<NewApiToken> {
  return call<ResponseOf<'createToken', 201>>('POST', '/api/tokens', { body });
}

export function revokeToken(tokenId: string): Promise<void> {
  return call<void>('DELETE', '/api/tokens/{tokenId}', { params: { tokenId } });
}

/**
 * Signs this browser in with the account's password: the answer sets the session cookie. Refused
 * with 401 for a wrong password, 429 after too many wrong ones (the message says how long to wait).
 */
export function createSession(username: string, password: string): Promise<Session> {
  return call<ResponseOf<'createSession', 201>>('POST', '/api/session', {
    headers: { Authorization: basicAuthorization(username, password) },
    anonymous: true,
  });
}

/** Signs this browser out: its session ends and the cookie is removed. */
export function deleteSession(): Promise<void> {
  return call<void>('DELETE', '/api/session');
}

/** Signs the account out everywhere: every session of it ends, this one too. */
export function endMySessions(): Promise<SessionsEnded> {
  return call<ResponseOf<'endMySessions', 200>>('DELETE', '/api/me/sessions');
}

/** The account the browser is signed in as, and its role. */
export function getMe(): Promise<Me> {
  return call<ResponseOf<'getMe', 200>>('GET', '/api/me');
}

/**
 * Changes the signed-in account's own password. Refused (403) when the current password is wrong
 * or the request signed in with an API token, and (409) for the deployment's own account.
 */
export function changeMyPassword(body: RequestOf<'changeMyPassword'>): Promise<void> {
  return call<void>('POST', '/api/me/password', { body });
}

/** Admins only: the deployment's own account first, then the others, oldest first. */
export function listUsers(): Promise<UserList> {
  return call<ResponseOf<'listUsers', 200>>('GET', '/api/users');
}

export function createUser(body: RequestOf<'createUser'>): Promise<User> {
  return call<ResponseOf<'createUser', 201>>('POST', '/api/users', { body });
}

/** Disables or enables an account, changes its role or sets its password. */
export function updateUser(username: string, body: RequestOf<'updateUser'>): Promise<User> {
  return call<ResponseOf<'updateUser', 200>>('PATCH', '/api/users/{username}', { params: { username }, body });
}

/** Refused (409) while the account owns workspaces; the message says so. */
export function deleteUser(username: string): Promise<void> {
  return call<void>('DELETE', '/api/users/{username}', { params: { username } });
}

export function getHealth(): Promise<Health> {
  return call<ResponseOf<'getHealth', 200>>('GET', '/api/health');
}
