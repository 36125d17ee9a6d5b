// Watches the deployment people use while the test suite runs, to prove the suite leaves it
// alone. Started by scripts/test.sh before the suite, against the deployment brought up by
// the README's first command (workspace "test" behind the deployment's Caddy):
//   1. opens workspace test's IDE in Chromium with a terminal, and records the terminal's
//      WebSockets, the workspace's record, its instance's identity and a digest of its files;
//   2. writes <dir>/ready and waits for <dir>/check (the suite has ended);
//   3. checks that no WebSocket of the page closed, the terminal still runs commands, the
//      credentials still sign in, and workspace test, its instance and its files are
//      unchanged. Prints each finding; exits 1 if any fails.
// Usage: node deployment_sentinel.mjs <dir>, with ROCKPOOL_USERNAME / ROCKPOOL_PASSWORD set to
// the deployment's credentials, ROCKPOOL_DEPLOYMENT_PROJECT / _CONTROL_PORT / _WORKSPACE_PORT
// to its LXD project and ports (scripts/test.sh takes them from `rockpool paths`), and `lxc`
// acting in that project.
import { existsSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { openBrowser, screenshot, watchWebSockets, httpCredentials } from '../browser/lib/browser.mjs';
import { execIn, run } from '../browser/lib/host.mjs';
import { waitFor } from '../browser/lib/poll.mjs';
import { answerDialogsAutomatically, openTerminal, openWorkbench, runInTerminal } from '../browser/lib/workbench.mjs';

const dir = process.argv[2];
/** A setting the caller must give: the sentinel never guesses which deployment to watch. */
function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`sentinel: ${name} is not set; scripts/test.sh sets it from \`rockpool paths\``);
    process.exit(2);
  }
  return value;
}
const HOST = process.env.ROCKPOOL_DEPLOYMENT_HOST || 'localhost';
const CONTROL = `http://${HOST}:${required('ROCKPOOL_DEPLOYMENT_CONTROL_PORT')}`;
const WORKSPACES = `http://${HOST}:${required('ROCKPOOL_DEPLOYMENT_WORKSPACE_PORT')}`;
const PROJECT = required('ROCKPOOL_DEPLOYMENT_PROJECT');
// Workspace test's instance: the one labelled with its name ("rp-test", or a warm pool member
// it claimed, which keeps its own name). Found once, before anything is recorded.
let INSTANCE = '';
async function instanceOf(name) {
  const listed = await lxc(['list', `user.rockpool.workspace=${name}`, '-c', 'n', '--format', 'csv']);
  const names = listed.stdout.split('\n').filter(Boolean);
  if (names.length !== 1) throw new Error(`workspace ${name}: ${names.length} instances carry its label`);
  return names[0];
}
const FILES = '/home/admin/workspace';
const WAIT_LIMIT_MS = 100 * 60 * 1000;

function lxc(args) { return run('lxc', [...args, '--project', PROJECT]); }

/** What must not change: the workspace's record, its instance and its files. */
async function snapshot() {
  const creds = httpCredentials();
  const auth = 'Basic ' + Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
  const api = await fetch(`${CONTROL}/api/workspaces/test`, { headers: { authorization: auth, 'x-rockpool-request': 'sentinel' } });
  const record = api.ok ? await api.json() : null;
  const info = await lxc(['config', 'get', INSTANCE, 'volatile.uuid']);
  const digest = await execIn(INSTANCE,
    `cd ${FILES} && find . -type f ! -path './.git/*' -print0 | sort -z | xargs -0 -r sha256sum | sha256sum`);
  return {
    apiStatus: api.status,
    id: record?.id, status: record?.status, createdAt: record?.createdAt,
    instance: info.stdout.trim(),
    files: digest.stdout.trim(),
  };
}

function sameRecord(a, b) {
  return ['apiStatus', 'id', 'status', 'createdAt', 'instance', 'files'].filter((k) => a[k] !== b[k]);
}

async function main() {
  if (!httpCredentials()) throw new Error('ROCKPOOL_USERNAME / ROCKPOOL_PASSWORD (the deployment\'s) are not set');
  const { browser, page } = await openBrowser();
  try {
    answerDialogsAutomatically(page);
    const sockets = watchWebSockets(page);
    INSTANCE = await instanceOf('test');
    const before = await snapshot();
    if (before.apiStatus !== 200 || before.status !== 'running') {
      throw new Error(`the deployment's workspace test is not running: ${JSON.stringify(before)}`);
    }
    await openWorkbench(page, `${WORKSPACES}/workspace/test/`);
    const shells = async () => (await execIn(INSTANCE, 'pgrep -u admin -x bash || true')).stdout.split(/\s+/).filter(Boolean);
    await openTerminal(page, shells);
    const marker = `/tmp/sentinel-${randomBytes(4).toString('hex')}`;
    const wrote = (path) => async () => (await execIn(INSTANCE, `cat ${path} 2>/dev/null || true`)).stdout.trim() === 'ok';
    await runInTerminal(page, `echo ok > ${marker}-before`, wrote(`${marker}-before`));
    const openedAt = Date.now();
    const terminalSockets = sockets.open().length;
    console.log(`# sentinel: IDE open with a terminal (${terminalSockets} WebSockets open); waiting for the suite`);
    writeFileSync(`${dir}/ready`, `${JSON.stringify(before)}\n`);

    await waitFor('the suite to end', async () => existsSync(`${dir}/check`), { timeoutMs: WAIT_LIMIT_MS, intervalMs: 2000 });

    const findings = [];
    const closed = sockets.closedSince(openedAt);
    findings.push([closed.length === 0, `no WebSocket of the IDE closed during the suite (${closed.map((s) => s.url).join(', ') || 'none closed'})`]);
    findings.push([sockets.open().length >= terminalSockets, `${sockets.open().length} WebSockets still open (${terminalSockets} at the start)`]);
    let terminalOk = true;
    try {
      await runInTerminal(page, `echo ok > ${marker}-after`, wrote(`${marker}-after`), { attempts: 1 });
    } catch (err) {
      terminalOk = false;
      await screenshot(page, 'sentinel-terminal');
    }
    findings.push([terminalOk, 'the same terminal still runs commands in workspace test']);
    const after = await snapshot();
    findings.push([after.apiStatus === 200, `the deployment's credentials still sign in (GET /api/workspaces/test: ${after.apiStatus})`]);
    const changed = sameRecord(before, after);
    findings.push([changed.length === 0, `workspace test, its instance and its files are unchanged${changed.length ? ` (changed: ${changed.join(', ')})` : ''}`]);
    await execIn(INSTANCE, `rm -f ${marker}-before ${marker}-after`);
    let failed = 0;
    for (const [ok, text] of findings) {
      console.log(`  ${ok ? 'ok  ' : 'FAIL'}  ${text}`);
      if (!ok) failed++;
    }
    return failed === 0;
  } finally {
    await browser.close();
  }
}

main().then((ok) => process.exit(ok ? 0 : 1), (err) => {
  console.error(`sentinel: ${err.stack || err.message}`);
  if (dir) writeFileSync(`${dir}/failed`, `${err.message}\n`);
  process.exit(1);
});
