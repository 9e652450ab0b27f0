// What the asset builds share (graphiql/build/build.mjs, dashboard/build/build.mjs): the name,
// version, licence and licence text of every npm package whose code esbuild put into a bundle.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The licences of the packages among `inputs` (the keys of esbuild metafiles' `inputs`, relative
 * to `buildDir`): `{ text }` for LICENSES.txt and `{ summary }`, one `name@version licence` a line.
 */
export function licences(buildDir, inputs) {
  const packages = new Map();
  for (const input of inputs) {
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const rest = input.slice(at + 'node_modules/'.length).split('/');
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    if (packages.has(name)) continue;
    const root = resolve(buildDir, input.slice(0, at), 'node_modules', name);
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
  return {
    text: sorted
      .map(([name, p]) => `${name}@${p.version} — ${p.license}\n\n${p.text.trim() || '(no licence file in the package)'}\n`)
      .join('\n' + '-'.repeat(78) + '\n\n'),
    summary: sorted.map(([name, p]) => `${name}@${p.version} ${p.license}`).join('\n'),
  };
}
