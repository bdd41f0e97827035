// The migrations in prisma/migrations, applied to an empty database with the
// project's own migrate path, must produce exactly the schema that
// prisma/schema.prisma describes, plus the hand-written objects named below.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { migrateDeploy, migrationNames, runPrisma } from '../../server/db/migrate';
import { PROJECT_ROOT } from '../../server/projectRoot';

/**
 * Objects the migrations add by hand because Prisma's schema language cannot
 * express them. Anything else that differs is drift: a schema.prisma edit
 * without a migration, or a migration edited by hand.
 */
const HAND_WRITTEN = {
  columns: [] as string[],
  // 20261204160000_article_search_table: the GIN index over article_search.vector
  // (full-text search over articles.searchText; 20261121171500_article_search_vector's
  // generated column is gone), and the triggers that keep that table in step.
  // 20261203120000_glossary_term_case_insensitive_unique: terms unique whatever their case.
  indexes: ['article_search_fts', 'glossary_entries_term_lower_key'],
  // 20261121000100_audit_append_only and its hardening: the append-only audit log;
  // 20261121173000_audit_append_function: appending to the chain in one statement.
  functions: ['audit_events_refuse_change', 'audit_append', 'tm_anchors', 'article_search_sync', 'article_search_insert_rows'],
  triggers: ['audit_events.audit_events_no_update_delete', 'audit_events.audit_events_no_truncate', 'articles.articles_search_insert', 'articles.articles_search_update'],
  // 20261121144505_audit_append_only_hardening: hashes are lower-case hex.
  // 20261203110000_audit_keyed_chain: key ids are lower-case hex.
  constraints: ['audit_events.audit_events_hash_hex', 'audit_events.audit_events_prev_hash_hex', 'audit_events.audit_events_key_id_hex'],
  // 20261203170000_translation_memory: tm_anchors (above) for fuzzy matching, and
  // trigram indexes for concordance search. The extension's own functions and
  // operators are not listed: objects owned by an extension are left out of the comparison.
  extensions: ['pg_trgm'],
  trigramIndexes: ['tm_segments_mt_trgm', 'tm_segments_approved_trgm'],
};

const adminUrl = process.env.COPYDESK_TEST_ADMIN_URL ?? '';
const suffix = `${process.env.COPYDESK_TEST_RUN ?? process.pid}_${randomBytes(3).toString('hex')}`;
const names = { migrated: `copydesk_mig_${suffix}`, expected: `copydesk_exp_${suffix}` };
const urlOf = (db: string) => {
  const u = new URL(adminUrl);
  u.pathname = `/${db}`;
  return u.toString();
};

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

interface Catalog {
  columns: string[];
  indexes: string[];
  constraints: string[];
  enums: string[];
  functions: string[];
  triggers: string[];
  sequences: string[];
  extensions: string[];
}

/** The public schema as sorted, comparable lines (Prisma's own bookkeeping table left out). */
async function catalog(url: string): Promise<Catalog> {
  return withClient(url, async (c) => {
    const lines = async (sql: string) => (await c.query<{ line: string }>(sql)).rows.map((r) => r.line).sort();
    return {
      columns: await lines(`
        select format('%s.%s %s(%s,%s,%s,%s) nullable=%s default=%s', table_name, column_name, udt_name,
               character_maximum_length, numeric_precision, numeric_scale, datetime_precision, is_nullable, column_default) as line
        from information_schema.columns
        where table_schema = 'public' and table_name <> '_prisma_migrations'`),
      indexes: await lines(`
        select format('%s %s', indexname, indexdef) as line from pg_indexes
        where schemaname = 'public' and tablename <> '_prisma_migrations'`),
      constraints: await lines(`
        select format('%s.%s %s %s', cl.relname, co.conname, co.contype, pg_get_constraintdef(co.oid)) as line
        from pg_constraint co join pg_class cl on cl.oid = co.conrelid join pg_namespace n on n.oid = cl.relnamespace
        where n.nspname = 'public' and cl.relname <> '_prisma_migrations'`),
      enums: await lines(`
        select format('%s %s', t.typname, string_agg(e.enumlabel, ',' order by e.enumsortorder)) as line
        from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
        where n.nspname = 'public' group by t.typname`),
      functions: await lines(`
        select p.proname as line from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')`),
      triggers: await lines(`
        select format('%s.%s', cl.relname, tg.tgname) as line
        from pg_trigger tg join pg_class cl on cl.oid = tg.tgrelid join pg_namespace n on n.oid = cl.relnamespace
        where n.nspname = 'public' and not tg.tgisinternal`),
      sequences: await lines(`select sequence_name as line from information_schema.sequences where sequence_schema = 'public'`),
      extensions: await lines(`select extname as line from pg_extension where extname <> 'plpgsql'`),
    };
  });
}

