// The embedded PostgreSQL on a fresh data directory, its lock, and recovery
// from an owner that died without stopping its cluster. One cluster is
// initialised and restarted a few times; no migrations run here.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../server/db/embedded';
import { freePort, isAlive, makeDataDir, postmasterPid, removeDir, ROOT, runScript, spawnScript, stopAll, stopLeftoverPostgres, waitUntil } from '../helpers/spawn';

let dir: string;
let scratch: string;
let pgPort: number;
let handle: DatabaseHandle | undefined;

const lockFile = () => path.join(dir, 'postgres.lock');
const config = () => ({ databaseUrl: undefined, dataDir: dir, embeddedPgPort: pgPort, dbConnectTimeoutMs: 5000 });

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

before(async () => {
  dir = makeDataDir('copydesk-embedded-');
  scratch = makeDataDir('copydesk-embedded-scratch-');
  pgPort = await freePort();
});

after(async () => {
  await handle?.stop().catch(() => undefined);
  await stopAll();
  await stopLeftoverPostgres(dir);
  removeDir(dir);
  removeDir(scratch);
});

test('boots a real PostgreSQL 18 on a fresh data directory: loopback only, durable, with a private password', async () => {
  const logs: string[] = [];
  handle = await openDatabase(config(), 'cli', (m) => logs.push(m));
  assert.deepEqual(logs, [`Creating the embedded PostgreSQL cluster in ${dir}/postgres`]);
  assert.equal(handle.embedded, true);
  assert.equal(handle.owned, true);
  // The application connects as copydesk_app, the migrations as copydesk_owner; the superuser only bootstraps.
  assert.match(handle.url, new RegExp(`^postgresql://copydesk_app:[^@]+@127\\.0\\.0\\.1:${pgPort}/copydesk$`));
  assert.match(handle.ownerUrl, new RegExp(`^postgresql://copydesk_owner:[^@]+@127\\.0\\.0\\.1:${pgPort}/copydesk$`));
  assert.match(handle.adminUrl, new RegExp(`^postgresql://copydesk:[^@]+@127\\.0\\.0\\.1:${pgPort}/copydesk$`));

  const [row] = await query<{ version: string; db: string; listen: string; fsync: string; encoding: string }>(
    handle.url,
    `select version(), current_database() as db, current_setting('listen_addresses') as listen, current_setting('fsync') as fsync, pg_encoding_to_char(encoding) as encoding
     from pg_database where datname = current_database()`,
  );
  assert.match(row.version, /^PostgreSQL 18\./);
  assert.equal(row.db, 'copydesk');
  assert.equal(row.listen, '127.0.0.1');
  assert.equal(row.fsync, 'on');
  assert.equal(row.encoding, 'UTF8');

  const password = readFileSync(path.join(dir, 'postgres.password'), 'utf8').trim();
  assert.equal(decodeURIComponent(new URL(handle.adminUrl).password), password);
  assert.equal(statSync(path.join(dir, 'postgres.password')).mode & 0o777, 0o600);
  const lock = JSON.parse(readFileSync(lockFile(), 'utf8')) as { pid: number; role: string; port: number };
  assert.deepEqual({ pid: lock.pid, role: lock.role, port: lock.port }, { pid: process.pid, role: 'cli', port: pgPort });
  await query(handle.adminUrl, 'create table kept (v text); insert into kept values (\'before restarts\')');
});

test('a CLI command while another command holds the data directory is refused with a message naming the holder', async () => {
  const lockBefore = readFileSync(lockFile(), 'utf8');
  const r = await runScript('scripts/user.ts', ['list'], { env: { COPYDESK_DATA_DIR: dir, COPYDESK_PG_PORT: String(await freePort()) } });
  assert.equal(r.code, 1, r.output);
  assert.match(
    r.stderr,
    new RegExp(
      `^error: The embedded database in ${dir}/postgres is in use by process ${process.pid} \\(.*, started \\d{4}-\\d\\d-\\d\\dT[^)]+\\)\\. Wait for that command to finish, or start the server \\(npm start\\) so that several commands can share the database\\.\\n$`,
    ),
  );
  assert.equal(readFileSync(lockFile(), 'utf8'), lockBefore);
  assert.equal(r.stdout, '');
});

test('stop() shuts PostgreSQL down and releases the lock', async () => {
  const pid = postmasterPid(dir);
  assert.ok(pid && isAlive(pid));
  await handle?.stop();
  handle = undefined;
  assert.equal(isAlive(pid), false);
  assert.equal(existsSync(lockFile()), false);
  assert.equal(existsSync(path.join(dir, 'postgres', 'postmaster.pid')), false);
});

test('a stale lock left by a dead process is taken over, and the data survives the restart', async () => {
  let dead = 4_000_000;
  while (isAlive(dead)) dead++;
  writeFileSync(lockFile(), JSON.stringify({ pid: dead, role: 'server', port: pgPort, command: 'start.ts', startedAt: new Date().toISOString() }));
  const logs: string[] = [];
  handle = await openDatabase(config(), 'server', (m) => logs.push(m));
  assert.deepEqual(logs, [], 'no new cluster was created');
  assert.deepEqual(await query(handle.adminUrl, 'select v from kept'), [{ v: 'before restarts' }]);
  assert.equal((JSON.parse(readFileSync(lockFile(), 'utf8')) as { pid: number }).pid, process.pid);
  await handle.stop();
  handle = undefined;
});

test('a cluster orphaned by a killed owner (SIGKILL) is stopped cleanly and restarted by the next owner', async () => {
  const child = path.join(scratch, 'owner.mts');
  writeFileSync(
    child,
    `import { openDatabase } from ${JSON.stringify(path.join(ROOT, 'server', 'db', 'embedded.ts'))};
const h = await openDatabase(${JSON.stringify(config())}, 'server');
console.log('READY ' + h.url);
setInterval(() => undefined, 1000);
`,
  );
  const owner = spawnScript(child);
  await owner.waitFor(/READY/, 60_000);
  const orphan = postmasterPid(dir);
  assert.ok(orphan && isAlive(orphan));
  owner.child.kill('SIGKILL');
  await owner.exited;
  assert.ok(isAlive(orphan), 'PostgreSQL outlived its owner');
  assert.equal((JSON.parse(readFileSync(lockFile(), 'utf8')) as { pid: number }).pid, owner.pid, 'the lock still names the dead owner');

  handle = await openDatabase(config(), 'cli');
  await waitUntil(() => !isAlive(orphan), 'the orphaned postmaster is gone');
  const fresh = postmasterPid(dir);
  assert.ok(fresh && fresh !== orphan && isAlive(fresh));
  assert.deepEqual(await query(handle.adminUrl, 'select v from kept'), [{ v: 'before restarts' }]);
  await handle.stop();
  handle = undefined;
  assert.equal(isAlive(fresh), false);
});
