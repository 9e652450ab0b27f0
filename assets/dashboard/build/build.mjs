// Builds the vendored libraries of the dashboard page from the npm packages of package-lock.json:
//
//   cd assets/dashboard/build && npm ci && node build.mjs
//
// writes ../vendor.js (Chart.js and the graphql-ws client, one minified ES module) and the licences
// of everything bundled to ../LICENSES.txt. The output is committed; the ketnap build never runs this.

import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, '..');

const result = await build({
  entryPoints: { vendor: resolve(here, 'vendor.js') },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'info',
  metafile: true,
});

const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) continue;
  const rest = input.slice(at + 'node_modules/'.length).split('/');
  const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  if (packages.has(name)) continue;
  const root = resolve(here, input.slice(0, at), 'node_modules', name);
  const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
  let text = '';
  for (const file of ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license', 'LICENCE']) {
    try {
      text = readFileSync(resolve(root, file), 'utf8');
      break;
    } catch {
      // try the next name
    }
  }
  packages.set(name, { version: manifest.version, license: manifest.license ?? '(see text)', text });
}
const sorted = [...packages.entries()].sort(([a], [b]) => a.localeCompare(b));
writeFileSync(
  resolve(out, 'LICENSES.txt'),
  sorted
    .map(([name, p]) => `${name}@${p.version} — ${p.license}\n\n${p.text.trim() || '(no licence file in the package)'}\n`)
    .join('\n' + '-'.repeat(78) + '\n\n'),
);
console.log(sorted.map(([name, p]) => `${name}@${p.version} ${p.license}`).join('\n'));
