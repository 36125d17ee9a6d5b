import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choicesWith, choiceValue, formatIdleTimeout, IDLE_CHOICES, parseChoice } from './idle';

test('idle timeouts read in the largest units', () => {
  assert.equal(formatIdleTimeout(1800), '30 min');
  assert.equal(formatIdleTimeout(5400), '1 h 30 min');
  assert.equal(formatIdleTimeout(45), '45 s');
  assert.equal(formatIdleTimeout(7200), '2 h');
  assert.equal(formatIdleTimeout(0), 'never');
});

test('select values round-trip, and the default is null', () => {
  for (const [, seconds] of IDLE_CHOICES) assert.equal(parseChoice(choiceValue(seconds)), seconds);
  assert.equal(parseChoice('default'), null);
  assert.equal(parseChoice('-5'), null);
  assert.equal(parseChoice('abc'), null);
});

test('a timeout set elsewhere (the CLI) is offered too', () => {
  assert.equal(choicesWith(1800), IDLE_CHOICES);
  const extended = choicesWith(2700);
  assert.deepEqual(extended[extended.length - 1], ['45 min', 2700]);
});
