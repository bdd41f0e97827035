import { createHmac } from 'node:crypto';
import pg from 'pg';

/**
 * The embedded database's roles. The superuser made by initdb (`copydesk`) is
 * used only to create these and hand the schema to the owner:
 * - `copydesk_owner` owns every table and runs the migrations; it is used for
 *   nothing else;
 * - `copydesk_app` is what the server and the commands connect as: it reads
 *   and writes the tables but owns none, so it cannot ALTER or DROP
 *   audit_events, disable its triggers, or UPDATE/DELETE/TRUNCATE it.
 * docs/security.md, "Database roles", lists the same grants for a DBA.
 */
export const OWNER_ROLE = 'copydesk_owner';
export const APP_ROLE = 'copydesk_app';

/**
 * A role's password, derived from the superuser's (kept in the data
 * directory) so that no further secret file is needed. One-way: knowing the
 * application role's password does not give the superuser's.
 */
export function rolePassword(superuserPassword: string, role: string): string {
  return createHmac('sha256', superuserPassword).update(`copydesk role ${role}`).digest('base64url');
}

/** `url` with another user and password. */
export function urlAs(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString();
}

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/**
 * As the superuser (`adminUrl`, connected to Copydesk's database): creates
 * the owner and application roles (or resets their passwords and attributes),
 * and gives the database, its public schema and every object in it to the
 * owner. Idempotent; an installation whose tables the superuser owns (before
 * the roles existed) is converted on its next start. The embedded database
 * derives the passwords from its superuser's (`rolePassword`); for an external
 * database `npm run db-roles` takes them from the environment.
 */
export async function ensureRoles(adminUrl: string, passwords: { owner: string; app: string }): Promise<{ objectsGiven: number }> {
  return withClient(adminUrl, async (c) => {
    await c.query('begin');
    // Two processes starting at once would race on CREATE ROLE; serialise them.
    await c.query('select pg_advisory_xact_lock(1668247674)');
    for (const [role, secret] of [[OWNER_ROLE, passwords.owner], [APP_ROLE, passwords.app]] as const) {
      const exists = (await c.query('select 1 from pg_roles where rolname = $1', [role])).rowCount === 1;
      await c.query(`${exists ? 'alter' : 'create'} role ${role} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password ${c.escapeLiteral(secret)}`);
    }
    await c.query(`alter database ${pg.escapeIdentifier((await c.query<{ db: string }>('select current_database() as db')).rows[0].db)} owner to ${OWNER_ROLE}`);
    await c.query(`alter schema public owner to ${OWNER_ROLE}`);
    const objects = await c.query<{ sql: string }>(
      `select format('alter table %s owner to ${OWNER_ROLE}', c.oid::regclass) as sql
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f') and pg_get_userbyid(c.relowner) <> $1
       union all
       select format('alter sequence %s owner to ${OWNER_ROLE}', c.oid::regclass)
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'S' and pg_get_userbyid(c.relowner) <> $1
          and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i'))
       union all
       select format('alter function %s owner to ${OWNER_ROLE}', p.oid::regprocedure)
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> $1
       union all
       select format('alter type %s owner to ${OWNER_ROLE}', t.oid::regtype)
         from pg_type t join pg_namespace n on n.oid = t.typnamespace
        where n.nspname = 'public' and t.typtype in ('e', 'd', 'c') and t.typrelid = 0 and pg_get_userbyid(t.typowner) <> $1`,
      [OWNER_ROLE],
    );
    for (const { sql } of objects.rows) await c.query(sql);
    await c.query('commit');
    return { objectsGiven: objects.rows.length };
  });
}

/**
 * As the owner (`ownerUrl`), after the migrations: what the application role
 * may do. Everything on the ordinary tables; on audit_events only SELECT and
 * INSERT (appending goes through audit_append, which runs with the caller's
 * rights); the migrations' bookkeeping only read. Run after every migration,
 * so tables added later get the same grants.
 */
export async function grantAppRole(ownerUrl: string, appRole: string = APP_ROLE): Promise<void> {
  await withClient(ownerUrl, async (c) => {
    const role = c.escapeIdentifier(appRole);
    await c.query('begin');
    // Commands started together (an import beside the server) would otherwise
    // update the same catalog rows at once: "tuple concurrently updated".
    await c.query('select pg_advisory_xact_lock(1668247674)');
    await c.query(`grant usage on schema public to ${role}`);
    await c.query(`grant select, insert, update, delete on all tables in schema public to ${role}`);
    await c.query(`grant usage, select on all sequences in schema public to ${role}`);
    await c.query(`revoke update, delete, truncate, references, trigger on audit_events from ${role}`);
    await c.query(`revoke insert, update, delete, truncate, references, trigger on _prisma_migrations from ${role}`);
    await c.query('commit');
  });
}

/**
 * The grants of an external database whose migrations run as another role
 * (`COPYDESK_MIGRATE_DATABASE_URL`): the same as the embedded database's, to
 * the role `DATABASE_URL` names, after every migration, so that neither the
 * first start nor a migration that adds a table needs a DBA's GRANT. Nothing
 * when both URLs name the same role: revoking on audit_events from its owner
 * would take rights the owner needs.
 */
export function externalGrant(databaseUrl: string, ownerUrl: string): () => Promise<void> {
  const app = decodeURIComponent(new URL(databaseUrl).username);
  const owner = decodeURIComponent(new URL(ownerUrl).username);
  if (!app || app === owner) return async () => undefined;
  return () => grantAppRole(ownerUrl, app);
}
