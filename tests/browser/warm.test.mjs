// A person opens a workspace that a create took from the warm pool. A second private Rockpool
// keeps one booted member (scripts/harness.sh with ROCKPOOL_TEST_WARM_POOL=1); the create
// claims it, so its code-server was started before the workspace existed. The workbench loads
// under the workspace's URL, its terminal runs in the claimed instance, and the instance's
// machine-id is its own.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { openBrowser, screenshot } from './lib/browser.mjs';
import { REPO_ROOT, execIn, readFileIn, rockpool, run } from './lib/host.mjs';
import { timed, waitFor } from './lib/poll.mjs';
import {
  answerDialogsAutomatically, openTerminal, openWorkbench, runCommand, runInTerminal,
} from './lib/workbench.mjs';

const NAME = `warm-${Date.now().toString(36)}`;
const HARNESS = `source ${REPO_ROOT}scripts/lib.sh && source ${REPO_ROOT}scripts/harness.sh`;
const state = { peer: null, browser: null, page: null, instance: null };

function bash(script, args, env) {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', script, ...args], { env, timeout: 600_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

/** Starts the second private Rockpool; its settings replace this process's. */
async function startPeer() {
  const out = await bash(`${HARNESS} && start_private >&2 && env | grep -E '^(ROCKPOOL_[A-Z_]+|LXD_CONF)=' && ` +
    'printf "%s\\n" PRIVATE_DIR=$PRIVATE_DIR PRIVATE_PROJECT=$PRIVATE_PROJECT PRIVATE_BRIDGE=$PRIVATE_BRIDGE', [],
  { ...process.env, ROCKPOOL_TEST_WARM_POOL: '1', ROCKPOOL_SUITE_PID: String(process.pid) });
  const env = {};
  for (const line of out.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  assert.ok(env.PRIVATE_DIR && env.ROCKPOOL_WARM_POOL === '1', `the second Rockpool did not come up:\n${out}`);
  Object.assign(process.env, env);
  return env;
}

/** Names of the instances `lxc list` shows for `filters` (config key=value). */
async function instances(...filters) {
  const r = await run('lxc', ['list', ...filters, '-c', 'n', '--format', 'csv']);
  return r.code === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

async function shellPids() {
  const result = await execIn(state.instance, 'pgrep -u admin -x bash || true');
  return result.stdout.split(/\s+/).filter(Boolean);
}

describe('a workspace from the warm pool', { timeout: 600_000 }, () => {
  before(async () => {
    state.peer = await startPeer();
  });

  after(async () => {
    try {
      if (state.page) await runCommand(state.page, 'Terminal: Kill All Terminals');
    } catch (err) {
      console.log(`# cleanup: kill the terminals: ${err.message}`);
    }
    if (state.browser) await state.browser.close();
    if (state.peer) {
      const { PRIVATE_DIR, PRIVATE_PROJECT, PRIVATE_BRIDGE } = state.peer;
      // None of the second Rockpool's settings: purge_private ends every process whose
      // environment names its state folder, and works across projects.
      const env = { PATH: process.env.PATH, HOME: process.env.HOME };
      await bash(`${HARNESS} && purge_private "$0" "$1" "$2"`, [PRIVATE_DIR, PRIVATE_PROJECT, PRIVATE_BRIDGE], env)
        .catch((err) => console.log(`# cleanup: purge: ${err.message}`));
    }
  });

  it('is the booted member, and its IDE and terminal work under the workspace URL', async () => {
    let member = [];
    await waitFor('a ready warm member', async () => {
      member = await instances('user.rockpool.warm=true', 'user.rockpool.spare.ready=true');
      return member.length === 1;
    }, { timeoutMs: 180_000, intervalMs: 1000 });

    const url = `http://localhost:${process.env.ROCKPOOL_WORKSPACE_PORT}/workspace/${NAME}/`;
    const auth = `Basic ${Buffer.from(`${process.env.ROCKPOOL_USERNAME}:${process.env.ROCKPOOL_PASSWORD}`).toString('base64')}`;
    await timed('create -> IDE 200 through the proxy', async () => {
      const created = await rockpool(['ws', 'create', NAME]);
      assert.equal(created.code, 0, created.stdout + created.stderr);
      await waitFor('the IDE to answer 200', async () => (await fetch(url, { headers: { authorization: auth } })).status === 200,
        { timeoutMs: 30_000, intervalMs: 50 });
    });
    assert.deepEqual(await instances(`user.rockpool.workspace=${NAME}`), member,
      'the create did not claim the warm member');
    state.instance = member[0];

    Object.assign(state, await openBrowser());
    await answerDialogsAutomatically(state.page);
    try {
      await openWorkbench(state.page, url);
      await openTerminal(state.page, shellPids);
      const machineId = (await readFileIn(state.instance, '/etc/machine-id')).trim();
      assert.match(machineId, /^[0-9a-f]{32}$/);
      const path = `/home/admin/workspace/id-${NAME}`;
      await runInTerminal(state.page, `cat /etc/machine-id > ${path}`, async () => {
        const content = await readFileIn(state.instance, path);
        return content !== null && content.trim() === machineId;
      });
    } catch (err) {
      await screenshot(state.page, 'failed-warm-workspace');
      throw err;
    }
  });
});
