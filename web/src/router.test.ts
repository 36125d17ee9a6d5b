import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchRoute } from './router';

test('matches the three routes under /app', () => {
  assert.equal(matchRoute('/app/workspaces').name, 'workspaces');
  assert.equal(matchRoute('/app/workspaces/').name, 'workspaces');
  assert.equal(matchRoute('/app').name, 'workspaces');
  assert.deepEqual(matchRoute('/app/workspaces/my-ws'), { name: 'workspace', id: 'my-ws' });
  assert.equal(matchRoute('/app/settings').name, 'settings');
  assert.equal(matchRoute('/app/nope').name, 'notFound');
});

test('keeps the list query for page size', () => {
  const r = matchRoute('/app/workspaces', '?limit=2');
  assert.equal(r.name === 'workspaces' && r.query.get('limit'), '2');
});
