// `npm start` as a user runs it: a real process on a fresh data directory with
// the embedded PostgreSQL, then the mistakes an operator makes around it.
// One fresh cluster is booted and shared by the tests below, in order.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { migrationNames } from '../../server/db/migrate';
import {
  freePort,
  isAlive,
  makeDataDir,
  postmasterPid,
  removeDir,
  ROOT,
  runScript,
  spawnNpm,
  stopAll,
  stopLeftoverPostgres,
  waitUntil,
  type Spawned,
} from '../helpers/spawn';

const ALICE_PASSWORD = 'alice-password-42';

let dir: string;
let dir2: string;
let port: number;
let pgPort: number;
let server: Spawned;
let baseUrl: string;
let adminPassword: string;

const lockFile = () => path.join(dir, 'postgres.lock');
const readLock = () => JSON.parse(readFileSync(lockFile(), 'utf8')) as { pid: number; role: string; port: number; command: string };
const embeddedUrl = () => `postgresql://copydesk:${encodeURIComponent(readFileSync(path.join(dir, 'postgres.password'), 'utf8').trim())}@127.0.0.1:${pgPort}/copydesk`;

async function login(username: string, password: string): Promise<Response> {
  return fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
}

async function sql<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: embeddedUrl() });
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}

before(async () => {
  dir = makeDataDir('copydesk-start-');
  dir2 = makeDataDir('copydesk-start2-');
  port = await freePort();
  pgPort = await freePort();
  server = spawnNpm(['start'], { env: { COPYDESK_DATA_DIR: dir, PORT: String(port), COPYDESK_PG_PORT: String(pgPort), LOG_LEVEL: 'warn' } });
  const m = await server.waitFor(/Copydesk is running at (http:\/\/localhost:\d+)/, 150_000);
  baseUrl = m[1];
  adminPassword = /password: (\S+)/.exec(server.output())?.[1] ?? '';
});

after(async () => {
  await stopAll();
  await stopLeftoverPostgres(dir);
  await stopLeftoverPostgres(dir2);
  removeDir(dir);
  removeDir(dir2);
});

