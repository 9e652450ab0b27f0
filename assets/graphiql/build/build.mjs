// Builds the vendored GraphiQL IDE from the npm packages of package-lock.json:
//
//   cd assets/graphiql/build && npm ci && node build.mjs
//
// writes ../ide.js, ../ide.css (fonts inlined) and the Monaco web workers ../*.worker.js, all
// minified, with the licences of everything bundled in ../LICENSES.txt. The output is committed;
// the ketnap build never runs this.

import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { licences } from '../../licences.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, '..');
const require = createRequire(import.meta.url);

const common = {
  bundle: true,
  minify: true,
  legalComments: 'none',
  target: ['es2022'],
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'info',
};

const result = await build({
  ...common,
  entryPoints: { ide: resolve(here, 'ide.js') },
  outdir: out,
  format: 'esm',
  // The icon font (codicon) and any other file the CSS names are inlined: one request fewer, and
  // nothing served that the binary does not embed.
  loader: { '.ttf': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
  metafile: true,
});

const workers = {
  'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
  'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
  'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
};
const workerResult = await build({
  ...common,
  entryPoints: Object.fromEntries(Object.entries(workers).map(([name, path]) => [name, require.resolve(path)])),
  outdir: out,
  format: 'iife',
  metafile: true,
});

// The licence of every package whose code is in a bundle.
const { text, summary } = licences(here, [...Object.keys(result.metafile.inputs), ...Object.keys(workerResult.metafile.inputs)]);
writeFileSync(resolve(out, 'LICENSES.txt'), text);
console.log(summary);
