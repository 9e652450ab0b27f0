// Builds the vendored libraries of the dashboard page from the npm packages of package-lock.json:
//
//   cd assets/dashboard/build && npm ci && node build.mjs
//
// writes ../vendor.js (Chart.js and the graphql-ws client, one minified ES module) and the licences
// of everything bundled to ../LICENSES.txt. The output is committed; the ketnap build never runs this.

import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { licences } from '../../licences.mjs';

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

// The licence of every package whose code is in a bundle.
const { text, summary } = licences(here, Object.keys(result.metafile.inputs));
writeFileSync(resolve(out, 'LICENSES.txt'), text);
console.log(summary);
