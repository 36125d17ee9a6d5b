import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addPort,
  createWorkspace,
  deleteWorkspace,
  getHealth,
  getWorkspace,
  listPorts,
  listWorkspaces,
  removePort,
  startWorkspace,
  stopWorkspace,
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