const startsWithAny = (line: string, prefixes: string[]) => prefixes.some((p) => line === p || line.startsWith(`${p} `));

let migrateOutput: string;
before(async () => {
  assert.ok(adminUrl, 'COPYDESK_TEST_ADMIN_URL is set by npm test');
  await withClient(adminUrl, async (c) => {
    await c.query(`create database ${names.migrated}`);
    await c.query(`create database ${names.expected}`);
  });
  // Both at once: each is a separate Prisma CLI process.
  const [out, script] = await Promise.all([
    migrateDeploy(urlOf(names.migrated)),
    runPrisma(['migrate', 'diff', '--from-empty', '--to-schema-datamodel', 'prisma/schema.prisma', '--script'], urlOf(names.expected)),
  ]);
  migrateOutput = out;
  // The CLI's output starts with a "Loaded Prisma config…" line; the script starts at its first comment.
  const start = script.search(/^-- /m);
  assert.ok(start >= 0, `prisma migrate diff printed no SQL:\n${script}`);
  await withClient(urlOf(names.expected), (c) => c.query(script.slice(start)));
});

after(async () => {
  await withClient(adminUrl, async (c) => {
    for (const db of Object.values(names)) await c.query(`drop database if exists ${db} with (force)`);
  });
});

test('every migration applies to an empty database and is recorded as finished', async () => {
  const all = migrationNames();
  assert.ok(all.length >= 2);
  assert.match(migrateOutput, new RegExp(`${all.length} migrations? found in prisma/migrations`));
  const applied = await withClient(urlOf(names.migrated), async (c) =>
    (await c.query<{ migration_name: string }>(`select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null order by migration_name`)).rows.map(
      (r) => r.migration_name,
    ),
  );
  assert.deepEqual(applied, all);
  const status = await runPrisma(['migrate', 'status'], urlOf(names.migrated));
  assert.match(status, /Database schema is up to date!/);
});

test('the migrated schema is exactly prisma/schema.prisma plus the hand-written objects', async () => {
  const [migrated, expected] = await Promise.all([catalog(urlOf(names.migrated)), catalog(urlOf(names.expected))]);
  assert.ok(expected.columns.length > 50, 'the expected schema was really built');

  const handWritten = {
    columns: migrated.columns.filter((l) => startsWithAny(l, HAND_WRITTEN.columns)),
    indexes: migrated.indexes.filter((l) => startsWithAny(l, HAND_WRITTEN.indexes)),
    trigramIndexes: migrated.indexes.filter((l) => startsWithAny(l, HAND_WRITTEN.trigramIndexes)),
    functions: migrated.functions.filter((l) => HAND_WRITTEN.functions.includes(l)),
    triggers: migrated.triggers.filter((l) => HAND_WRITTEN.triggers.includes(l)),
    constraints: migrated.constraints.filter((l) => startsWithAny(l, HAND_WRITTEN.constraints)),
  };
  assert.equal(handWritten.indexes.length, HAND_WRITTEN.indexes.length, 'every hand-written index exists');
  assert.equal(handWritten.columns.length, HAND_WRITTEN.columns.length, 'every hand-written column exists');
  assert.match(handWritten.indexes[0], /ON public\.article_search USING gin \(vector\)/);
  assert.deepEqual(handWritten.functions, [...HAND_WRITTEN.functions].sort());
  assert.deepEqual(handWritten.triggers, [...HAND_WRITTEN.triggers].sort());
  assert.equal(handWritten.constraints.length, HAND_WRITTEN.constraints.length);
  assert.deepEqual(migrated.extensions, HAND_WRITTEN.extensions, 'the extensions the migrations create');
  assert.deepEqual(expected.extensions, [], 'schema.prisma declares no extension');
  assert.equal(handWritten.trigramIndexes.length, HAND_WRITTEN.trigramIndexes.length, 'every trigram index exists');
  for (const line of handWritten.trigramIndexes) assert.match(line, /USING gin \((mt|approved) gin_trgm_ops\)/);

  assert.deepEqual(
    migrated.columns.filter((l) => !handWritten.columns.includes(l)),
    expected.columns,
    'columns: types, nullability and defaults',
  );
  assert.deepEqual(migrated.enums, expected.enums, 'enums and their values, in order');
  assert.deepEqual(migrated.sequences, expected.sequences);
  assert.deepEqual(
    migrated.indexes.filter((l) => !handWritten.indexes.includes(l) && !handWritten.trigramIndexes.includes(l)),
    expected.indexes,
    'indexes and their definitions',
  );
  assert.deepEqual(
    migrated.constraints.filter((l) => !handWritten.constraints.includes(l)),
    expected.constraints,
    'primary keys, unique and foreign-key constraints (with their ON DELETE rules)',
  );
  assert.deepEqual(
    migrated.functions.filter((l) => !handWritten.functions.includes(l)),
    expected.functions,
  );
  assert.deepEqual(
    migrated.triggers.filter((l) => !handWritten.triggers.includes(l)),
    expected.triggers,
  );
});

