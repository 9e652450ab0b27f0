// A browser check of the IDE: headless Chromium opens the IDE of a ketnap server that requires a
// token, pastes a token into the Headers tab, and checks
//  - that the schema is fetched again with the token (the Docs panel can be opened on it), and
//  - that the page requested nothing but the server's own URLs (no CDN, no fonts).
//
//   node --experimental-websocket ide-check.mjs
//       starts `ketnap` (not the demo: a token is required) on a fresh SQLite file in a temporary
//       directory, with a generated secret, issues a token with `ketnap token`, and stops it at the end
//   KETNAP_URL=http://127.0.0.1:8000/graphql KETNAP_TOKEN=… node --experimental-websocket ide-check.mjs
//       checks a server that is already running
//
// Needs `chromium` on PATH (.ci/run installs Debian's). Loopback only; it stops by itself after at
// most two minutes. The binary is $KETNAP_BIN, by default ../../target/debug/ketnap.

import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort, waitFor } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const sleep = (ms) => new Promise((wake) => setTimeout(wake, ms));

/** Starts `ketnap` requiring tokens; returns its URL, a token and a function that stops it. */
async function startServer() {
  const binary = process.env.KETNAP_BIN ?? resolve(here, '../../target/debug/ketnap');
  const directory = mkdtempSync(join(tmpdir(), 'ketnap-ide-server-'));
  const port = await freePort();
  const env = {
    ...process.env,
    RUST_LOG: 'warn',
    KETNAP_JWT_SECRET: randomBytes(32).toString('hex'),
    KETNAP_DATABASE_URL: `sqlite://${join(directory, 'ide.db')}?mode=rwc`,
  };
  const server = spawn(binary, ['--listen', `127.0.0.1:${port}`], { cwd: directory, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/healthz`, 120);
  const token = execFileSync(binary, ['token', '--subject', 'ide-check', '--role', 'viewer', '--unit', '*', '--ttl', '1h'], {
    cwd: directory,
    env,
    encoding: 'utf8',
  }).trim();
  const stop = () => {
    server.kill('SIGTERM');
    rmSync(directory, { recursive: true, force: true });
  };
  return { url: `${base}/graphql`, token, stop };
}

const given = process.env.KETNAP_URL && process.env.KETNAP_TOKEN;
const { url, token, stop } = given
  ? { url: process.env.KETNAP_URL, token: process.env.KETNAP_TOKEN, stop: () => {} }
  : await startServer();
const origin = new URL(url).origin;
const profile = mkdtempSync(join(tmpdir(), 'ketnap-ide-'));
const port = 9300 + Math.floor(Math.random() * 500);
const browser = spawn(
  'chromium',
  ['--headless', '--no-sandbox', '--disable-gpu', `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`,
   '--window-size=1400,900', 'about:blank'],
  { stdio: 'ignore' },
);
const deadline = setTimeout(() => {
  console.error('timed out');
  browser.kill();
  process.exit(1);
}, 120000);

try {
  let target;
  for (let i = 0; i < 100 && !target; i += 1) {
    try {
      const list = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
      target = list.find((t) => t.type === 'page');
    } catch {
      await sleep(200);
    }
  }
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((ready) => socket.addEventListener('open', ready));
  let id = 0;
  const pending = new Map();
  const requests = [];
  const introspections = [];
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    if (message.id && pending.has(message.id)) {
      pending.get(message.id)(message.result);
      pending.delete(message.id);
    } else if (message.method === 'Network.requestWillBeSent') {
      const request = message.params.request;
      requests.push(request.url);
      if ((request.postData ?? '').includes('IntrospectionQuery')) introspections.push(request.headers);
    }
  });
  const send = (method, params = {}) =>
    new Promise((done) => {
      id += 1;
      pending.set(id, done);
      socket.send(JSON.stringify({ id, method, params }));
    });
  const evaluate = async (expression) => (await send('Runtime.evaluate', { expression, returnByValue: true })).result.value;

  await send('Network.enable');
  await send('Page.enable');
  await send('Page.navigate', { url });
  await sleep(5000);
  const before = introspections.length;
  // Focus the headers editor (the Monaco editor under the "Headers" tab) and type the token.
  const focused = await evaluate(`(() => {
    const editors = [...document.querySelectorAll('.graphiql-editor-tool .monaco-editor textarea')];
    const headers = editors[editors.length - 1];
    if (!headers) return false;
    headers.focus();
    return true;
  })()`);
  if (!focused) throw new Error('no headers editor found');
  await send('Input.insertText', { text: `{"Authorization": "Bearer ${token}"}` });
  await sleep(3000);
  const after = introspections.slice(before);
  const withToken = after.some((headers) => (headers.Authorization ?? headers.authorization) === `Bearer ${token}`);
  const screenshot = await send('Page.captureScreenshot', { format: 'png' });
  writeFileSync(join(tmpdir(), 'ketnap-ide.png'), Buffer.from(screenshot.data, 'base64'));
  const foreign = requests.filter((r) => !r.startsWith(origin) && !r.startsWith('data:') && !r.startsWith('blob:'));
  console.log(`requests: ${requests.length}, to other hosts: ${foreign.length} ${foreign.join(' ')}`);
  console.log(`introspections before the token: ${before}, after: ${after.length}, with the token: ${withToken}`);
  console.log(`screenshot: ${join(tmpdir(), 'ketnap-ide.png')}`);
  socket.close();
  const ok = foreign.length === 0 && withToken;
  console.log(ok ? '2 passed, 0 failed' : 'the IDE check failed');
  process.exitCode = ok ? 0 : 1;
} finally {
  clearTimeout(deadline);
  browser.kill();
  stop();
  await sleep(300);
  rmSync(profile, { recursive: true, force: true });
}
