// Watches the deployment people use while the test suite runs, to prove the suite leaves it
// alone. Started by scripts/test.sh before the suite, against the deployment brought up by
// the README's first command (workspace "test" behind the deployment's Caddy):
//   1. opens workspace test's IDE in Chromium with a terminal, and records the terminal's
//      WebSockets, the workspace's record, its instance's identity, a digest of its files and
//      of the deployment's credentials file; holds one HTTP connection to the deployment's
//      Caddy open, with a request every 30 s (Caddy closes it if it stops or reloads);
//   2. writes <dir>/ready and waits for <dir>/check (the suite has ended);
//   3. checks that no WebSocket of the page closed, the terminal still runs commands, Caddy's
//      connection stayed the same one, the credentials are unchanged (and still sign in, as
//      does the browser's session), and workspace test, its instance and its files are
//      unchanged. Prints each finding; exits 1 if any fails.
// With the deployment's password (ROCKPOOL_USERNAME / ROCKPOOL_PASSWORD), the browser signs in
// at the deployment's dashboard (a session cookie for the host, which the suite must not end)
// and the IDE is opened where people open it, through the deployment's Caddy. Without it,
// through a loopback relay to the IDE's socket (root's alone, as the suite is): the
// workspace's side is watched the same, Caddy's through the held connection.
// Usage: node deployment_sentinel.mjs <dir>, with ROCKPOOL_DEPLOYMENT_PROJECT / _CONTROL_PORT /
// _WORKSPACE_PORT / _AUTH / _SOCKETS / _LOCAL_API set to the deployment's LXD project, ports,
// credentials file, socket folder and root-only API socket (scripts/test.sh takes them from
// `rockpool paths`), and `lxc` acting in that project.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { openBrowser, screenshot, watchWebSockets, envCredentials } from '../browser/lib/browser.mjs';
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
const AUTH_FILE = required('ROCKPOOL_DEPLOYMENT_AUTH');
const SOCKETS = required('ROCKPOOL_DEPLOYMENT_SOCKETS');
const LOCAL_API = required('ROCKPOOL_DEPLOYMENT_LOCAL_API');
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
// Longer than the whole suite takes on a slow 2-core host (about 110 min has been seen), so a
// slow run still gets the sentinel's findings; it only ends a sentinel whose suite was killed.
const WAIT_LIMIT_MS = 180 * 60 * 1000;

function lxc(args) { return run('lxc', [...args, '--project', PROJECT]); }

/** GET `path` from the control plane's root-only socket; resolves {status, body}. */
function localApi(path) {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath: LOCAL_API, path, headers: { 'x-rockpool-request': 'sentinel' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`${LOCAL_API} ${path}: no answer in 30 s`)));
    req.on('error', reject);
  });
}

/** Whether the deployment's credentials sign in: GET /api/workspaces/test through its Caddy. */
async function signInStatus() {
  const creds = envCredentials();
  const auth = 'Basic ' + Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
  const res = await fetch(`${CONTROL}/api/workspaces/test`, { headers: { authorization: auth, 'x-rockpool-request': 'sentinel' } });
  return res.status;
}

/** What must not change: the workspace's record, its instance, its files and the credentials. */
async function snapshot() {
  const api = await localApi('/api/workspaces/test');
  const record = api.status === 200 ? JSON.parse(api.body) : null;
  const info = await lxc(['config', 'get', INSTANCE, 'volatile.uuid']);
  const digest = await execIn(INSTANCE,
    `cd ${FILES} && find . -type f ! -path './.git/*' -print0 | sort -z | xargs -0 -r sha256sum | sha256sum`);
  return {
    apiStatus: api.status,
    id: record?.id, status: record?.status, createdAt: record?.createdAt,
    instance: info.stdout.trim(),
    files: digest.stdout.trim(),
    credentials: createHash('sha256').update(readFileSync(AUTH_FILE)).digest('hex'),
  };
}

/**
 * A loopback HTTP server passing every request and WebSocket upgrade to the unix socket at
 * `socketPath` unchanged; resolves the listening server.
 */
