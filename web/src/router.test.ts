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

test('the sign-in page keeps where to go next', () => {
  assert.deepEqual(matchRoute('/app/login', '?next=%2Fapp%2Fsettings'), { name: 'login', next: '/app/settings' });
  assert.deepEqual(matchRoute('/app/login', '?next=%2Fapp%2Fworkspaces%3Flimit%3D2%26owner%3Dalice'), {
    name: 'login',
    next: '/app/workspaces?limit=2&owner=alice',
  });
  assert.deepEqual(matchRoute('/app/login', '?next=http%3A%2F%2Flocalhost%3A8081%2Fworkspace%2Ftest%2F'), {
    name: 'login',
    next: 'http://localhost:8081/workspace/test/',
  });
  assert.deepEqual(matchRoute('/app/login'), { name: 'login', next: '' });
  assert.deepEqual(matchRoute('/app/login', '?next='), { name: 'login', next: '' });
  assert.equal(matchRoute('/app/login/').name, 'login');
  assert.equal(matchRoute('/app/login/more').name, 'notFound');
  assert.equal(matchRoute('/app/loginx').name, 'notFound');
});
