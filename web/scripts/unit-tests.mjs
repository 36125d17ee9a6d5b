// Bundles each src/**/*.test.ts with esbuild and runs them with node's built-in test runner,
// so the unit tests need nothing beyond Node 18 and the build's own tools.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, '.test-build');

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return findTests(p);
    return e.name.endsWith('.test.ts') || e.name.endsWith('.test.tsx') ? [p] : [];
  });
}

const entryPoints = findTests(join(root, 'src'));
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints,
  outdir,
  outbase: join(root, 'src'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node18',
  outExtension: { '.js': '.mjs' },
  jsx: 'automatic',
  jsxImportSource: 'preact',
  logLevel: 'warning',
});
const files = entryPoints.map((p) =>
  join(outdir, relative(join(root, 'src'), p)).replace(/\.tsx?$/, '.mjs'),
);
const run = spawnSync(process.execPath, ['--test', ...files], { stdio: 'inherit' });
process.exit(run.status ?? 1);
