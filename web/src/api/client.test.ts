import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addPort,
  changeMyPassword,
  endMySessions,
  createSession,
  createUser,
  createWorkspace,
  deleteSession,
  deleteUser,
  deleteWorkspace,
  getHealth,
  getMe,
  getWorkspace,
  listTokens,
  listUsers,
  listPorts,
  listWorkspaces,
  removePort,
  startWorkspace,
  stopWorkspace,
  updateUser,
} from './client';

type Sent = { url: string; init: RequestInit };
const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

function recordFetch(status: number, body: string): Sent[] {
  const sent: Sent[] = [];
  globalThis.fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    return new Response(status === 204 ? null : body, { status });
  }) as typeof fetch;
  return sent;
}

function header(init: RequestInit, name: string): string | undefined {
  return (init.headers as Record<string, string>)[name];
}

test('every call says it comes from the dashboard', async () => {
  const sent = recordFetch(200, '{}');
  await listWorkspaces(25, null);
  await getWorkspace('demo');
  await createWorkspace({ name: 'demo', image: 'rockpool-workspace' });
  await deleteWorkspace('demo');
  await startWorkspace('demo');
  await stopWorkspace('demo');
  await listPorts('demo');
  await addPort('demo', { port: 3000 });
  await getHealth();
  const removal = recordFetch(204, '');
  await removePort('demo', 3000);
  for (const { url, init } of [...sent, ...removal]) {
    assert.equal(header(init, 'X-Rockpool-Request'), 'dashboard', `${init.method} ${url}`);
  }
  assert.equal(sent.length, 9);
  assert.equal(removal.length, 1);
});

test('a JSON body keeps its content type next to the header', async () => {
  const sent = recordFetch(202, '{}');
  await createWorkspace({ name: 'demo', image: 'rockpool-workspace' });
  assert.equal(header(sent[0]!.init, 'Content-Type'), 'application/json');
  assert.equal(header(sent[0]!.init, 'X-Rockpool-Request'), 'dashboard');
});

test('account calls use the contract paths, methods and bodies', async () => {
  const sent = recordFetch(200, '{}');
  await getMe();
  await listUsers();
  await createUser({ username: 'alice', password: 'a'.repeat(12), role: 'member' });
  await updateUser('alice', { disabled: true });
  await updateUser('a.b', { role: 'admin' });
  const removal = recordFetch(204, '');
  await deleteUser('alice');
  assert.equal(await changeMyPassword({ currentPassword: 'old', newPassword: 'b'.repeat(12) }), undefined);
  const calls = [...sent, ...removal].map(({ url, init }) => `${init.method} ${url} ${init.body ?? ''}`.trim());
  assert.deepEqual(calls, [
    'GET /api/me',
    'GET /api/users',
    'POST /api/users {"username":"alice","password":"aaaaaaaaaaaa","role":"member"}',
    'PATCH /api/users/alice {"disabled":true}',
    'PATCH /api/users/a.b {"role":"admin"}',
    'DELETE /api/users/alice',
    'POST /api/me/password {"currentPassword":"old","newPassword":"bbbbbbbbbbbb"}',
  ]);
  for (const { url, init } of [...sent, ...removal]) {
    assert.equal(header(init, 'X-Rockpool-Request'), 'dashboard', `${init.method} ${url}`);
  }
});

test('the workspace list asks for one owner\'s workspaces on every page', async () => {
  const sent = recordFetch(200, '{"items":[],"nextCursor":null}');
  await listWorkspaces(50, null, 'alice');
  await listWorkspaces(50, 'next page', 'alice');
  await listWorkspaces(50, 'c1', null);
  assert.deepEqual(sent.map((s) => s.url), [
    '/api/workspaces?limit=50&owner=alice',
    '/api/workspaces?limit=50&owner=alice&cursor=next+page',
    '/api/workspaces?limit=50&cursor=c1',
  ]);
});

test('a refusal carries the server\'s code and message', async () => {
  recordFetch(409, '{"error":{"code":"conflict","message":"alice owns 2 workspaces: delete them first"}}');
  await assert.rejects(deleteUser('alice'), (err: unknown) => {
    const e = err as { status: number; code: string; message: string };
    return e.status === 409 && e.code === 'conflict' && e.message === 'alice owns 2 workspaces: delete them first';
  });
});

test('a wrong current password is refused with the server\'s message', async () => {
  recordFetch(403, '{"error":{"code":"forbidden","message":"the current password is wrong"}}');
  await assert.rejects(changeMyPassword({ currentPassword: 'nope', newPassword: 'c'.repeat(12) }), (err: unknown) => {
    const e = err as { status: number; code: string; message: string };
    return e.status === 403 && e.code === 'forbidden' && e.message === 'the current password is wrong';
  });
});

