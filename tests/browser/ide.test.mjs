// A person opens workspace "test" through Caddy and lands in a working VS Code: the
// workbench loads, the terminal runs commands inside the container (WebSocket pass-through),
// the editor saves files, the Extensions view renders, git clones over the network, and
// creating another workspace does not interrupt the open terminal.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openBrowser, screenshot, watchWebSockets, envCredentials } from './lib/browser.mjs';
import { bridgeAddress, execIn, readFileIn, rockpool } from './lib/host.mjs';
import { startGitServer } from './lib/git-server.mjs';
import { timed, waitFor } from './lib/poll.mjs';
import {
  answerDialogsAutomatically, openExtensionsView, openTerminal, openWorkbench, quickOpen, runCommand,
  runInTerminal, typeInEditorAndSave,
} from './lib/workbench.mjs';

// The suite's private Rockpool (scripts/harness.sh exports its URL); never the deployment's.
const WORKSPACE_URL = process.env.ROCKPOOL_WORKSPACE_URL;
if (!WORKSPACE_URL) throw new Error('ROCKPOOL_WORKSPACE_URL is not set: run through ./scripts/test.sh (scripts/harness.sh)');
const INSTANCE = process.env.ROCKPOOL_INSTANCE || 'rp-test';
const BRIDGE = process.env.ROCKPOOL_BRIDGE;  // the private Rockpool's bridge
const WORKSPACE_DIR = '/home/admin/workspace';
const MARKER = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const SECOND_WORKSPACE = `second-${MARKER}`;

/** A probe: does a file inside the workspace container hold `expected` (trailing space aside)? */
function fileHas(path, expected) {
  return async () => {
    const content = await readFileIn(INSTANCE, path);
    return content !== null && content.trimEnd() === expected;
  };
}

/** Process ids of the bash shells the workspace user runs (each terminal has one). */
async function shellPids() {
  const result = await execIn(INSTANCE, 'pgrep -u admin -x bash || true');
  return result.stdout.split(/\s+/).filter(Boolean);
}

/** Waits until a file inside the workspace container has the expected content. */
function waitForFileIn(path, expected, timeoutMs = 30_000) {
  return waitFor(`${INSTANCE}:${path} to contain ${JSON.stringify(expected)}`, fileHas(path, expected),
    { timeoutMs });
}

/** Wraps a step: times it and leaves a screenshot behind when it fails. */
function step(name, fn) {
  return async () => timed(name, async () => {
    try {
      await fn();
    } catch (err) {
      if (state.page) await screenshot(state.page, `failed-${name.replace(/\W+/g, '-')}`);
      throw err;
    }
  });
}

const state = { browser: null, page: null, sockets: null, gitServer: null, secondCreated: false };

