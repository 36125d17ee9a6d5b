import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canDelete, canEditPorts, canStart, canStop, pollInterval, TRANSITION_POLL_MS } from './status';

test('actions follow the state machine', () => {
  assert.equal(canStart('stopped'), true);
  assert.equal(canStart('running'), false);
  assert.equal(canStop('running'), true);
  assert.equal(canStop('stopped'), false);
  assert.equal(canDelete('running'), false);
  assert.equal(canDelete('error'), true);
  assert.equal(canEditPorts('running'), true);
  assert.equal(canEditPorts('starting'), false);
});

test('polls faster while a status is transitional', () => {
  assert.equal(pollInterval(['running', 'stopped'], 5000), 5000);
  assert.equal(pollInterval(['running', 'creating'], 5000), TRANSITION_POLL_MS);
  assert.equal(pollInterval([], 3000), 3000);
});
