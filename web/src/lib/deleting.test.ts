import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Workspace } from '../api/types';
import { anyDeleting, isDeleting, markDeleting } from './deleting';

const ws = (status: Workspace['status']): Workspace => ({
  id: 'w1', name: 'abc', status, image: 'rockpool-workspace', statusReason: null, repository: null,
  createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z',
  limits: { cpus: 1, memoryMib: 2048, processes: 1024, diskGib: 10 },
  idleTimeoutSeconds: 1800, lastActivityAt: null, idleStopAt: null, location: null, owner: null,
});

test('a deleted workspace reads as deleting until its status changes', () => {
  markDeleting(ws('stopped'));
  assert.equal(isDeleting(ws('stopped')), true);
  assert.equal(anyDeleting([ws('stopped')]), true);
  assert.equal(isDeleting(ws('error')), false, 'a failed delete shows its error');
  assert.equal(isDeleting(ws('stopped')), false, 'and the mark is gone');
});
