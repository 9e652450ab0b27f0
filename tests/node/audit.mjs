// The GraphQL-over-HTTP audit of the `graphql-http` package (its `auditServer`), run against a
// real ketnap server. Prints every result and exits non-zero on any MUST failure (`error`) or
// SHOULD warning (`warn`); MAY notices are printed and tolerated.
//
//   node audit.mjs                      starts `ketnap --demo` on a free loopback port, in a
//                                       temporary directory, and stops it at the end
//   node audit.mjs http://host:port/graphql   audits a server that is already running
//
// The binary is $KETNAP_BIN, by default ../../target/debug/ketnap (what `cargo build` makes).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { auditServer } from 'graphql-http';

import { freePort, waitFor } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Starts `ketnap --demo` on a free port; returns its GraphQL URL and a function that stops it. */
async function startDemo() {
  const binary = process.env.KETNAP_BIN ?? resolve(here, '../../target/debug/ketnap');
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'ketnap-audit-'));
  const server = spawn(binary, ['--demo', '--listen', `127.0.0.1:${port}`], {
    cwd: directory,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  const exited = new Promise((_, reject) =>
    server.on('exit', (code) => reject(new Error(`ketnap exited early with code ${code}`))),
  );
  const base = `http://127.0.0.1:${port}`;
  await Promise.race([waitFor(`${base}/healthz`, 120), exited]);
  const stop = () => {
    server.removeAllListeners('exit');
    server.kill('SIGTERM');
    rmSync(directory, { recursive: true, force: true });
  };
  return { url: `${base}/graphql`, stop };
}

const given = process.argv[2];
const { url, stop } = given ? { url: given, stop: () => {} } : await startDemo();

let results;
try {
  results = await auditServer({ url });
} finally {
  stop();
}

const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] += 1;
  const mark = { ok: 'ok    ', notice: 'notice', warn: 'WARN  ', error: 'ERROR ' }[result.status];
  console.log(`${mark} ${result.id} ${result.name}`);
  if (result.status !== 'ok') {
    console.log(`         ${result.reason}`);
  }
}
console.log(
  `graphql-http audit of ${url}: ${counts.ok} ok, ${counts.error} MUST failures, ` +
    `${counts.warn} SHOULD warnings, ${counts.notice} MAY notices`,
);
console.log(`${counts.ok + counts.notice} passed, ${counts.error + counts.warn} failed`);
process.exit(counts.error + counts.warn === 0 ? 0 : 1);
