import pg from 'pg';
import { startInProcessServer, login } from './benchServer';
import { round, summarize } from './measure';
import { connect, ensureUser } from './seed';
import { sizesOf } from './sizes';
import type { Bench } from './types';

const STATUSES = ['mt_draft', 'in_edit', 'in_review', 'changes_requested', 'approved', 'exported', 'archived'] as const;

/**
 * Adds `n` articles with SQL: statuses spread evenly, update times over the
 * last 90 days, two paragraphs and an import revision each, a third of them
 * assigned. Then VACUUM ANALYZE, as autovacuum would after such a load.
 */
async function seedList(c: pg.Client, n: number, tag: string, assignees: readonly number[]): Promise<void> {
  await c.query('begin');
  await c.query(
    `insert into articles ("externalId", "contentHash", title, "mtTitle", status, "assigneeId", "editRate", "wordCount", "mtWordCount",
                           "searchText", "publishedAt", "createdAt", "updatedAt")
     select $2 || '-' || g, encode(sha256(convert_to($2 || '-' || g, 'UTF8')), 'hex'),
            'List article ' || g || ': the municipal government launched the special rectification campaign',
            'List article ' || g || ': the municipal government launched the special rectification campaign',
            ($3::text[])[1 + g % 7]::"ArticleStatus",
            case when g % 3 = 0 then ($4::int[])[1 + (g / 3) % cardinality($4::int[])] end,
            (g * 7919 % 1000) / 1000.0, 300 + g % 1200, 300 + g % 1200,
            'List article ' || g, now() - interval '1 day' * (g % 365), now() - interval '1 minute' * g, now() - interval '1 second' * ((g * 7919) % 7776000)
       from generate_series(1, $1::int) g`,
    [n, tag, STATUSES, assignees],
  );
  await c.query(
    `insert into paragraphs ("articleId", position, mt, text)
     select a.id, p, 'Paragraph ' || p || ' of the machine translation of article ' || a.id || '.', 'Paragraph ' || p || ' as edited.'
       from articles a cross join generate_series(0, 1) p where a."externalId" like $1 || '-%'`,
    [tag],
  );
  await c.query(
    `insert into revisions ("articleId", number, "articleVersion", kind, title, paragraphs, diffs, stats)
     select a.id, 1, 1, 'import', a.title, '[]'::jsonb, '{}'::jsonb, '{}'::jsonb from articles a where a."externalId" like $1 || '-%'`,
    [tag],
  );
  await c.query('commit');
  // VACUUM too: autovacuum also vacuums after a bulk insert (autovacuum_vacuum_insert_threshold), which
  // sets the visibility map that lets the count use an index-only scan instead of visiting every row.
  await c.query('vacuum analyze articles');
  await c.query('vacuum analyze paragraphs');
  await c.query('vacuum analyze revisions');
  // The insert trigger wrote each article's search row: left to autovacuum, its vacuum of 140,000 rows and
  // their GIN entries would run during the timed requests. Then a checkpoint, so that the seeding's dirty
  // pages are not written out during the timed requests either.
  await c.query('vacuum analyze article_search');
  await c.query('checkpoint');
}

/**
 * The statements listArticles sends for a status filter and a sort, as
 * unnamed parameterised queries: the same protocol as Prisma's pg adapter
 * (a named prepared statement would skip the planning Prisma pays for).
 */
function rawListQueries(status: string, field: string, dir: 'ASC' | 'DESC'): Array<{ text: string; values: unknown[] }> {
  return [
    {
      text: `SELECT a.id, a."externalId", a.title, a.status::text AS status, a.version, a."assigneeId", u."displayName" AS "assigneeName",
                    a."importBatchId", a."editRate", a."wordCount", a."mtWordCount", a."revisionCount", a."approvedRevisionId",
                    a."sourceLang", a."targetLang", a."publishedAt", a."createdAt", a."updatedAt"
               FROM articles a LEFT JOIN users u ON u.id = a."assigneeId"
              WHERE a.status IN ($1::"ArticleStatus") ORDER BY a."${field}" ${dir}, a.id ${dir} LIMIT $2 OFFSET $3`,
      values: [status, 25, 0],
    },
    { text: `SELECT count(*)::int AS total FROM articles a WHERE a.status IN ($1::"ArticleStatus")`, values: [status] },
  ];
}

