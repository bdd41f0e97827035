// An external PostgreSQL with the two roles of docs/security.md ("Database
// roles"), set up by a DBA with nothing but the roles and the database: the
// server migrates as the owner (COPYDESK_MIGRATE_DATABASE_URL) and grants the
// application role (DATABASE_URL) what it needs itself, on its first start
// and after every migration. A real PostgreSQL server (Debian's), where
// roles are the cluster's, so that nothing depends on the test server's
// superuser.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnServer } from '../helpers/server';
import { runScript } from '../helpers/spawn';
import { useDebianCluster } from '../helpers/debianCluster';

const ADMIN_PASSWORD = 'external roles admin password';

const { skip, as, sql } = useDebianCluster('external-roles');

test('a DBA creates only the roles and the database; the server migrates as the owner and grants the application role itself', { skip }, async () => {
  await sql(as('copydesk', 'postgres'), `CREATE ROLE desk_owner LOGIN; CREATE ROLE desk_app LOGIN`);
  await sql(as('copydesk', 'postgres'), `CREATE DATABASE desk OWNER desk_owner`);
  await sql(as('desk_owner', 'desk'), `REVOKE CREATE ON SCHEMA public FROM PUBLIC`);

  const server = await spawnServer(as('desk_app', 'desk'), { COPYDESK_MIGRATE_DATABASE_URL: as('desk_owner', 'desk'), COPYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'warn' });
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
  assert.equal(login.status, 200, await login.text());
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const users = await fetch(`${server.url}/api/users`, { headers: { cookie } });
  assert.equal(users.status, 200, 'the application role reads and writes the tables');
  assert.doesNotMatch(server.proc.output(), /superuser|owner of audit_events/i, 'no warning about the connection role');

  // What the application role may do: the tables, but audit_events only SELECT and INSERT.
  const privilege = async (table: string, what: string) =>
    (await sql(as('desk_owner', 'desk'), `SELECT has_table_privilege('desk_app', $1, $2) AS ok`, [table, what])).rows[0].ok as boolean;
  assert.equal(await privilege('articles', 'UPDATE'), true);
  assert.equal(await privilege('audit_events', 'INSERT'), true);
  assert.equal(await privilege('audit_events', 'UPDATE'), false);
  assert.equal(await privilege('audit_events', 'DELETE'), false);
  assert.equal(await privilege('_prisma_migrations', 'INSERT'), false);
  await assert.rejects(sql(as('desk_app', 'desk'), `UPDATE audit_events SET action = action`), /permission denied/);
  // The owner keeps its own rights: nothing was revoked from it.
  assert.equal((await sql(as('desk_owner', 'desk'), `SELECT has_table_privilege('desk_owner', 'audit_events', 'UPDATE') AS ok`)).rows[0].ok, true);
  await server.proc.stop();

  // A command run the same way works too, and the chain it reads verifies.
  const verify = await runScript('scripts/audit.ts', ['verify', '--json'], { env: { DATABASE_URL: as('desk_app', 'desk'), COPYDESK_MIGRATE_DATABASE_URL: as('desk_owner', 'desk') } });
  assert.equal(verify.code, 0, verify.stderr);
});

test('one role in both URLs (two different addresses of it): nothing is revoked from the owner', { skip }, async () => {
  await sql(as('copydesk', 'postgres'), `CREATE ROLE solo_owner LOGIN`);
  await sql(as('copydesk', 'postgres'), `CREATE DATABASE solo OWNER solo_owner`);
  const direct = as('solo_owner', 'solo');
  const other = new URL(direct);
  other.searchParams.set('application_name', 'copydesk-pooled');
  const server = await spawnServer(other.toString(), { COPYDESK_MIGRATE_DATABASE_URL: direct, COPYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'warn' });
  await server.proc.stop();
  assert.equal((await sql(direct, `SELECT has_table_privilege('solo_owner', 'audit_events', 'UPDATE') AS ok`)).rows[0].ok, true);
});
