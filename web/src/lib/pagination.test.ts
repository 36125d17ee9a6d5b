import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allItems,
  appendPage,
  emptyList,
  filterItems,
  hasMore,
  isLoaded,
  nextCursor,
  remove,
  replacePages,
  upsert,
} from './pagination';

type W = { id: string; name: string; status?: string };
const w = (id: string, status = 'running'): W => ({ id, name: `ws-${id}`, status });

test('an empty list has nothing more to load', () => {
  const s = emptyList<W>();
  assert.equal(isLoaded(s), false);
  assert.equal(hasMore(s), false);
  assert.equal(nextCursor(s), null);
});

test('follows the cursor of the last page', () => {
  let s = appendPage(emptyList<W>(), { items: [w('1'), w('2')], nextCursor: 'c2' });
  assert.equal(nextCursor(s), 'c2');
  s = appendPage(s, { items: [w('3')], nextCursor: null });
  assert.equal(hasMore(s), false);
  assert.deepEqual(allItems(s).map((x) => x.id), ['1', '2', '3']);
});

test('a created workspace shows at once and is not duplicated once a page has it', () => {
  let s = appendPage(emptyList<W>(), { items: [w('1')], nextCursor: 'c' });
  s = upsert(s, w('9', 'creating'));
  assert.deepEqual(allItems(s).map((x) => x.id), ['1', '9']);
  s = appendPage(s, { items: [w('9', 'running')], nextCursor: null });
  assert.deepEqual(s.extras, []);
  assert.deepEqual(allItems(s).map((x) => x.status), ['running', 'running']);
});

test('upsert updates in place and remove drops from pages and extras', () => {
  let s = appendPage(emptyList<W>(), { items: [w('1'), w('2')], nextCursor: null });
  s = upsert(s, w('2', 'stopping'));
  assert.equal(allItems(s)[1]?.status, 'stopping');
  assert.equal(s.extras.length, 0);
  s = upsert(s, w('3'));
  s = remove(remove(s, '2'), '3');
  assert.deepEqual(allItems(s).map((x) => x.id), ['1']);
});

test('replacing pages keeps extras the fresh pages do not show', () => {
  let s = appendPage(emptyList<W>(), { items: [w('1')], nextCursor: 'c' });
  s = upsert(s, w('7'));
  s = replacePages(s, [{ items: [w('1', 'stopped')], nextCursor: 'c' }]);
  assert.deepEqual(allItems(s).map((x) => `${x.id}:${x.status}`), ['1:stopped', '7:running']);
});

test('duplicates across pages are shown once', () => {
  let s = appendPage(emptyList<W>(), { items: [w('1'), w('2')], nextCursor: 'c' });
  s = appendPage(s, { items: [w('2'), w('3')], nextCursor: null });
  assert.deepEqual(allItems(s).map((x) => x.id), ['1', '2', '3']);
});

test('filters case-insensitively on the given fields', () => {
  const items = [
    { id: '1', name: 'alpha', image: 'rockpool-workspace' },
    { id: '2', name: 'beta', image: 'custom-node' },
  ];
  const f = (x: (typeof items)[number]) => [x.name, x.image];
  assert.deepEqual(filterItems(items, 'ALP', f).map((x) => x.id), ['1']);
  assert.deepEqual(filterItems(items, 'node', f).map((x) => x.id), ['2']);
  assert.equal(filterItems(items, '  ', f).length, 2);
});