function relayTo(socketPath) {
  const server = http.createServer((req, res) => {
    const upstream = http.request({ socketPath, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(err.message);
    });
    req.pipe(upstream);
  });
  server.on('upgrade', (req, client, head) => {
    const upstream = net.connect(socketPath, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const end = () => { upstream.destroy(); client.destroy(); };
    upstream.on('error', end);
    client.on('error', end);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * One keep-alive HTTP connection to the deployment's Caddy, sent a request every 30 s (less
 * than Caddy's idle timeout). Caddy closes its connections when it stops and when it loads a
 * new configuration, so the connection staying the same one shows it did neither.
 * Resolves { check() -> {ok, text}, stop() }.
 */
async function holdCaddyConnection(url) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let socket = null;
  let closed = false;
  let requests = 0;
  let failure = '';
  const once = () => new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => { requests++; resolve(); });
    });
    req.on('socket', (s) => {
      if (socket === null) {
        socket = s;
        s.on('close', () => { closed = true; });
      } else if (s !== socket) {
        failure ||= `request ${requests + 1} needed a new connection`;
      }
    });
    req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', (err) => { failure ||= `request ${requests + 1}: ${err.message}`; resolve(); });
  });
  await once();
  if (failure) throw new Error(`the deployment's Caddy does not answer on ${url}: ${failure}`);
  const timer = setInterval(() => { if (!closed) once(); }, 30_000);
  return {
    async check() {
      if (!closed) await once();
      const ok = !closed && !failure;
      return { ok, text: `the deployment's Caddy kept one connection open through the suite (${requests} requests${ok ? '' : `; ${failure || 'it closed the connection'}`})` };
    },
    stop() { clearInterval(timer); agent.destroy(); },
  };
}

function sameRecord(a, b) {
  return ['apiStatus', 'id', 'status', 'createdAt', 'instance', 'files'].filter((k) => a[k] !== b[k]);
}

async function main() {
  const credentials = envCredentials();
  const signIn = Boolean(credentials);
  const caddy = await holdCaddyConnection(`${WORKSPACES}/`);
  const relay = signIn ? null : await relayTo(`${SOCKETS}/test.sock`);
  const ideUrl = signIn ? `${WORKSPACES}/workspace/test/` : `http://127.0.0.1:${relay.address().port}/`;
  // Signed in at the deployment's own dashboard, never at the private Rockpool of the suite.
  const { browser, context, page } = await openBrowser({ appOrigin: CONTROL, credentials: credentials ?? null });
  try {
    answerDialogsAutomatically(page);
    const sockets = watchWebSockets(page);
    INSTANCE = await instanceOf('test');
    const before = await snapshot();
    if (before.apiStatus !== 200 || before.status !== 'running') {
      throw new Error(`the deployment's workspace test is not running: ${JSON.stringify(before)}`);
    }
    await openWorkbench(page, ideUrl);
    const shells = async () => (await execIn(INSTANCE, 'pgrep -u admin -x bash || true')).stdout.split(/\s+/).filter(Boolean);
    await openTerminal(page, shells);
    const marker = `/tmp/sentinel-${randomBytes(4).toString('hex')}`;
    const wrote = (path) => async () => (await execIn(INSTANCE, `cat ${path} 2>/dev/null || true`)).stdout.trim() === 'ok';
    await runInTerminal(page, `echo ok > ${marker}-before`, wrote(`${marker}-before`));
    const openedAt = Date.now();
    const terminalSockets = sockets.open().length;
    console.log(`# sentinel: IDE open with a terminal at ${ideUrl} (${terminalSockets} WebSockets open); waiting for the suite`);
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
    const held = await caddy.check();
    findings.push([held.ok, held.text]);
    const after = await snapshot();
    findings.push([after.credentials === before.credentials, `the deployment's credentials file is unchanged (${AUTH_FILE})`]);
    if (signIn) {
      const status = await signInStatus();
      findings.push([status === 200, `the deployment's credentials still sign in (GET /api/workspaces/test: ${status})`]);
      const session = await context.request.get(`${CONTROL}/api/me`, { headers: { 'x-rockpool-request': 'sentinel' } });
      findings.push([session.status() === 200, `the browser's session still signs in (GET /api/me: ${session.status()})`]);
    }
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
    caddy.stop();
    relay?.close();
  }
}

main().then((ok) => process.exit(ok ? 0 : 1), (err) => {
  console.error(`sentinel: ${err.stack || err.message}`);
  if (dir) writeFileSync(`${dir}/failed`, `${err.message}\n`);
  process.exit(1);
});
