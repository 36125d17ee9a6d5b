import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relativeTime } from './time';

const now = Date.parse('2025-01-10T12:00:00Z');
const ago = (s: number): string => new Date(now - s * 1000).toISOString();

test('recent times read as just now', () => {
  assert.equal(relativeTime(ago(0), now), 'just now');
  assert.equal(relativeTime(ago(30), now), 'just now');
});

test('minutes, hours, days and beyond', () => {
  assert.equal(relativeTime(ago(60), now), '1 minute ago');
  assert.equal(relativeTime(ago(180), now), '3 minutes ago');
  assert.equal(relativeTime(ago(3600), now), '1 hour ago');
  assert.equal(relativeTime(ago(5 * 3600), now), '5 hours ago');
  assert.equal(relativeTime(ago(2 * 86400), now), '2 days ago');
  assert.equal(relativeTime(ago(14 * 86400), now), '2 weeks ago');
  assert.equal(relativeTime(ago(90 * 86400), now), '3 months ago');
  assert.equal(relativeTime(ago(800 * 86400), now), '2 years ago');
});

test('future times and bad input', () => {
  assert.equal(relativeTime(ago(-600), now), 'in 10 minutes');
  assert.equal(relativeTime('not a date', now), 'unknown');
});
