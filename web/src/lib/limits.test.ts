import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCpus, formatMib, limitRows } from './limits';

test('cpus read as cores', () => {
  assert.equal(formatCpus(1), '1 core');
  assert.equal(formatCpus(1.5), '1.5 cores');
  assert.equal(formatCpus(0.25), '0.25 cores');
});

test('memory reads in GiB from 1 GiB up when that is exact enough', () => {
  assert.equal(formatMib(512), '512 MiB');
  assert.equal(formatMib(1024), '1 GiB');
  assert.equal(formatMib(1536), '1.5 GiB');
  assert.equal(formatMib(2048), '2 GiB');
  assert.equal(formatMib(1000), '1000 MiB');
  assert.equal(formatMib(1100), '1100 MiB');
});

test('rows list every limit in order', () => {
  assert.deepEqual(limitRows({ cpus: 2, memoryMib: 4096, processes: 1024, diskGib: 10 }), [
    ['CPU', '2 cores'],
    ['Memory', '4 GiB'],
    ['Processes', '1024'],
    ['Disk', '10 GiB'],
  ]);
});
