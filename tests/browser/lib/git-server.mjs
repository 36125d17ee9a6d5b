// A read-only git repository served over HTTP with git's "dumb" protocol: static files
// prepared by `git update-server-info`, served by Python's static HTTP server.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOk } from './host.mjs';
import { waitFor } from './poll.mjs';

async function git(cwd, ...args) {
  return runOk('git', ['-C', cwd, ...args]);
}

/**
 * Creates `<tmp>/repo.git`, a bare repository with one commit adding `fileName` with
 * `content`. Returns { root, repoPath }.
 */
export async function makeBareRepo(fileName, content) {
  const root = await mkdtemp(join(tmpdir(), 'rockpool-git-'));
  const work = join(root, 'work');
  const bare = join(root, 'repo.git');
  await runOk('git', ['init', '-q', '-b', 'main', work]);
  await writeFile(join(work, fileName), content);
  await git(work, 'add', fileName);
  await git(work, '-c', 'user.name=Rockpool Test', '-c', 'user.email=test@rockpool.invalid',
    'commit', '-q', '-m', 'Initial commit');
  await runOk('git', ['clone', '-q', '--bare', work, bare]);
  await git(bare, 'update-server-info');
  return { root, repoPath: bare };
}

// Workspaces reach no service on the host (the host firewall), so the server runs in a network
// namespace of its own, on a TEST-NET address the host routes to, as a server on the internet.
const NS_HOST_ADDRESS = '198.51.100.9';
const NS_ADDRESS = '198.51.100.10';
const PORT = 8000;

async function ignoreFailure(file, args) {
  try {
    await runOk(file, args);
  } catch {
    // already gone
  }
}

/** Serves files under `root` read-only from a network namespace; resolves { url, close }. */
export async function serveInNamespace(root) {
  const id = String(process.pid % 100000);
  const ns = `rpgit${id}`;
  const hostSide = `rpgh${id}`;
  const nsSide = `rpgn${id}`;
  const inNs = (...args) => runOk('ip', ['netns', 'exec', ns, ...args]);
  await ignoreFailure('ip', ['netns', 'del', ns]);
  await ignoreFailure('ip', ['link', 'del', hostSide]);
  await runOk('ip', ['netns', 'add', ns]);
  await runOk('ip', ['link', 'add', hostSide, 'type', 'veth', 'peer', 'name', nsSide]);
  await runOk('ip', ['link', 'set', nsSide, 'netns', ns]);
  await runOk('ip', ['addr', 'add', `${NS_HOST_ADDRESS}/30`, 'dev', hostSide]);
  await runOk('ip', ['link', 'set', hostSide, 'up']);
  await inNs('ip', 'addr', 'add', `${NS_ADDRESS}/30`, 'dev', nsSide);
  await inNs('ip', 'link', 'set', nsSide, 'up');
  await inNs('ip', 'link', 'set', 'lo', 'up');
  await inNs('ip', 'route', 'add', 'default', 'via', NS_HOST_ADDRESS);
  const server = spawn('ip', ['netns', 'exec', ns, 'python3', '-m', 'http.server', '--bind',
    NS_ADDRESS, String(PORT), '--directory', root], { stdio: 'ignore' });
  const url = `http://${NS_ADDRESS}:${PORT}`;
  const close = async () => {
    server.kill();
    await ignoreFailure('ip', ['netns', 'del', ns]);  // takes the veth pair with it
  };
  try {
    await waitFor(`the git server in ${ns}`, async () => (await fetch(`${url}/`)).ok,
      { timeoutMs: 15_000 });
  } catch (err) {
    await close();
    throw err;
  }
  return { url, close };
}

/** Builds the repository and serves it; resolves { cloneUrl, close } (close also deletes it). */
export async function startGitServer(fileName, content) {
  const { root } = await makeBareRepo(fileName, content);
  const server = await serveInNamespace(root);
  return {
    cloneUrl: `${server.url}/repo.git`,
    close: async () => {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
