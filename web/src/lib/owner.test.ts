import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workspaceListQuery } from '../api/client';
import { ownerChoices, ownerFromQuery, withOwner } from './owner';

test('reads the owner filter from the list URL', () => {
  assert.equal(ownerFromQuery(new URLSearchParams('?owner=alice')), 'alice');
  assert.equal(ownerFromQuery(new URLSearchParams('?limit=2&owner=%20bob%20')), 'bob');
  assert.equal(ownerFromQuery(new URLSearchParams('?owner=')), null);
  assert.equal(ownerFromQuery(new URLSearchParams('?limit=2')), null);
});

test('sets and clears the owner filter, keeping the page size', () => {
  assert.equal(withOwner(new URLSearchParams('?limit=2'), 'alice'), '?limit=2&owner=alice');
  assert.equal(withOwner(new URLSearchParams('?limit=2&owner=alice'), 'bob'), '?limit=2&owner=bob');
  assert.equal(withOwner(new URLSearchParams('?limit=2&owner=alice'), null), '?limit=2');
  assert.equal(withOwner(new URLSearchParams('?owner=alice'), null), '');
  assert.equal(withOwner(new URLSearchParams(''), 'a.b_c-d'), '?owner=a.b_c-d');
});

test('offers every account once, and keeps a filter that is not among them', () => {
  assert.deepEqual(ownerChoices(['admin', 'alice'], null), ['admin', 'alice']);
  assert.deepEqual(ownerChoices(['admin', 'alice'], 'alice'), ['admin', 'alice']);
  assert.deepEqual(ownerChoices(['admin'], 'gone'), ['admin', 'gone']);
  assert.deepEqual(ownerChoices([], null), []);
});

test('a list request names the owner on every page, next to its cursor', () => {
  assert.equal(String(workspaceListQuery(50, null)), 'limit=50');
  assert.equal(String(workspaceListQuery(50, null, null)), 'limit=50');
  assert.equal(String(workspaceListQuery(50, null, 'alice')), 'limit=50&owner=alice');
  assert.equal(String(workspaceListQuery(2, 'c/2+=', 'alice')), 'limit=2&owner=alice&cursor=c%2F2%2B%3D');
  assert.equal(String(workspaceListQuery(2, 'c2')), 'limit=2&cursor=c2');
});