test('session calls use the contract paths; the sign-in sends the password as basic auth', async () => {
  const started = recordFetch(201, '{"username":"zoë","role":"member","expiresAt":"2030-01-01T00:00:00Z"}');
  assert.deepEqual(await createSession('zoë', 'pa:ss wörd'), { username: 'zoë', role: 'member', expiresAt: '2030-01-01T00:00:00Z' });
  const ended = recordFetch(200, '{"ended":3}');
  assert.deepEqual(await endMySessions(), { ended: 3 });
  const out = recordFetch(204, '');
  assert.equal(await deleteSession(), undefined);
  const calls = [...started, ...ended, ...out].map(({ url, init }) => `${init.method} ${url} ${init.body ?? ''}`.trim());
  assert.deepEqual(calls, ['POST /api/session', 'DELETE /api/me/sessions', 'DELETE /api/session']);
  assert.equal(header(started[0]!.init, 'Authorization'), `Basic ${Buffer.from('zoë:pa:ss wörd').toString('base64')}`);
  for (const { url, init } of [...started, ...ended, ...out]) {
    assert.equal(header(init, 'X-Rockpool-Request'), 'dashboard', `${init.method} ${url}`);
  }
  assert.equal(header(ended[0]!.init, 'Authorization'), undefined, 'only the sign-in sends a password');
});

/** A page at `path` (with its query): records where the client sends it. */
function atPage(path: string): string[] {
  const url = new URL(path, 'http://rock.example:8080');
  const moves: string[] = [];
  const page = {
    location: { pathname: url.pathname, search: url.search },
    history: {
      pushState: (_: unknown, __: string, to: string) => moves.push(`push ${to}`),
      replaceState: (_: unknown, __: string, to: string) => moves.push(`replace ${to}`),
    },
    window: { scrollTo: () => {} },
  };
  for (const [name, value] of Object.entries(page)) {
    Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  return moves;
}

afterEach(() => {
  for (const name of ['location', 'history', 'window']) delete (globalThis as Record<string, unknown>)[name];
});

const UNAUTHENTICATED = '{"error":{"code":"unauthenticated","message":"the session has ended; sign in again"}}';

test('a 401 from the app goes to the sign-in page, which comes back to the page and its query', async () => {
  const moves = atPage('/app/workspaces?limit=2&owner=alice');
  recordFetch(401, UNAUTHENTICATED);
  await assert.rejects(listTokens(), (err: unknown) => (err as { status: number }).status === 401);
  assert.deepEqual(moves, ['replace /app/login?next=%2Fapp%2Fworkspaces%3Flimit%3D2%26owner%3Dalice']);
});

test('a 401 from an empty answer goes to sign-in too', async () => {
  const moves = atPage('/app/settings');
  recordFetch(401, '');
  await assert.rejects(getMe(), (err: unknown) => (err as { status: number }).status === 401);
  assert.deepEqual(moves, ['replace /app/login?next=%2Fapp%2Fsettings']);
});

test('a wrong password on the sign-in page stays there, with the server\'s message', async () => {
  const moves = atPage('/app/login?next=%2Fapp%2Fsettings');
  recordFetch(401, '{"error":{"code":"unauthenticated","message":"wrong username or password"}}');
  await assert.rejects(createSession('admin', 'nope'), (err: unknown) => {
    const e = err as { status: number; code: string; message: string };
    return e.status === 401 && e.code === 'unauthenticated' && e.message === 'wrong username or password';
  });
  recordFetch(429, '{"error":{"code":"rate_limited","message":"too many wrong sign-ins; wait 60 s"}}');
  await assert.rejects(createSession('admin', 'nope'), (err: unknown) => (err as Error).message === 'too many wrong sign-ins; wait 60 s');
  assert.deepEqual(moves, []);
});

test('a 401 while on the sign-in page goes nowhere', async () => {
  const moves = atPage('/app/login');
  recordFetch(401, UNAUTHENTICATED);
  await assert.rejects(getHealth());
  assert.deepEqual(moves, []);
});

test('other refusals stay on the page', async () => {
  const moves = atPage('/app/settings');
  recordFetch(403, '{"error":{"code":"forbidden","message":"admins only"}}');
  await assert.rejects(listUsers());
  assert.deepEqual(moves, []);
});

test('an error as a bare code and message is read the same', async () => {
  recordFetch(401, '{"code":"unauthenticated","message":"wrong username or password"}');
  await assert.rejects(createSession('admin', 'nope'), (err: unknown) => {
    const e = err as { code: string; message: string };
    return e.code === 'unauthenticated' && e.message === 'wrong username or password';
  });
});
