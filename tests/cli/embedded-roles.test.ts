// The embedded database's roles: the application connects as a role that
// owns nothing, so it cannot switch the audit log's triggers off; the
// migrations run as the owner; the superuser only bootstraps. An
// installation whose tables the superuser owned is converted on its next open.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { createDb, type PrismaClient } from '../../server/db/client';
import { openDatabase, type DatabaseHandle } from '../../server/db/embedded';
import { migrateIfNeeded } from '../../server/db/migrate';
import { recordAudit, SYSTEM_ACTOR } from '../../server/services/audit';
import { prepareAudit } from '../../server/services/auditKey';
import { connectionWarnings, verifyAuditChain } from '../../server/services/auditVerify';
import { freePort, makeDataDir, removeDir, stopLeftoverPostgres } from '../helpers/spawn';

let dir: string;
let pgPort: number;
let handle: DatabaseHandle | undefined;
let app: PrismaClient | undefined;

// As the server does on first start: the key generated into the data directory.
const audit = () => ({ auditKey: undefined, auditKeyFile: path.join(dir, 'audit.key'), auditCheckpointFile: path.join(dir, 'audit-checkpoints.log') });
const config = () => ({ databaseUrl: undefined, dataDir: dir, embeddedPgPort: pgPort, dbConnectTimeoutMs: 5000 });

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function open(): Promise<DatabaseHandle> {
  const h = await openDatabase(config(), 'cli');
  await migrateIfNeeded(h.ownerUrl);
  await h.grant();
  return h;
}

before(async () => {
  dir = makeDataDir('copydesk-roles-');
  pgPort = await freePort();
  handle = await open();
  app = createDb(handle.url, { dbPoolSize: 2, dbConnectTimeoutMs: 5000 });
  await prepareAudit(app, audit(), { source: 'start' });
});

after(async () => {
  await app?.$disconnect();
  await handle?.stop().catch(() => undefined);
  await stopLeftoverPostgres(dir);
  removeDir(dir);
});

test('the application role is no superuser and owns nothing; the owner role owns every table and is no superuser either', async () => {
  const [me] = await query<{ user: string; superuser: boolean; createrole: boolean }>(handle!.url, 'select current_user as user, rolsuper as superuser, rolcreaterole as createrole from pg_roles where rolname = current_user');
  assert.deepEqual(me, { user: 'copydesk_app', superuser: false, createrole: false });
  const owners = await query<{ owner: string }>(handle!.adminUrl, `select distinct tableowner::text as owner from pg_tables where schemaname = 'public'`);
  assert.deepEqual(owners, [{ owner: 'copydesk_owner' }]);
  const [owner] = await query<{ superuser: boolean }>(handle!.adminUrl, `select rolsuper as superuser from pg_roles where rolname = 'copydesk_owner'`);
  assert.equal(owner.superuser, false);
  assert.deepEqual(await connectionWarnings(app!), []);
  assert.equal(statSync(path.join(dir, 'audit.key')).mode & 0o777, 0o600);
});

test('as the application role: appending works; ALTER TABLE … DISABLE TRIGGER, UPDATE, DELETE, TRUNCATE and DROP of audit_events fail', async () => {
  await app!.$transaction((tx) => recordAudit(tx, SYSTEM_ACTOR, { action: 'test.app_role', entity: 'article' }));
  assert.equal((await verifyAuditChain(app!)).ok, true);
  const c = new pg.Client({ connectionString: handle!.url });
  await c.connect();
  try {
    await assert.rejects(c.query('alter table audit_events disable trigger all'), /must be owner of table audit_events/);
    await assert.rejects(c.query('alter table audit_events disable trigger audit_events_no_update_delete'), /must be owner of table audit_events/);
    await assert.rejects(c.query(`update audit_events set "actorName" = 'x'`), /permission denied for table audit_events/);
    await assert.rejects(c.query('delete from audit_events'), /permission denied for table audit_events/);
    await assert.rejects(c.query('truncate audit_events'), /permission denied for table audit_events/);
    await assert.rejects(c.query('drop table audit_events'), /must be owner of table audit_events/);
    await assert.rejects(c.query('create or replace function audit_append(events jsonb) returns bigint[] language sql as $$ select null::bigint[] $$'), /permission denied for schema public/);
    await assert.rejects(c.query('create schema copydesk_app'), /permission denied for database copydesk/);
    await assert.rejects(c.query('delete from _prisma_migrations'), /permission denied for table _prisma_migrations/);
    // Ordinary tables are the application's to write, and to delete from.
    await c.query(`insert into glossary_entries (term, preferred) values ('kerb', 'curb')`);
    await c.query(`update glossary_entries set note = 'US' where term = 'kerb'`);
    assert.equal((await c.query(`delete from glossary_entries where term = 'kerb'`)).rowCount, 1);
  } finally {
    await c.end();
  }
  // The superuser reports itself as such.
  const superDb = createDb(handle!.adminUrl, { dbPoolSize: 1, dbConnectTimeoutMs: 5000 });
  try {
    assert.match((await connectionWarnings(superDb))[0], /connects as the superuser "copydesk"/);
  } finally {
    await superDb.$disconnect();
  }
});

test('commands starting together grant the application role at the same time without tripping over each other', async () => {
  // Each command grants after migrating; concurrent GRANTs on the same tables used to fail with "tuple concurrently updated".
  await Promise.all(Array.from({ length: 8 }, () => handle!.grant()));
});

test('an installation whose tables the superuser owns is handed to the owner role on its next open', async () => {
  await app!.$disconnect();
  app = undefined;
  // As before the roles existed: everything owned by the superuser that ran the migrations.
  await query(handle!.adminUrl, 'reassign owned by copydesk_owner to copydesk');
  assert.deepEqual(await query(handle!.adminUrl, `select distinct tableowner::text as owner from pg_tables where schemaname = 'public'`), [{ owner: 'copydesk' }]);
  await handle!.stop();
  handle = await open();
  assert.deepEqual(await query(handle.adminUrl, `select distinct tableowner::text as owner from pg_tables where schemaname = 'public'`), [{ owner: 'copydesk_owner' }]);
  const [fn] = await query<{ owner: string }>(handle.adminUrl, `select pg_get_userbyid(proowner)::text as owner from pg_proc where proname = 'audit_append'`);
  assert.equal(fn.owner, 'copydesk_owner');
  app = createDb(handle.url, { dbPoolSize: 2, dbConnectTimeoutMs: 5000 });
  await prepareAudit(app, audit(), { source: 'start' });
  await app.$transaction((tx) => recordAudit(tx, SYSTEM_ACTOR, { action: 'test.after_conversion', entity: 'article' }));
  assert.equal((await verifyAuditChain(app, { checkpointFile: audit().auditCheckpointFile })).ok, true);
  await assert.rejects(query(handle.url, 'alter table audit_events disable trigger all'), /must be owner of table audit_events/);
});
