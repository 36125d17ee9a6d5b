import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addPort,
  changeMyPassword,
  createUser,
  createWorkspace,
  deleteUser,
  deleteWorkspace,
  getHealth,
  getMe,
  getWorkspace,
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
