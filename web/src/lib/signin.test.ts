import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AFTER_SIGN_IN, afterSignIn, basicAuthorization, isDashboardPath, signInPath } from './signin';

const here = new URL('http://rock.example:8080/app/login');

test('the sign-in page carries where to come back to', () => {
  assert.equal(signInPath(), '/app/login');
  assert.equal(signInPath('/app/settings'), '/app/login?next=%2Fapp%2Fsettings');
  assert.equal(signInPath('/app/workspaces?owner=a b&limit=2'), '/app/login?next=%2Fapp%2Fworkspaces%3Fowner%3Da%20b%26limit%3D2');
  assert.equal(new URLSearchParams(signInPath('/app/workspaces?limit=2&owner=x').split('?')[1]).get('next'), '/app/workspaces?limit=2&owner=x');
});

test('goes back to a path of this origin, with its query', () => {
  assert.equal(afterSignIn('/app/settings', here), '/app/settings');
  assert.equal(afterSignIn('/app/workspaces?limit=2&owner=alice', here), '/app/workspaces?limit=2&owner=alice');
  assert.equal(afterSignIn('/app/workspaces/my-ws', here), '/app/workspaces/my-ws');
  assert.equal(afterSignIn('/workspace/my-ws/', here), '/workspace/my-ws/');
});

test('goes to a page of the same host on any port (the workspace port)', () => {
  assert.equal(afterSignIn('http://rock.example:8081/workspace/test/', here), 'http://rock.example:8081/workspace/test/');
  assert.equal(afterSignIn('http://rock.example:8081/workspace/t/port/3000/?a=1', here), 'http://rock.example:8081/workspace/t/port/3000/?a=1');
  assert.equal(afterSignIn('https://ROCK.example/app/settings', here), 'https://rock.example/app/settings');
  assert.equal(afterSignIn('http://rock.example:8080/app/settings', here), 'http://rock.example:8080/app/settings');
});

test('goes nowhere else: no open redirect', () => {
  for (const next of [
    '//evil.com',
    '//evil.com/app/settings',
    '/\\evil.com',
    '/\\/evil.com',
    '/\t/evil.com',
    '/\n/evil.com',
    ' //evil.com',
    'https://evil.com/',
    'http://evil.com:8081/workspace/test/',
    'https://rock.example.evil.com/',
    'http://rock.example@evil.com/',
    'http://user:pass@rock.example:8081/',
    'http:evil.com',
    'https:/evil.com',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://rock.example/',
    'app/settings',
    'evil.com',
  ]) {
    assert.equal(afterSignIn(next, here), AFTER_SIGN_IN, JSON.stringify(next));
  }
});

test('the workspace list when there is no next, or it is the sign-in page again', () => {
  assert.equal(afterSignIn(null, here), AFTER_SIGN_IN);
  assert.equal(afterSignIn(undefined, here), AFTER_SIGN_IN);
  assert.equal(afterSignIn('', here), AFTER_SIGN_IN);
  assert.equal(afterSignIn('/app/login', here), AFTER_SIGN_IN);
  assert.equal(afterSignIn('/app/login/?next=/app/settings', here), AFTER_SIGN_IN);
  assert.equal(afterSignIn('http://rock.example:8080/app/login', here), AFTER_SIGN_IN);
});

test('dashboard paths open in place; anything else loads a page', () => {
  assert.equal(isDashboardPath('/app/workspaces'), true);
  assert.equal(isDashboardPath('/app'), true);
  assert.equal(isDashboardPath('/app?limit=2'), true);
  assert.equal(isDashboardPath('/application'), false);
  assert.equal(isDashboardPath('/workspace/my-ws/'), false);
  assert.equal(isDashboardPath('http://rock.example:8080/app/settings'), false);
});

test('a password sign-in is basic auth of the UTF-8 bytes', () => {
  assert.equal(basicAuthorization('admin', 'secret'), `Basic ${Buffer.from('admin:secret').toString('base64')}`);
  assert.equal(basicAuthorization('zoë', 'pässwörd:x'), `Basic ${Buffer.from('zoë:pässwörd:x', 'utf8').toString('base64')}`);
});
