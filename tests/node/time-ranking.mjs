// A quick timing of a ranking-sized response: examples/district_ranking.graphql for Quảng Nam on
// the demo, sent one after another to `ketnap --demo` (each binary given on the command line, in
// turn, on a fresh demo database), after a warm-up. Prints the median and 95th percentile of the
// round trip and the response size. Used for the cost of response completion in BENCHMARKS.md:
//
//   node time-ranking.mjs [REQUESTS] BINARY...
//   QUERY=introspection node time-ranking.mjs [REQUESTS] BINARY...   (a 177 kB response instead)
//
// Loopback only; bounded by REQUESTS (default 400) per binary. The demo's anonymous caller may send
// 600 requests a minute: keep REQUESTS + the 50 of the warm-up under that.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort, waitFor } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ranking = readFileSync(resolve(here, '../../examples/district_ranking.graphql'), 'utf8');
// A large response (about 177 kB: every type, field, argument and description of the schema).
const introspection = `{ __schema { types { name kind description fields(includeDeprecated: true) {
  name description args { name description type { name kind ofType { name kind ofType { name kind } } } }
  type { name kind ofType { name kind ofType { name kind ofType { name kind } } } } } } } }`;
const query = process.env.QUERY === 'introspection' ? introspection : ranking;
const args = process.argv.slice(2);
const requests = /^\d+$/.test(args[0] ?? '') ? Number(args.shift()) : 400;

async function time(binary) {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'ketnap-time-'));
  const server = spawn(binary, ['--demo', '--listen', `127.0.0.1:${port}`], { cwd: directory, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/healthz`, 60);
    const body = JSON.stringify({ query, variables: { code: 'QNM', year: new Date().getFullYear() - 1 } });
    const send = async () => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const text = await response.text();
      if (!response.ok || text.includes('"errors"')) throw new Error(`an error came back: ${text.slice(0, 200)}`);
      return text.length;
    };
    for (let i = 0; i < 50; i += 1) await send();
    const times = [];
    let size = 0;
    for (let i = 0; i < requests; i += 1) {
      const start = process.hrtime.bigint();
      size = await send();
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    const at = (share) => times[Math.min(times.length - 1, Math.floor(share * times.length))].toFixed(2);
    console.log(`${binary}: ${requests} requests, ${size} bytes each, median ${at(0.5)} ms, p95 ${at(0.95)} ms`);
  } finally {
    server.kill('SIGTERM');
    rmSync(directory, { recursive: true, force: true });
  }
}

for (const binary of args) {
  await time(binary);
}
