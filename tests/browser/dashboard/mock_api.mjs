// A stand-in for `rockpool serve` behind Caddy, for the dashboard's browser tests and benchmark:
// serves web/dist at /app (with the SPA fallback Caddy provides) and an in-memory /api that
// follows api/openapi.yaml, including asynchronous status changes.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const NAME = /^[a-z0-9]([a-z0-9-]{1,61}[a-z0-9])$/;
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

class HttpError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function startMockServer({ distDir, transitionMs = 500, seed = 0 } = {}) {
  const workspaces = new Map(); // id -> workspace, in creation order
  const ports = new Map(); // id -> Port[]
  const timers = new Set();
  const requests = [];

  const later = (fn) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, transitionMs);
    timers.add(t);
  };
  const now = () => new Date().toISOString();
  const setStatus = (w, status) => Object.assign(w, { status, updatedAt: now() });
  const find = (ref) => {
    const w = workspaces.get(ref) ?? [...workspaces.values()].find((x) => x.name === ref);
    if (!w) throw new HttpError(404, 'not_found', `workspace ${ref} not found`);
    return w;
  };
  const conflict = (w, op) =>
    new HttpError(409, 'conflict', `cannot ${op} workspace ${w.name}: it is ${w.status}`);

  let lastCreated = 0;
  const defaultLimits = { cpus: 1, memoryMib: 2048, processes: 1024, diskGib: 10 };
  function create({ name, image = 'rockpool-workspace', status = 'creating', at, limits } = {}) {
    // Strictly increasing creation times keep the (createdAt, id) cursor order = list order.
    lastCreated = Math.max(lastCreated + 1, at ? Date.parse(at) : Date.now());
    const t = new Date(lastCreated).toISOString();
    const w = {
      id: randomUUID(), name, status, image, statusReason: null, createdAt: t, updatedAt: t,
      limits: { ...defaultLimits, ...limits },
    };
    workspaces.set(w.id, w);
    ports.set(w.id, []);
    if (status === 'creating') later(() => workspaces.has(w.id) && setStatus(w, 'running'));
    return w;
  }

  for (let i = 0; i < seed; i++) {
    create({ name: `seed-${String(i).padStart(3, '0')}`, status: i % 7 === 3 ? 'stopped' : 'running', at: new Date(Date.now() - (seed - i) * 60000).toISOString() });
  }

  const routes = [
    ['GET', /^\/api\/health$/, () => [200, { status: 'ok' }]],
    ['GET', /^\/api\/workspaces$/, (_, q) => [200, list(q)]],
    ['POST', /^\/api\/workspaces$/, (_, __, body) => [202, createChecked(body)]],
    ['GET', /^\/api\/workspaces\/([^/]+)$/, ([id]) => [200, find(id)]],
    ['DELETE', /^\/api\/workspaces\/([^/]+)$/, ([id]) => [202, remove(find(id))]],
    ['POST', /^\/api\/workspaces\/([^/]+)\/start$/, ([id]) => [202, transition(find(id), 'start')]],
    ['POST', /^\/api\/workspaces\/([^/]+)\/stop$/, ([id]) => [202, transition(find(id), 'stop')]],
    ['GET', /^\/api\/workspaces\/([^/]+)\/ports$/, ([id]) => [200, { items: ports.get(find(id).id) }]],
    ['POST', /^\/api\/workspaces\/([^/]+)\/ports$/, ([id], _, body) => [201, addPort(find(id), body)]],
    ['DELETE', /^\/api\/workspaces\/([^/]+)\/ports\/(\d+)$/, ([id, p]) => [204, removePort(find(id), Number(p))]],
  ];

  function list(q) {
    const limit = q.has('limit') ? Number(q.get('limit')) : 25;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new HttpError(400, 'invalid_argument', 'limit must be an integer between 1 and 100');
    }
    const all = [...workspaces.values()];
    let start = 0;
    if (q.has('cursor')) {
      let after;
      try {
        after = JSON.parse(Buffer.from(q.get('cursor'), 'base64url').toString()).after;
      } catch {
        throw new HttpError(400, 'invalid_argument', 'cursor is not one this server issued');
      }
      start = all.findIndex((w) => w.createdAt > after.createdAt || (w.createdAt === after.createdAt && w.id > after.id));
      if (start < 0) start = all.length;
    }
    const items = all.slice(start, start + limit);
    const last = items[items.length - 1];
    const more = start + limit < all.length;
    const nextCursor = more && last
      ? Buffer.from(JSON.stringify({ after: { createdAt: last.createdAt, id: last.id } })).toString('base64url')
      : null;
    return { items, nextCursor };
  }

  function createChecked(body) {
    if (!body || typeof body.name !== 'string' || !NAME.test(body.name)) {
      throw new HttpError(400, 'invalid_argument', 'name must be 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit');
    }
    if ([...workspaces.values()].some((w) => w.name === body.name)) {
      throw new HttpError(409, 'already_exists', `workspace ${body.name} already exists`);
    }
    return create({ name: body.name, image: body.image, limits: body.limits });
  }

  function transition(w, op) {
    const [from, via, to] = op === 'start' ? [['stopped', 'error'], 'starting', 'running'] : [['running', 'error'], 'stopping', 'stopped'];
    if (!from.includes(w.status)) throw conflict(w, op);
    setStatus(w, via);
    if (op === 'stop') ports.set(w.id, []);
    later(() => workspaces.has(w.id) && setStatus(w, to));
    return w;
  }

  function remove(w) {
    if (!['stopped', 'error'].includes(w.status)) throw conflict(w, 'delete');
    const snapshot = { ...w };
    later(() => {
      workspaces.delete(w.id);
      ports.delete(w.id);
    });
    return snapshot;
  }

  function addPort(w, body) {
    const port = body?.port;
    if (!Number.isInteger(port) || port < 1024 || port > 65535) {
      throw new HttpError(400, 'invalid_argument', 'port must be an integer between 1024 and 65535');
    }
    if (w.status !== 'running') throw conflict(w, 'add a port to');
    const list = ports.get(w.id);
    if (list.some((p) => p.port === port)) throw new HttpError(409, 'already_exists', `port ${port} is already forwarded`);
    if (list.length >= 5) throw new HttpError(409, 'too_large', `workspace ${w.name} already forwards 5 ports`);
    const p = { workspaceId: w.id, port, label: body.label ?? null, createdAt: now() };
    list.push(p);
    list.sort((a, b) => a.port - b.port);
    return p;
  }

  function removePort(w, port) {
    const list = ports.get(w.id);
    if (!list.some((p) => p.port === port)) throw new HttpError(404, 'not_found', `port ${port} of ${w.name} not found`);
    ports.set(w.id, list.filter((p) => p.port !== port));
    return undefined;
  }

  async function serveApi(req, res, url) {
    const body = await readBody(req);
    for (const [method, re, handler] of routes) {
      const m = url.pathname.match(re);
      if (!m || req.method !== method) continue;
      const [status, json] = handler(m.slice(1).map(decodeURIComponent), url.searchParams, body);
      return send(res, status, json);
    }
    throw new HttpError(404, 'not_found', `no route for ${req.method} ${url.pathname}`);
  }

  async function serveApp(res, url) {
    let rel = url.pathname.replace(/^\/app\/?/, '');
    if (!rel.startsWith('assets/')) rel = 'index.html'; // SPA fallback, as Caddy's try_files
    const file = normalize(join(distDir, rel));
    if (!file.startsWith(normalize(distDir))) throw new HttpError(404, 'not_found', 'outside dist');
    try {
      const data = await readFile(file);
      const cache = rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': cache });
      res.end(data);
    } catch {
      throw new HttpError(404, 'not_found', `no file ${rel}`);
    }
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://mock');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    try {
      if (url.pathname.startsWith('/api/')) await serveApi(req, res, url);
      else if (url.pathname === '/' ) res.writeHead(302, { Location: '/app/workspaces' }).end();
      else if (url.pathname === '/app' || url.pathname.startsWith('/app/')) await serveApp(res, url);
      else throw new HttpError(404, 'not_found', `no route for ${url.pathname}`);
    } catch (err) {
      if (err instanceof HttpError) send(res, err.status, { error: { code: err.code, message: err.message } });
      else send(res, 500, { error: { code: 'internal', message: String(err) } });
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    workspaces,
    async close() {
      timers.forEach(clearTimeout);
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function send(res, status, json) {
  if (status === 204 || json === undefined) return res.writeHead(status).end();
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(json));
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString());
  } catch {
    throw new HttpError(400, 'invalid_argument', 'body is not valid JSON');
  }
}
