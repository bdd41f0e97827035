// A command pointed at a new, empty data directory while a Copydesk server
// runs on another one: it refuses, naming both directories and how to reach
// the server's data, instead of quietly working on an empty database.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, makeDataDir, removeDir, runScript, spawnNpm, stopAll, stopLeftoverPostgres, waitUntil, type Spawned } from '../helpers/spawn';

let runtimeDir: string;
let serverDir: string;
let emptyDir: string;
let newDir: string;
let server: Spawned;
const ADMIN_PASSWORD = 'admin-password-for-the-test';

before(async () => {
  runtimeDir = makeDataDir('copydesk-runtime-test-');
  serverDir = makeDataDir('copydesk-serving-');
  emptyDir = path.join(makeDataDir('copydesk-mistyped-'), 'data');
  newDir = makeDataDir('copydesk-new-');
  server = spawnNpm(['start'], {
    env: { COPYDESK_DATA_DIR: serverDir, COPYDESK_RUNTIME_DIR: runtimeDir, PORT: String(await freePort()), COPYDESK_PG_PORT: String(await freePort()), COPYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'warn' },
  });
  await server.waitFor(/Copydesk is running at/, 150_000);
});

after(async () => {
  await stopAll();
  for (const d of [serverDir, newDir]) await stopLeftoverPostgres(d);
  for (const d of [runtimeDir, serverDir, path.dirname(emptyDir), newDir]) removeDir(d);
});

const user = (dataDir: string, args: string[], pgPort?: number) =>
  runScript('scripts/user.ts', args, { env: { COPYDESK_DATA_DIR: dataDir, COPYDESK_RUNTIME_DIR: runtimeDir, ...(pgPort ? { COPYDESK_PG_PORT: String(pgPort) } : {}) }, timeoutMs: 120_000 });

test('the running server notes its data directory in the runtime folder', () => {
  const notes = readdirSync(path.join(runtimeDir, 'servers'));
  assert.equal(notes.length, 1);
});

test('a command on a new, empty data directory refuses, naming both directories, and creates nothing', async () => {
  const r = await user(emptyDir, ['list']);
  assert.equal(r.code, 1, r.output);
  assert.match(r.stderr, new RegExp(`would create a new, empty database in ${emptyDir}`));
  assert.match(r.stderr, new RegExp(`uses the data directory ${serverDir}: run the command with COPYDESK_DATA_DIR=${serverDir}`));
  assert.match(r.stderr, /add --new-data-dir/);
  assert.equal(existsSync(emptyDir), false, 'no empty data directory is left behind');
});

test("the same command pointed at the server's data directory works on the server's database", async () => {
  const r = await user(serverDir, ['list']);
  assert.equal(r.code, 0, r.output);
  assert.match(r.stdout, /admin/);
});

test('--new-data-dir creates the new database anyway, with a warning', async () => {
  const r = await user(newDir, ['list', '--new-data-dir'], await freePort());
  assert.equal(r.code, 0, r.output);
  assert.match(r.stderr, /warning: This command would create a new, empty database/);
  assert.ok(existsSync(path.join(newDir, 'postgres', 'PG_VERSION')));
  assert.doesNotMatch(r.stdout, /admin/, 'the new database has no users: it really is another one');
});

test('once the server stops its note is gone; a note left by a dead process is ignored', async () => {
  await server.stop('SIGTERM', 30_000);
  await waitUntil(() => readdirSync(path.join(runtimeDir, 'servers')).length === 0, 'the server removed its note');
  mkdirSync(path.join(runtimeDir, 'servers'), { recursive: true });
  writeFileSync(path.join(runtimeDir, 'servers', '999999.json'), JSON.stringify({ pid: 999999, dataDir: serverDir, embedded: true, url: 'http://localhost:1', startedAt: new Date().toISOString() }));
  const other = path.join(path.dirname(emptyDir), 'fresh');
  const r = await user(other, ['list'], await freePort());
  assert.equal(r.code, 0, r.output);
  assert.doesNotMatch(r.stderr, /would create a new, empty database/);
  await stopLeftoverPostgres(other);
});
