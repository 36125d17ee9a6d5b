import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ideUrl, portUrl } from './urls';

test('IDE and port links are entry paths the proxy moves to the workspace origin', () => {
  assert.equal(ideUrl('my-ws'), '/workspace/my-ws/');
  assert.equal(portUrl('my-ws', 3000), '/workspace/my-ws/port/3000/');
});
