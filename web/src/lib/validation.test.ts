import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parsePort,
  passwordChangeProblems,
  passwordError,
  snapshotNameError,
  tokenNameError,
  usernameError,
  validatePortForm,
  validateRepository,
  validateWorkspaceName,
} from './validation';

test('accepts names the contract accepts', () => {
  for (const name of ['abc', 'my-workspace', 'a1b', '0ab', 'a'.repeat(63)]) {
    assert.equal(validateWorkspaceName(name), null, name);
  }
});

test('rejects names the contract rejects, naming the rule', () => {
  for (const name of ['', 'ab', 'a'.repeat(64), 'My-ws', 'my_ws', '-abc', 'abc-', 'a b c', 'é-ab']) {
    const reason = validateWorkspaceName(name);
    assert.ok(reason, `expected "${name}" to be rejected`);
    assert.match(reason, /Use 3-63 lowercase letters, digits and hyphens/);
  }
});

test('explains which character is not allowed', () => {
  assert.match(validateWorkspaceName('my_ws') ?? '', /"_" is not allowed/);
  assert.match(validateWorkspaceName('ab') ?? '', /Too short \(2\)/);
});

test('parses ports in 1024-65535 only', () => {
  assert.deepEqual(parsePort('3000'), { port: 3000 });
  assert.deepEqual(parsePort(' 1024 '), { port: 1024 });
  assert.deepEqual(parsePort('65535'), { port: 65535 });
  for (const bad of ['', '1023', '65536', '80', '3000.5', 'abc', '-3000', '1e4']) {
    assert.ok('error' in parsePort(bad), bad);
  }
});

test('port form refuses a sixth port and duplicates, and trims the label', () => {
  assert.deepEqual(validatePortForm('3000', '  web ', []), { port: 3000, label: 'web' });
  assert.deepEqual(validatePortForm('3000', '', []), { port: 3000 });
  assert.match(JSON.stringify(validatePortForm('3000', '', [3000])), /already forwarded/);
  assert.match(JSON.stringify(validatePortForm('3006', '', [3001, 3002, 3003, 3004, 3005])), /at most 5/);
  assert.match(JSON.stringify(validatePortForm('3000', 'x'.repeat(65), [])), /64 characters/);
});

test('repositories: https (or http) URLs with a host and no credentials', () => {
  assert.equal(validateRepository('', ''), null);
  assert.equal(validateRepository('https://github.com/a/b.git', 'tok'), null);
  assert.equal(validateRepository('http://git.local/a.git', ''), null);
  assert.match(validateRepository('git@github.com:a/b.git', '') ?? '', /https:\/\//);
  assert.match(validateRepository('https://u:p@github.com/a', '') ?? '', /token field/);
  assert.match(validateRepository('http://git.local/a.git', 'tok') ?? '', /only sent over https/);
  assert.match(validateRepository('https:///a', '') ?? '', /no host/);
  assert.match(validateRepository('', 'tok') ?? '', /goes with/);
});

test('snapshot names follow the server: empty or 1-63 of a-z, 0-9 and inner hyphens', () => {
  for (const name of ['', 'a', 'before-upgrade', 'snap-20260101-120000', 'a'.repeat(63)]) {
    assert.equal(snapshotNameError(name), null, name);
  }
  for (const name of ['A', 'a/b', '-a', 'a-', 'a b', '..', 'a'.repeat(64)]) {
    assert.match(snapshotNameError(name) ?? '', /1-63 lowercase letters/, name);
  }
});

test('token names follow the contract: 1-64 of letters, digits, spaces and ._@:()-', () => {
  for (const name of ['a', 'laptop', 'login devbox 20261202-185500', 'ci (nightly)', 'me@host:1', 'a'.repeat(64)]) {
    assert.equal(tokenNameError(name), null, name);
  }
  assert.match(tokenNameError('') ?? '', /Enter a name/);
  assert.match(tokenNameError('a'.repeat(65)) ?? '', /Too long \(65\)/);
  for (const name of [' lead', '-x', 'a/b', 'tab\there', 'é']) {
    assert.match(tokenNameError(name) ?? '', /Start with a letter or digit/, name);
  }
});

test('usernames follow the contract: 2-32 of a-z, 0-9 and ._-, starting with a letter', () => {
  for (const name of ['ab', 'alice', 'a.b', 'a_b', 'a-b', 'm-lx3k9', 'a1', 'a'.repeat(32)]) {
    assert.equal(usernameError(name), null, name);
  }
  for (const name of ['', 'a', 'a'.repeat(33), 'Alice', '1abc', '.ab', '-ab', 'a b', 'a@b', 'é-ab', ' ab']) {
    assert.match(usernameError(name) ?? '', /Use 2-32 lowercase letters, digits and \. _ -, starting with a letter/, name);
  }
  assert.match(usernameError('') ?? '', /^Enter a username/);
  assert.match(usernameError('a') ?? '', /Too short \(1\)/);
  assert.match(usernameError('a'.repeat(33)) ?? '', /Too long \(33\)/);
  assert.match(usernameError('Alice') ?? '', /Uppercase/);
  assert.match(usernameError('a@b') ?? '', /"@" is not allowed/);
  assert.match(usernameError('a b') ?? '', /A space is not allowed/);
  assert.match(usernameError('1abc') ?? '', /^Start with a letter/);
});

test('passwords have 12 to 1024 characters, counted as characters, never trimmed', () => {
  for (const pw of ['a'.repeat(12), 'correct horse battery', ' '.repeat(12), 'é'.repeat(12), 'a'.repeat(1024)]) {
    assert.equal(passwordError(pw), null, JSON.stringify(pw));
  }
  assert.match(passwordError('') ?? '', /Enter a password of at least 12 characters/);
  assert.match(passwordError('short') ?? '', /Too short \(5\); use at least 12 characters/);
  assert.match(passwordError('a'.repeat(11)) ?? '', /Too short \(11\)/);
  assert.match(passwordError('😀'.repeat(11)) ?? '', /Too short \(11\)/, 'an emoji is one character');
  assert.match(passwordError('a'.repeat(1025)) ?? '', /Too long \(1025\)/);
});

test('changing one\'s password needs the current one and the same valid new one twice', () => {
  const good = 'a-new-password';
  assert.deepEqual(passwordChangeProblems('old', good, good), { current: null, next: null, again: null });
  assert.deepEqual(passwordChangeProblems('', '', ''), {
    current: 'Enter your current password.',
    next: 'Enter a password of at least 12 characters.',
    again: 'Enter the new password again.',
  });
  const short = passwordChangeProblems('old', 'short', 'short');
  assert.match(short.next ?? '', /Too short \(5\)/);
  assert.equal(short.again, null, 'the short one is reported once, at the new password');
  assert.equal(passwordChangeProblems('old', good, `${good} `).again, 'The two new passwords differ.');
  assert.match(passwordChangeProblems('x'.repeat(1025), good, good).current ?? '', /Too long \(1025\)/);
  assert.equal(passwordChangeProblems(' old ', good, good).current, null, 'a password is never trimmed');
});
