// Several Copydesk instances on one PostgreSQL, as docs/deployment.md runs
// them: two real server processes (and two export commands) on one database,
// once connected directly and once through PgBouncer in transaction pooling
// mode. Saves to the same articles split over both servers lose no update,
// logins spread over both stay within one shared limit, two exports at once
// export each article once, and the audit chain verifies afterwards.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { hashPassword } from '../../server/auth/passwords';
import { assertAuditChain } from '../helpers/audit';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { makeArticle } from '../helpers/factories';
import { pgbouncerBinary, startPgBouncer, type Pooler } from '../helpers/pgbouncer';
import { spawnServer, type ServerProcess } from '../helpers/server';
import { removeDir, runScript, spawnScript, stopAll } from '../helpers/spawn';

const ADMIN_PASSWORD = 'two instances admin password';
const LIMIT = 5;
const ARTICLES = 6;
const WRITERS = 8;
const EXPORTED = 40;

after(async () => {
  await stopAll();
});

interface Instances {
  tdb: TestDatabase;
  servers: ServerProcess[];
  /** What the app connects with: the database directly, or PgBouncer. */
  appUrl: string;
  /** Environment for commands (export, audit), as on an app host. */
  env: Record<string, string>;
}

async function startInstances(tdb: TestDatabase, pooler: Pooler | undefined): Promise<Instances> {
  const appUrl = pooler ? pooler.url(tdb.url) : tdb.url;
  // Migrations run against PostgreSQL itself, never through the pooler.
  const migrate: Record<string, string> = pooler ? { COPYDESK_MIGRATE_DATABASE_URL: tdb.url } : {};
  const env: Record<string, string> = { DATABASE_URL: appUrl, ...migrate };
  const serverEnv = {
    ...migrate,
    LOG_LEVEL: 'warn',
    COPYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    COPYDESK_TRUST_PROXY: 'true',
    COPYDESK_LOGIN_LIMIT_PER_USER: String(LIMIT),
    COPYDESK_LOGIN_LIMIT_PER_IP: '1000',
    COPYDESK_DB_POOL_SIZE: '5',
  };
  const servers = await Promise.all([spawnServer(appUrl, serverEnv), spawnServer(appUrl, serverEnv)]);
  return { tdb, servers, appUrl, env };
}