/** The requests of one run, the same sequence for both sides: the UI's default sort, and "most edited first". */
function requestPlan(count: number): Array<{ status: string; field: string; dir: 'ASC' | 'DESC' }> {
  const statuses = ['in_edit', 'in_review', 'approved', 'mt_draft'];
  const sorts = [
    { field: 'updatedAt', dir: 'DESC' as const },
    { field: 'editRate', dir: 'DESC' as const },
  ];
  return Array.from({ length: count }, (_, i) => ({ status: statuses[i % statuses.length], ...sorts[Math.floor(i / statuses.length) % sorts.length] }));
}

/**
 * `GET /api/articles` (a page of 25, a status filter, a sort) over HTTP with
 * a session, one request at a time, against the same two statements
 * (page + count, in parallel as the service sends them) on a raw `pg` pool.
 */
export const listBench: Bench = {
  id: 'list',
  needsDb: true,
  async run(ctx) {
    const sizes = sizesOf(ctx);
    const c = await connect(ctx.databaseUrl);
    const reviewer = await ensureUser(c, 'bench-reviewer', 'reviewer');
    const editor = await ensureUser(c, 'bench-editor', 'editor');
    ctx.log(`list: seeding ${sizes.listArticles} articles`);
    await seedList(c, sizes.listArticles, `list-${Date.now()}`, [reviewer, editor]);
    const [{ total }] = (await c.query<{ total: number }>('select count(*)::int as total from articles')).rows;
    await c.end();

    const server = await startInProcessServer(ctx.databaseUrl, ctx.config);
    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: ctx.config.dbPoolSize });
    try {
      const cookie = await login(server.url, 'bench-reviewer');
      const api = async (p: { status: string; field: string; dir: string }) => {
        const qs = new URLSearchParams({ filter: JSON.stringify({ status: p.status }), sort: JSON.stringify([p.field, p.dir]), range: '[0,24]' });
        const res = await fetch(`${server.url}/api/articles?${qs}`, { headers: { cookie } });
        const rows = (await res.json()) as unknown[];
        if (res.status !== 200 || rows.length === 0 || !res.headers.get('content-range')) throw new Error(`list bench: GET /api/articles answered ${res.status}`);
      };
      const raw = async (p: { status: string; field: string; dir: 'ASC' | 'DESC' }) => {
        const [page] = await Promise.all(rawListQueries(p.status, p.field, p.dir).map((q) => pool.query(q)));
        if (page.rows.length === 0) throw new Error('list bench: the raw query found no rows');
      };
      const plan = requestPlan(sizes.listRequests);
      const warm = requestPlan(Math.max(16, Math.floor(sizes.listRequests / 5)));
      for (const p of warm) {
        await api(p);
        await raw(p);
      }
      // Alternating blocks, so a burst of load from elsewhere on the machine hits both sides.
      const ours: number[] = [];
      const theirs: number[] = [];
      const time = async (fn: () => Promise<void>) => {
        const t0 = process.hrtime.bigint();
        await fn();
        return Number(process.hrtime.bigint() - t0) / 1e6;
      };
      for (let i = 0; i < plan.length; i += 10) {
        for (const p of plan.slice(i, i + 10)) ours.push(await time(() => api(p)));
        for (const p of plan.slice(i, i + 10)) theirs.push(await time(() => raw(p)));
      }
      const o = summarize(ours);
      const t = summarize(theirs);
      const ratio = o.p99 / t.p99;
      return {
        id: 'list',
        measure: `GET /api/articles, page of 25, status filter, sort updatedAt or editRate DESC, ${total.toLocaleString('en-US')} articles, one request at a time`,
        baseline: 'the same page and count statements as raw SQL on a pg pool (no HTTP, no session, no JSON)',
        figures: {
          articles: total,
          requests: ours.length,
          median_ms: round(o.median),
          p99_ms: round(o.p99),
          baseline_median_ms: round(t.median),
          baseline_p99_ms: round(t.p99),
          median_ratio: round(o.median / t.median, 2),
        },
        ratio: round(ratio, 2),
        target: 'p99 ≤ 20 ms and ≤ 2× raw (p99 against p99)',
        pass: o.p99 <= 20 && ratio <= 2,
      };
    } finally {
      await pool.end();
      await server.close();
    }
  },
};