test('the audit triggers are installed, fire ALWAYS, and refuse UPDATE, DELETE and TRUNCATE', async () => {
  await withClient(urlOf(names.migrated), async (c) => {
    const { rows } = await c.query<{ tgname: string; tgenabled: string }>(
      `select tgname, tgenabled from pg_trigger where tgrelid = 'audit_events'::regclass and not tgisinternal order by tgname`,
    );
    assert.deepEqual(rows, [
      { tgname: 'audit_events_no_truncate', tgenabled: 'A' },
      { tgname: 'audit_events_no_update_delete', tgenabled: 'A' },
    ]);
    const hash = 'a'.repeat(64);
    await c.query(`insert into audit_events ("actorName", action, entity, "prevHash", hash) values ('system', 'test.event', 'test', $1, $2)`, ['0'.repeat(64), hash]);
    for (const sql of [`update audit_events set action = 'x'`, `delete from audit_events`, `truncate audit_events`]) {
      await assert.rejects(c.query(sql), /audit_events is append-only: (UPDATE|DELETE|TRUNCATE) is not allowed/, sql);
    }
    const { rows: left } = await c.query(`select action from audit_events`);
    assert.deepEqual(left, [{ action: 'test.event' }]);
  });
});

test('article_search follows articles.searchText through the triggers, and only when the text changes', async () => {
  await withClient(urlOf(names.migrated), async (c) => {
    const insert = async (text: string) =>
      (
        await c.query<{ id: number }>(
          `insert into articles ("contentHash", title, "mtTitle", "searchText", "updatedAt") values (md5(random()::text) || md5(random()::text), 'T', 'T', $1, now()) returning id`,
          [text],
        )
      ).rows[0].id;
    const id = await insert('Pandas crossed the river');
    const hits = async (q: string) =>
      (await c.query(`select count(*)::int as n from article_search where "articleId" = $2 and vector @@ websearch_to_tsquery('english', $1)`, [q, id])).rows[0].n;
    const rowVersion = async () => (await c.query(`select xmin::text as v from article_search where "articleId" = $1`, [id])).rows[0].v;
    assert.equal(await hits('panda'), 1);

    // Status changes, and saves that set the same text, leave the search row alone.
    const before = await rowVersion();
    await c.query(`update articles set status = 'approved', "updatedAt" = now() where id = $1`, [id]);
    await c.query(`update articles set "searchText" = 'Pandas crossed the river', version = version + 1 where id = $1`, [id]);
    assert.equal(await rowVersion(), before);

    await c.query(`update articles set "searchText" = 'Storks nested on the roof' where id = $1`, [id]);
    assert.notEqual(await rowVersion(), before);
    assert.equal(await hits('panda'), 0);
    assert.equal(await hits('stork'), 1);

    // A set-based insert gets a row per article; deleting an article deletes its row.
    const { rows: many } = await c.query<{ id: number }>(
      `insert into articles ("contentHash", title, "mtTitle", "searchText", "updatedAt")
       select md5(g::text || random()::text) || md5(g::text), 'T', 'T', 'Herons ' || g, now() from generate_series(1, 3) g returning id`,
    );
    const { rows: [n] } = await c.query(`select count(*)::int as n from article_search where "articleId" = any($1)`, [many.map((r) => r.id)]);
    assert.equal(n.n, 3);
    await c.query(`delete from articles where id = any($1)`, [[id, ...many.map((r) => r.id)]]);
    assert.equal((await c.query(`select count(*)::int as n from article_search`)).rows[0].n, 0);
  });
});