describe('npm start on a fresh data directory', () => {
  test('creates the embedded cluster, applies every migration and prints the generated admin password once', async () => {
    const out = server.output();
    assert.match(out, new RegExp(`Creating the embedded PostgreSQL cluster in ${dir}/postgres`));
    const names = migrationNames();
    assert.match(out, new RegExp(`Applied ${names.length} migration\\(s\\): ${names.join(', ')}`));
    assert.match(out, /username: admin/);
    assert.match(adminPassword, /^[A-Za-z0-9_-]{16}$/);
    assert.equal(baseUrl, `http://localhost:${port}`);
    assert.equal(readFileSync(path.join(dir, 'postgres', 'PG_VERSION'), 'utf8').trim(), '18');
  });

  test('serves /healthz and the admin UI, and the printed password logs in over HTTP', async () => {
    const health = await fetch(`${baseUrl}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok', database: 'ok' });

    const ui = await fetch(`${baseUrl}/`);
    assert.equal(ui.status, 200);
    assert.match(ui.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await ui.text(), /<div id="root">/);

    const bad = await login('admin', 'not-the-password');
    assert.equal(bad.status, 401);

    const ok = await login('admin', adminPassword);
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { id: 1, username: 'admin', displayName: 'Administrator', role: 'admin' });
    const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0];
    assert.match(cookie, /^copydesk_sid=/);
    const me = await fetch(`${baseUrl}/api/auth/me`, { headers: { cookie } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { username: string }).username, 'admin');
  });

  test('the cluster listens on loopback only, its password file is private, and the lock names the server', async () => {
    const [{ listen_addresses }] = await sql<{ listen_addresses: string }>('show listen_addresses');
    assert.equal(listen_addresses, '127.0.0.1');
    assert.equal(statSync(path.join(dir, 'postgres.password')).mode & 0o777, 0o600);
    const lock = readLock();
    assert.equal(lock.role, 'server');
    assert.equal(lock.port, pgPort);
    assert.ok(isAlive(lock.pid));
    // npm start runs the compiled server, not the TypeScript sources.
    assert.equal(lock.command, 'start.js');
  });
});

describe('while the server runs', () => {
  test('a second npm start on the same data directory refuses and names the holder', async () => {
    const lockBefore = readFileSync(lockFile(), 'utf8');
    const holder = readLock().pid;
    const second = spawnNpm(['start'], { env: { COPYDESK_DATA_DIR: dir, PORT: String(await freePort()), COPYDESK_PG_PORT: String(await freePort()) } });
    const r = await second.exited;
    assert.notEqual(r.code, 0);
    assert.match(r.output, new RegExp(`Copydesk could not start: The embedded database in ${dir}/postgres is in use by process ${holder} \\(start\\.js`));
    assert.match(r.output, /Copydesk is already running with this data directory; stop it first or set COPYDESK_DATA_DIR/);
    assert.equal(readFileSync(lockFile(), 'utf8'), lockBefore);
    assert.equal((await fetch(`${baseUrl}/healthz`)).status, 200);
  });

  test("a CLI command uses the server's cluster instead of starting its own", async () => {
    const postmaster = postmasterPid(dir);
    const r = await runScript('scripts/user.ts', ['add', 'alice', '--role', 'editor', '--name', 'Alice A.'], {
      env: { COPYDESK_DATA_DIR: dir, COPYDESK_PG_PORT: String(await freePort()), COPYDESK_PASSWORD: ALICE_PASSWORD },
    });
    assert.equal(r.code, 0, r.output);
    assert.match(r.stdout, /Created editor "alice" \(id 2\)\./);
    assert.equal(postmasterPid(dir), postmaster);
    assert.equal(readLock().role, 'server');
    const res = await login('alice', ALICE_PASSWORD);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { id: 2, username: 'alice', displayName: 'Alice A.', role: 'editor' });
  });

  test('PORT already in use: a clear message, exit 1, nothing written (external DATABASE_URL)', async () => {
    const [{ n: usersBefore }] = await sql<{ n: string }>('select count(*)::text as n from users');
    const r = await spawnNpm(['start'], { env: { DATABASE_URL: embeddedUrl(), PORT: String(port), COPYDESK_DATA_DIR: dir2 } }).exited;
    assert.equal(r.code, 1, r.output);
    assert.match(r.output, new RegExp(`Copydesk could not start: Port ${port} on 127\\.0\\.0\\.1 is already in use\\. Stop the other program or set PORT\\.`));
    const [{ n: usersAfter }] = await sql<{ n: string }>('select count(*)::text as n from users');
    assert.equal(usersAfter, usersBefore);
    assert.equal((await fetch(`${baseUrl}/healthz`)).status, 200);
  });

  test('the embedded PostgreSQL port in use: a clear message before any cluster is created', async () => {
    const r = await spawnNpm(['start'], { env: { COPYDESK_DATA_DIR: dir2, PORT: String(await freePort()), COPYDESK_PG_PORT: String(pgPort) } }).exited;
    assert.equal(r.code, 1, r.output);
    assert.match(r.output, new RegExp(`The embedded PostgreSQL cannot listen on 127\\.0\\.0\\.1:${pgPort}: the port is already in use by another program\\. Set COPYDESK_PG_PORT to a free port\\.`));
    assert.equal(existsSync(path.join(dir2, 'postgres', 'PG_VERSION')), false);
    assert.equal(existsSync(path.join(dir2, 'postgres.lock')), false);
  });
});

describe('a bad DATABASE_URL', () => {
  test('malformed: npm start and the CLI exit 1 naming the variable, without touching the data directory', async () => {
    const env = { DATABASE_URL: 'not a url', COPYDESK_DATA_DIR: dir2, PORT: String(await freePort()) };
    const [start, cli, wrongScheme, badNumbers] = await Promise.all([
      spawnNpm(['start'], { env }).exited,
      runScript('scripts/user.ts', ['list'], { env }),
      runScript('scripts/user.ts', ['list'], { env: { ...env, DATABASE_URL: 'mysql://u:p@db:3306/copydesk' } }),
      spawnNpm(['start'], { env: { COPYDESK_DATA_DIR: dir2, PORT: 'eighty', COPYDESK_SESSION_IDLE_MINUTES: '0', COPYDESK_ADMIN_PASSWORD: 'short' } }).exited,
    ]);
    assert.equal(badNumbers.code, 1, badNumbers.output);
    assert.match(badNumbers.output, /Invalid configuration:\n\s+PORT: must be a whole number from 0 to 65535, got "eighty"/);
    assert.match(badNumbers.output, /COPYDESK_ADMIN_PASSWORD: must be at least 10 characters long/);
    assert.match(badNumbers.output, /COPYDESK_SESSION_IDLE_MINUTES: must be a whole number from 1 to 43200, got "0"/);
    assert.equal(start.code, 1, start.output);
    assert.match(start.output, /Copydesk could not start: Invalid configuration:\n\s+DATABASE_URL: is not a URL; expected postgresql:\/\/user:password@host:5432\/database/);
    assert.equal(cli.code, 1, cli.output);
    assert.match(cli.stderr, /error: Invalid configuration:\n\s+DATABASE_URL: is not a URL/);
    assert.equal(wrongScheme.code, 1);
    assert.match(wrongScheme.stderr, /DATABASE_URL: must start with postgresql:\/\/ \(got "mysql:\/\/"\)/);
    assert.equal(existsSync(path.join(dir2, 'postgres')), false);
  });

  test('unreachable: the message names the redacted URL and the reason, never the password', async () => {
    const deadPort = await freePort();
    const url = `postgresql://copydesk:s3cret-pw@127.0.0.1:${deadPort}/copydesk`;
    const expected = `Cannot connect to the database at postgresql://copydesk:***@127.0.0.1:${deadPort}/copydesk: connection refused (is the server running?)`;
    const [start, cli] = await Promise.all([
      spawnNpm(['start'], { env: { DATABASE_URL: url, PORT: String(await freePort()), COPYDESK_DATA_DIR: dir2 } }).exited,
      runScript('scripts/user.ts', ['list'], { env: { DATABASE_URL: url } }),
    ]);
    assert.equal(start.code, 1, start.output);
    assert.ok(start.output.includes(`Copydesk could not start: ${expected}`), start.output);
    assert.doesNotMatch(start.output, /s3cret-pw/);
    assert.equal(cli.code, 1, cli.output);
    assert.ok(cli.stderr.includes(`error: ${expected}`), cli.stderr);
    assert.doesNotMatch(cli.output, /s3cret-pw/);
  });
});

describe('shutting down', () => {
  test('SIGTERM to npm (what a process supervisor sends) stops the server and its PostgreSQL cleanly', async () => {
    const postmaster = postmasterPid(dir);
    const serverPid = readLock().pid;
    assert.ok(postmaster && isAlive(postmaster));
    server.child.kill('SIGTERM');
    await server.exited;
    await waitUntil(() => !isAlive(serverPid), 'the server process exited');
    assert.match(server.output(), /shutting down/);
    assert.doesNotMatch(server.output(), /again: exiting now|Shutdown failed/);
    assert.equal(isAlive(postmaster), false);
    assert.equal(existsSync(lockFile()), false);
    assert.equal(existsSync(path.join(dir, 'postgres', 'postmaster.pid')), false);
    await assert.rejects(fetch(`${baseUrl}/healthz`));
  });

  test('with the server stopped, a CLI command starts the embedded cluster itself and stops it again', async () => {
    const r = await runScript('scripts/user.ts', ['list', '--json'], { env: { COPYDESK_DATA_DIR: dir, COPYDESK_PG_PORT: String(pgPort) } });
    assert.equal(r.code, 0, r.output);
    const users = JSON.parse(r.stdout) as Array<{ username: string; role: string }>;
    assert.deepEqual(
      users.map((u) => `${u.username}:${u.role}`),
      ['admin:admin', 'alice:editor'],
    );
    assert.equal(existsSync(lockFile()), false);
    assert.equal(existsSync(path.join(dir, 'postgres', 'postmaster.pid')), false);
  });

  test('stopped during start-up (while migrating), it leaves no PostgreSQL running and no lock behind', async () => {
    const starting = spawnNpm(['start'], { env: { COPYDESK_DATA_DIR: dir2, PORT: String(await freePort()), COPYDESK_PG_PORT: String(await freePort()) } });
    try {
      await starting.waitFor(/Creating the embedded PostgreSQL cluster/, 60_000);
      await waitUntil(() => isAlive(postmasterPid(dir2)), 'the embedded PostgreSQL is up', 60_000);
      const postmaster = postmasterPid(dir2);
      const serverPid = (JSON.parse(readFileSync(path.join(dir2, 'postgres.lock'), 'utf8')) as { pid: number }).pid;
      assert.doesNotMatch(starting.output(), /Copydesk is running/);
      starting.child.kill('SIGTERM');
      await starting.exited;
      await waitUntil(() => !isAlive(serverPid), 'the server process exited');
      await waitUntil(() => !isAlive(postmaster), 'the embedded PostgreSQL stopped');
      assert.match(starting.output(), /during start-up: stopping\./);
      assert.equal(existsSync(path.join(dir2, 'postgres.lock')), false);
    } finally {
      await starting.stop();
    }
  });

  test('a restart keeps the data and prints no password; Ctrl-C (SIGINT to the whole process group) shuts down cleanly', async () => {
    const again = spawnNpm(['start'], { detached: true, env: { COPYDESK_DATA_DIR: dir, PORT: String(port), COPYDESK_PG_PORT: String(pgPort), LOG_LEVEL: 'warn' } });
    try {
      await again.waitFor(/Copydesk is running at/, 90_000);
      assert.doesNotMatch(again.output(), /password:|Creating the embedded|Applied/);
      assert.equal((await login('alice', ALICE_PASSWORD)).status, 200);
      assert.equal((await login('admin', adminPassword)).status, 200);
      const postmaster = postmasterPid(dir);
      const serverPid = readLock().pid;
      process.kill(-again.pid, 'SIGINT');
      await again.exited;
      await waitUntil(() => !isAlive(serverPid), 'the server process exited');
      assert.match(again.output(), /SIGINT: shutting down/);
      assert.doesNotMatch(again.output(), /again: exiting now|Shutdown failed/);
      assert.equal(isAlive(postmaster), false);
      assert.equal(existsSync(lockFile()), false);
    } finally {
      await again.stop();
    }
  });
});

describe('configuration files', () => {
  const source = readFileSync(path.join(ROOT, 'server', 'config.ts'), 'utf8');
  const block = source.slice(source.indexOf('const schema = z.object({'), source.indexOf('\n});', source.indexOf('const schema = z.object({')));
  const configVars = [...block.matchAll(/^\s{2}([A-Za-z_][A-Za-z0-9_]*):/gm)].map((m) => m[1]);
  const npmSet = new Set(['INIT_CWD', 'npm_lifecycle_event']);

  test('.env.example documents every variable server/config.ts reads, with its default', async () => {
    assert.ok(configVars.length >= 20, `found ${configVars.length} variables in config.ts`);
    const example = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const documented = new Map([...example.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    for (const v of configVars) {
      if (npmSet.has(v)) assert.match(example, new RegExp(`\\b${v}\\b`), v);
      else assert.ok(documented.has(v), `.env.example lacks ${v}`);
    }
    // The defaults it shows are what Copydesk really uses.
    const { loadConfig } = await import('../../server/config');
    const explicit = loadConfig(Object.fromEntries([...documented].filter(([k]) => configVars.includes(k))), ROOT);
    const defaults = loadConfig({}, ROOT);
    assert.deepEqual(explicit, defaults);
  });

  test('docker-compose.yml and the Dockerfile set only variables config.ts knows, and require the secrets', () => {
    const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const app = compose.slice(compose.indexOf('\n  app:'));
    const env = app.slice(app.indexOf('environment:'), app.indexOf('\n    ports:'));
    const keys = [...env.matchAll(/^\s{6}([A-Z_]+):/gm)].map((m) => m[1]);
    assert.ok(keys.length >= 6);
    // POSTGRES_PASSWORD is set only to blank it: .env is also the app's env_file.
    for (const k of keys) if (k !== 'POSTGRES_PASSWORD') assert.ok(configVars.includes(k), `docker-compose.yml sets ${k}, which config.ts does not read`);
    assert.match(env, /POSTGRES_PASSWORD: ""/);
    assert.match(env, /DATABASE_URL: postgresql:\/\/copydesk_app:\$\{COPYDESK_DB_APP_PASSWORD\}@db:5432\/copydesk/);
    assert.match(env, /COPYDESK_MIGRATE_DATABASE_URL: postgresql:\/\/copydesk_owner:\$\{COPYDESK_DB_OWNER_PASSWORD\}@db:5432\/copydesk/);
    assert.match(env, /COPYDESK_SESSION_SECRET: \$\{COPYDESK_SESSION_SECRET:\?/);
    assert.match(env, /COPYDESK_ADMIN_PASSWORD: \$\{COPYDESK_ADMIN_PASSWORD:\?/);
    assert.match(compose, /image: postgres:16\.\d+-bookworm\n/);
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const envBlock = dockerfile.slice(dockerfile.indexOf('ENV '), dockerfile.indexOf('\n\n', dockerfile.indexOf('ENV ')));
    for (const m of envBlock.matchAll(/([A-Z_]+)=/g)) assert.ok(configVars.includes(m[1]), `Dockerfile sets ${m[1]}`);
    // Every stage's base image is pinned to an exact Node release.
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    assert.ok(bases.length >= 2, 'a build stage and a runtime stage');
    for (const base of bases) assert.match(base!, /^node:20\.\d+\.\d+-bookworm-slim$/);
  });
});
