// Production build: bundles src/main.tsx and its CSS with esbuild into dist/assets with hashed
// names, copies the fonts it references, and writes dist/index.html pointing at /app/assets/.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function gitRevision() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

const version = process.env.ROCKPOOL_VERSION ?? `${pkg.version}+${gitRevision()}`;
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'assets'), { recursive: true });

const result = await build({
  entryPoints: { main: join(root, 'src/main.tsx') },
  outdir: join(dist, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  publicPath: '/app/assets/',
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'esm',
  target: ['chrome109', 'firefox115', 'safari15.4'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  loader: { '.woff2': 'file', '.woff': 'file' },
  define: { __BUILD_VERSION__: JSON.stringify(version) },
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const js = outputs.find((f) => /^main-.*\.js$/.test(f));
const css = outputs.find((f) => /^main-.*\.css$/.test(f));
if (!js || !css) throw new Error(`build: expected main-<hash>.js and .css, got ${outputs.join(', ')}`);
const preload = outputs.filter((f) => /^source-sans-3-latin-(400|600)-normal-.*\.woff2$/.test(f));

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="rockpool-version" content="${version}">
<title>Rockpool</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='7' fill='%23137CBD'/%3E%3C/svg%3E">
${preload.map((f) => `<link rel="preload" href="/app/assets/${f}" as="font" type="font/woff2" crossorigin>`).join('\n')}
<link rel="stylesheet" href="/app/assets/${css}">
<script type="module" src="/app/assets/${js}"></script>
</head>
<body>
<div id="app"></div>
<noscript>The Rockpool dashboard needs JavaScript.</noscript>
</body>
</html>
`;
writeFileSync(join(dist, 'index.html'), html);
console.log(`dashboard ${version}: dist/index.html, assets/${js}, assets/${css}, ${outputs.length - 2} font files`);