describe('VS Code through Caddy', { timeout: 300_000 }, () => {
  before(async () => {
    Object.assign(state, await openBrowser());
    state.sockets = watchWebSockets(state.page);
    await answerDialogsAutomatically(state.page);
  });

  after(async () => {
    const cleanups = [
      ['remove the second workspace', () => state.secondCreated && removeWorkspace(SECOND_WORKSPACE)],
      ['stop the git server', () => state.gitServer && state.gitServer.close()],
      // code-server keeps a terminal's shell alive after its page goes; end them explicitly.
      ['kill the terminals', () => state.page && runCommand(state.page, 'Terminal: Kill All Terminals')],
      ['close the browser', () => state.browser && state.browser.close()],
      ['delete test files', () => execIn(INSTANCE, `rm -rf ${WORKSPACE_DIR}/*-${MARKER}*`)],
    ];
    for (const [what, cleanup] of cleanups) {
      try {
        await cleanup();
      } catch (err) {
        console.log(`# cleanup: ${what}: ${err.message}`);
      }
    }
  });

  it('opens the workbench', { timeout: 120_000 }, step('workbench', async () => {
    await openWorkbench(state.page, WORKSPACE_URL);
    await screenshot(state.page, 'workbench');
  }));

  it('runs a terminal command inside the container', { timeout: 90_000 }, step('terminal', async () => {
    const path = `${WORKSPACE_DIR}/terminal-${MARKER}.txt`;
    await openTerminal(state.page, shellPids);
    await runInTerminal(state.page, `echo ${MARKER} > ${path}`, fileHas(path, MARKER));
    await screenshot(state.page, 'terminal');
  }));

  it('saves a file typed in the editor', { timeout: 90_000 }, step('editor', async () => {
    const path = `${WORKSPACE_DIR}/edit-${MARKER}.txt`;
    const text = `written in the editor ${MARKER}`;
    const created = await execIn(INSTANCE, `install -o admin -g admin -m 644 /dev/null ${path}`);
    assert.equal(created.code, 0, `create ${path}: ${created.stderr}`);
    await quickOpen(state.page, path);
    await typeInEditorAndSave(state.page, text);
    await waitForFileIn(path, text);
    await screenshot(state.page, 'editor');
  }));

  it('renders the Extensions view', { timeout: 60_000 }, step('extensions', async () => {
    const search = await openExtensionsView(state.page);
    assert.ok(await search.isVisible(), 'the extensions search box is visible');
    await screenshot(state.page, 'extensions');
  }));

  it('clones a git repository in the terminal', { timeout: 90_000 }, step('git clone', async () => {
    const content = `cloned ${MARKER}`;
    state.gitServer = await startGitServer('README.txt', content);
    const target = `${WORKSPACE_DIR}/clone-${MARKER}`;
    await openTerminal(state.page, shellPids);
    await runInTerminal(state.page, `git clone -q ${state.gitServer.cloneUrl} ${target}`,
      fileHas(`${target}/README.txt`, content), { attemptMs: 45_000 });
  }));

  it('keeps the terminal connected while another workspace is created', { timeout: 200_000 },
    step('second workspace', async () => {
      const openBefore = state.sockets.open();
      assert.ok(openBefore.length > 0, 'the page has an open WebSocket before the create');
      console.log(`# open WebSockets before the create: ${openBefore.map((s) => s.url).join(' ')}`);
      const since = Date.now();
      state.secondCreated = true; // from here on, clean up even after a partial create
      const created = await rockpool(['workspace', 'create', SECOND_WORKSPACE], { timeoutMs: 150_000 });
      assert.equal(created.code, 0,
        `rockpool workspace create ${SECOND_WORKSPACE}: ${created.stdout}${created.stderr}`);
      await waitForWorkspaceServed(SECOND_WORKSPACE);

      const path = `${WORKSPACE_DIR}/terminal-after-${MARKER}.txt`;
      await runInTerminal(state.page, `echo still-${MARKER} > ${path}`, fileHas(path, `still-${MARKER}`),
        { attempts: 1 });
      const closed = state.sockets.closedSince(since);
      assert.deepEqual(closed, [], `WebSockets closed while ${SECOND_WORKSPACE} was created`);
      await screenshot(state.page, 'terminal-after-second-workspace');
    }));
});

/** Waits until Caddy serves the new workspace's IDE page (code-server answered). */
async function waitForWorkspaceServed(name) {
  const url = new URL(`../${name}/`, WORKSPACE_URL).href;
  const creds = envCredentials();
  const headers = creds
    ? { Authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` }
    : {};
  await waitFor(`GET ${url} to answer 200`, async () => {
    // Redirects are followed here, with the credentials: in port mode the path URL leads to
    // the workspace's origin, and fetch drops them on the way to another origin. code-server
    // itself redirects to ./?folder=….
    let at = url;
    for (let hop = 0; hop < 5; hop++) {
      const response = await fetch(at, { headers, redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status > 399 || !location) return response.status === 200;
      at = new URL(location, at).href;
    }
    return false;
  }, { timeoutMs: 60_000, intervalMs: 500 });
}

/**
 * Deletes a workspace, stopping it first when removal of a running one is refused; retries
 * (e.g. while the binary is being rebuilt) until `workspace ls` no longer lists it.
 */
async function removeWorkspace(name) {
  await waitFor(`workspace ${name} to be removed`, async () => {
    const listed = await rockpool(['workspace', 'ls'], { timeoutMs: 30_000 });
    if (listed.code === 0 && !listed.stdout.split(/\s+/).includes(name)) return true;
    const removed = await rockpool(['workspace', 'rm', name], { timeoutMs: 120_000 });
    if (removed.code === 0) return true;
    console.log(`# rockpool workspace rm ${name}: exit ${removed.code}: ${removed.stdout}${removed.stderr}`);
    await rockpool(['workspace', 'stop', name], { timeoutMs: 120_000 });
    return false;
  }, { timeoutMs: 150_000, intervalMs: 2_000 });
}
