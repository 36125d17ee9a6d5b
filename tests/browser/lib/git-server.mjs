// A read-only git repository served over HTTP with git's "dumb" protocol: static files
// prepared by `git update-server-info`, served by a tiny node HTTP server.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, normalize, sep } from 'node:path';
import { runOk } from './host.mjs';

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

/** Serves files under `root` read-only on host:0; resolves { url, close }. */
export function serveStatic(root, host) {
  const server = createServer(async (req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    const inside = path === root || path.startsWith(root + sep);
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405);
    if (!inside) return answer(res, 403);
    try {
      const info = await stat(path);
      if (!info.isFile()) return answer(res, 404);
      res.writeHead(200, { 'Content-Length': info.size, 'Content-Type': 'application/octet-stream' });
      if (req.method === 'HEAD') return res.end();
      createReadStream(path).pipe(res);
    } catch {
      answer(res, 404);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      resolve({
        url: `http://${host}:${port}`,
        close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()); }),
      });
    });
  });
}

function answer(res, status) {
  res.writeHead(status);
  res.end();
}

/** Builds the repository and serves it; resolves { cloneUrl, close } (close also deletes it). */
export async function startGitServer(host, fileName, content) {
  const { root } = await makeBareRepo(fileName, content);
  const server = await serveStatic(root, host);
  return {
    cloneUrl: `${server.url}/repo.git`,
    close: async () => {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
