import pg from 'pg';
import { hashPassword } from '../../server/auth/passwords';
import { buildRevisionData, contentHash, searchTextOf } from '../../server/services/revisionData';
import type { CorpusArticle } from './corpus';

/** The password of the users the benches create. */
export const BENCH_PASSWORD = 'bench-password-0123';

/** A connected `pg` client on the bench database; end it when done. */
export async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/** Creates (or reuses) an active user with BENCH_PASSWORD; returns its id. */
export async function ensureUser(c: pg.Client, username: string, role: 'editor' | 'reviewer' | 'admin'): Promise<number> {
  const found = await c.query<{ id: number }>('select id from users where username = $1', [username]);
  if (found.rows[0]) return found.rows[0].id;
  const hash = await hashPassword(BENCH_PASSWORD);
  const r = await c.query<{ id: number }>(
    `insert into users (username, "displayName", role, "passwordHash", "updatedAt") values ($1, $2, $3::"Role", $4, now()) returning id`,
    [username, username, role, hash],
  );
  return r.rows[0].id;
}

export interface SeedOptions {
  status: 'mt_draft' | 'in_edit' | 'approved';
  /** For `approved`: the approver. */
  approvedById?: number;
  /** Makes the articles' identity (externalId, contentHash) distinct from other benches' copies of the corpus. */
  tag: string;
}

/**
 * Inserts articles as an import would leave them (article, paragraphs, an
 * `import` revision 1 with its real diffs and stats), a few hundred per
 * statement; approved ones pin revision 1. Returns the ids in order.
 */
export async function seedArticles(c: pg.Client, articles: readonly CorpusArticle[], opts: SeedOptions): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < articles.length; i += 250) {
    const chunk = articles.slice(i, i + 250).map((a) => {
      const data = buildRevisionData(null, a, a);
      return {
        externalId: `${opts.tag}-${a.externalId}`,
        contentHash: contentHash(`${opts.tag} ${a.title}`, a.paragraphs),
        title: a.title,
        searchText: searchTextOf(a),
        words: data.stats.mt.words,
        paragraphs: a.paragraphs,
        diffs: data.diffs,
        stats: data.stats,
      };
    });
    await c.query('begin');
    const inserted = await c.query<{ id: number; externalId: string }>(
      `insert into articles ("externalId", "contentHash", title, "mtTitle", status, "searchText", "mtWordCount", "wordCount", "publishedAt", "updatedAt")
       select x."externalId", x."contentHash", x.title, x.title, $2::"ArticleStatus", x."searchText", x.words, x.words, now(), now()
         from jsonb_to_recordset($1::jsonb) as x("externalId" text, "contentHash" text, title text, "searchText" text, words int)
       returning id, "externalId"`,
      [JSON.stringify(chunk.map(({ paragraphs: _p, diffs: _d, stats: _s, ...rest }) => rest)), opts.status],
    );
    const idOf = new Map(inserted.rows.map((r) => [r.externalId, r.id]));
    const chunkIds = chunk.map((a) => idOf.get(a.externalId)!);
    const rows = chunk.map((a, j) => ({ id: chunkIds[j], ...a }));
    await c.query(
      `insert into paragraphs ("articleId", position, mt, text)
       select x.id, (p.n - 1)::int, p.t, p.t
         from jsonb_to_recordset($1::jsonb) as x(id int, paragraphs jsonb)
         cross join lateral jsonb_array_elements_text(x.paragraphs) with ordinality as p(t, n)`,
      [JSON.stringify(rows.map((r) => ({ id: r.id, paragraphs: r.paragraphs })))],
    );
    const revs = await c.query<{ id: number; articleId: number }>(
      `insert into revisions ("articleId", number, "articleVersion", kind, title, paragraphs, diffs, stats)
       select x.id, 1, 1, 'import', x.title, x.paragraphs, x.diffs, x.stats
         from jsonb_to_recordset($1::jsonb) as x(id int, title text, paragraphs jsonb, diffs jsonb, stats jsonb)
       returning id, "articleId"`,
      [JSON.stringify(rows.map((r) => ({ id: r.id, title: r.title, paragraphs: r.paragraphs, diffs: r.diffs, stats: r.stats })))],
    );
    if (opts.status === 'approved') {
      await c.query(
        `update articles a set "approvedRevisionId" = r.id, "approvedById" = $3, "approvedAt" = now()
           from unnest($1::int[], $2::int[]) as r(id, "articleId") where a.id = r."articleId"`,
        [revs.rows.map((r) => r.id), revs.rows.map((r) => r.articleId), opts.approvedById ?? null],
      );
    }
    await c.query('commit');
    ids.push(...chunkIds);
  }
  return ids;
}
