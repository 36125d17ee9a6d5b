import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ideUrl, portUrl } from './urls';

const loc = { protocol: 'http:', hostname: 'dev.example' };

test('IDE and port links use the workspace origin on port 8081', () => {
  assert.equal(ideUrl('my-ws', loc), 'http://dev.example:8081/workspace/my-ws/');
  assert.equal(portUrl('my-ws', 3000, loc), 'http://dev.example:8081/workspace/my-ws/port/3000/');
});

test('IPv6 hosts stay bracketed once', () => {
  assert.equal(ideUrl('abc', { protocol: 'http:', hostname: '[::1]' }), 'http://[::1]:8081/workspace/abc/');
  assert.equal(ideUrl('abc', { protocol: 'http:', hostname: '::1' }), 'http://[::1]:8081/workspace/abc/');
});