test('the article_search migration fills article_search from the existing vectors and drops the generated column', async () => {
  const sql = readFileSync(path.join(PROJECT_ROOT, 'prisma', 'migrations', '20261204160000_article_search_table', 'migration.sql'), 'utf8');
  await withClient(urlOf(names.migrated), async (c) => {
    await c.query('begin');
    try {
      // The schema before: the vector as a stored generated column with its GIN index.
      await c.query(`drop table article_search; drop function article_search_sync() cascade; drop function article_search_insert_rows() cascade`);
      await c.query(`alter table articles add column "searchVector" tsvector generated always as (to_tsvector('english'::regconfig, "searchText")) stored`);
      await c.query(`create index "articles_search_fts" on articles using gin ("searchVector")`);
      const { rows } = await c.query<{ id: number }>(
        `insert into articles ("contentHash", title, "mtTitle", "searchText", "updatedAt")
         values (md5('a') || md5('b'), 'T', 'T', 'Pandas crossed the river', now()), (md5('c') || md5('d'), 'T', 'T', '', now()) returning id`,
      );
      await c.query(sql);
      const { rows: moved } = await c.query(`select "articleId" as id, vector::text as v from article_search order by "articleId"`);
      assert.deepEqual(moved, [
        { id: rows[0].id, v: "'cross':2 'panda':1 'river':4" },
        { id: rows[1].id, v: '' },
      ]);
      const { rows: gone } = await c.query(`select 1 from information_schema.columns where table_name = 'articles' and column_name = 'searchVector'`);
      assert.equal(gone.length, 0);
    } finally {
      await c.query('rollback');
    }
  });
});

test('glossary terms differing only in case: the unique index refuses them, and its migration stops on existing ones naming them', async () => {
  const sql = readFileSync(path.join(PROJECT_ROOT, 'prisma', 'migrations', '20261203120000_glossary_term_case_insensitive_unique', 'migration.sql'), 'utf8');
  await withClient(urlOf(names.migrated), async (c) => {
    await c.query(`insert into glossary_entries (term, preferred, "updatedAt") values ('Belt and Road', 'x', now())`);
    await assert.rejects(c.query(`insert into glossary_entries (term, preferred, "updatedAt") values ('BELT AND ROAD', 'x', now())`), (err: { code?: string; constraint?: string }) => err.code === '23505' && err.constraint === 'glossary_entries_term_lower_key');

    // A database from before the index, holding duplicates the old check let through.
    await c.query('begin');
    try {
      await c.query('drop index glossary_entries_term_lower_key');
      await c.query(`insert into glossary_entries (term, preferred, "updatedAt") values ('belt and road', 'y', now()), ('Drone', 'x', now()), ('DRONE', 'y', now()), ('unique one', 'z', now())`);
      await assert.rejects(c.query(sql), (err: Error & { hint?: string }) => {
        assert.match(err.message, /^glossary terms differ only in case: 'Belt and Road', 'belt and road' \(entries \d+, \d+\); 'Drone', 'DRONE' \(entries \d+, \d+\)$/);
        assert.match(err.hint ?? '', /Merge or delete the duplicate glossary entries/);
        return true;
      });
    } finally {
      await c.query('rollback');
    }
    // Without duplicates the same SQL applies.
    await c.query('begin');
    try {
      await c.query('drop index glossary_entries_term_lower_key');
      await c.query(sql);
      const { rows } = await c.query(`select indexdef from pg_indexes where indexname = 'glossary_entries_term_lower_key'`);
      assert.match(rows[0].indexdef, /UNIQUE INDEX .* USING btree \(lower\(\(term\)::text\)\)/);
    } finally {
      await c.query('rollback');
    }
    await c.query(`delete from glossary_entries`);
  });
});