const post = (s: ServerProcess, p: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${s.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.1', ...headers }, body: JSON.stringify(body) });

async function loginCookie(s: ServerProcess, username: string, password: string): Promise<string> {
  const res = await post(s, '/api/auth/login', { username, password });
  assert.equal(res.status, 200, `login as ${username} on ${s.url}: ${await res.text()}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

async function scenario(x: Instances): Promise<void> {
  const { tdb, servers } = x;
  const admins = await tdb.query<{ n: number }>(`select count(*)::int as n from users where role = 'admin'`);
  assert.equal(admins.rows[0].n, 1, 'two instances starting at once create one first admin');

  // A session made on one instance is valid on the other (sessions live in PostgreSQL).
  const cookie = await loginCookie(servers[0], 'admin', ADMIN_PASSWORD);

  // Saves: WRITERS concurrent saves of each article at the same version, alternating between the instances.
  const articles: Array<{ id: number }> = [];
  for (let i = 0; i < ARTICLES; i++) articles.push(await makeArticle(tdb.db, { title: `Shared ${i} ${Date.now()}`, paragraphs: ['Original text.'] }));
  for (const round of [1, 2]) {
    const results: Array<{ id: number; status: number; text: string }> = await Promise.all(
      articles.flatMap((a) =>
        Array.from({ length: WRITERS }, async (_, w) => {
          const text = `Round ${round}, writer ${w} of article ${a.id}.`;
          const res = await fetch(`${servers[w % 2].url}/api/articles/${a.id}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', cookie },
            body: JSON.stringify({ version: round, paragraphs: [{ index: 0, text }] }),
          });
          return { id: a.id, status: res.status, text };
        }),
      ),
    );
    for (const a of articles) {
      const mine: Array<{ id: number; status: number; text: string }> = results.filter((r) => r.id === a.id);
      const won = mine.filter((r) => r.status === 200);
      assert.equal(won.length, 1, `round ${round}, article ${a.id}: exactly one save wins (${mine.map((r) => r.status).join(',')})`);
      assert.equal(mine.filter((r) => r.status === 409).length, WRITERS - 1, 'the others get version_conflict');
      const row = await tdb.query<{ version: number; revisionCount: number; text: string }>(
        `select a.version, a."revisionCount", p.text from articles a join paragraphs p on p."articleId" = a.id and p.position = 0 where a.id = $1`,
        [a.id],
      );
      assert.deepEqual(row.rows[0], { version: round + 1, revisionCount: round + 1, text: won[0].text }, 'the winner is what is stored');
    }
  }
  const revisions = await tdb.query<{ n: number }>(`select count(*)::int as n from revisions where "articleId" = any($1::int[])`, [articles.map((a) => a.id)]);
  assert.equal(revisions.rows[0].n, ARTICLES * 3, 'import + one revision per round per article');

  // Logins: a parallel burst of wrong passwords over both instances reaches the password check LIMIT times in total.
  await tdb.db.user.create({ data: { username: 'wanda', displayName: 'Wanda', role: 'editor', passwordHash: await hashPassword('wanda password') } });
  const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => post(servers[i % 2], '/api/auth/login', { username: 'wanda', password: `guess ${i}` }, { 'x-forwarded-for': `198.51.100.${i % 9}` })));
  const statuses = burst.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 401).length, LIMIT, `one limit for both instances: ${statuses.join(',')}`);
  assert.equal(statuses.filter((s) => s === 429).length, 40 - LIMIT);

  // Exports: two export commands at once (one per app host) export each approved article exactly once.
  const adminId = (await tdb.db.user.findFirstOrThrow({ where: { username: 'admin' } })).id;
  const approved: number[] = [];
  for (let i = 0; i < EXPORTED; i++) approved.push((await makeArticle(tdb.db, { title: `Approved ${i} ${Date.now()}`, status: 'approved', approvedById: adminId })).id);
  const outs = [mkdtempSync(path.join(tmpdir(), 'copydesk-export-a-')), mkdtempSync(path.join(tmpdir(), 'copydesk-export-b-'))];
  try {
    const runs = await Promise.all(outs.map((out) => spawnScript('scripts/export.ts', ['--out', out, '--json'], { env: x.env, input: '' }).exited));
    const reports = runs.map((r, i) => {
      assert.equal(r.code, 0, `export ${i} exits 0:\n${r.output}`);
      return JSON.parse(r.stdout) as { exported: Array<{ articleId: number }>; batchId: number | null };
    });
    const ids = reports.flatMap((r) => r.exported.map((e) => e.articleId)).sort((a, b) => a - b);
    assert.deepEqual(ids, [...approved].sort((a, b) => a - b), 'every approved article exported by exactly one of the two');
    const items = await tdb.query<{ articleId: number; n: number }>(`select "articleId", count(*)::int as n from export_items group by "articleId" having count(*) <> 1`);
    assert.deepEqual(items.rows, [], 'one export item per article');
    const events = await tdb.query<{ n: number }>(`select count(*)::int as n from audit_events where action = 'article.export'`);
    assert.equal(events.rows[0].n, EXPORTED, 'one article.export event per article');
    const files = outs.flatMap((o) => readdirSync(o).filter((f) => f !== 'manifest.json' && !f.startsWith('.')));
    assert.equal(files.length, EXPORTED, 'one file per article over both folders');
  } finally {
    for (const o of outs) removeDir(o);
  }

  // Imports: the same folder imported by two commands at once creates each article once (unique identity, ON CONFLICT).
  const folder = mkdtempSync(path.join(tmpdir(), 'copydesk-import-twice-'));
  try {
    const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify({ externalId: `twice-${i}`, title: `Imported twice ${i}`, paragraphs: [`Body ${i}.`] }));
    writeFileSync(path.join(folder, 'a.ndjson'), lines.slice(0, 6).join('\n') + '\n');
    writeFileSync(path.join(folder, 'b.ndjson'), lines.slice(6).join('\n') + '\n');
    const imports = await Promise.all([0, 1].map(() => spawnScript('scripts/import.ts', [folder], { env: x.env, input: '' }).exited));
    for (const r of imports) assert.equal(r.code, 0, `import exits 0:\n${r.output}`);
    const imported = await tdb.query<{ n: number; distinct: number }>(`select count(*)::int as n, count(distinct "externalId")::int as distinct from articles where "externalId" like 'twice-%'`);
    assert.deepEqual(imported.rows[0], { n: 12, distinct: 12 }, 'each imported article exists once');
  } finally {
    removeDir(folder);
  }

  // The audit chain is intact: re-hashed here, and by the command an operator runs.
  await assertAuditChain(tdb);
  const verify = await runScript('scripts/audit.ts', ['verify'], { env: x.env });
  assert.equal(verify.code, 0, verify.output);
  assert.match(verify.stdout, /Audit chain intact/);
}

describe('two instances on one database', () => {
  test('connected directly', async () => {
    const tdb = await createTestDatabase();
    try {
      await scenario(await startInstances(tdb, undefined));
    } finally {
      await stopAll();
      await tdb.drop();
    }
  });

  test('through PgBouncer in transaction pooling mode', { skip: pgbouncerBinary() ? false : 'PgBouncer is not installed (apt-get install -y pgbouncer)' }, async () => {
    const tdb = await createTestDatabase();
    // A small server pool: far fewer PostgreSQL connections than the clients hold, so connections really are shared.
    const pooler = await startPgBouncer(tdb.url, { poolSize: 4 });
    try {
      await scenario(await startInstances(tdb, pooler));
    } catch (err) {
      throw new Error(`${(err as Error).message}\nPgBouncer log:\n${pooler.log().slice(-4000)}`, { cause: err });
    } finally {
      await stopAll();
      await pooler.stop();
      await tdb.drop();
    }
  });
});
