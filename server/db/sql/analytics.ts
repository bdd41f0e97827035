// The statements of post-edit analytics (server/services/analytics.ts):
// aggregates over the revisions people wrote, and the approved revisions'
// diffs against the MT that recurring corrections are mined from. The
// service scopes and shapes the figures; this module only says them in SQL.
import { Prisma, type Db } from '../client';
import { decodeJson, revisionMtDiffs } from '../json';
import { arrayOf, int, json, nullable, num, rowDecoder, selectRows, text, type RowOf } from './rows';
import { humanAuthoredKindLiteralSql } from './revisionKinds';

/** Revision kinds written by people (the one rule of shared/revisionKinds.ts): the ones post-edit analytics count. */
const AUTHORED = humanAuthoredKindLiteralSql(Prisma.sql`r.kind`);

/** Whose work the figures cover: everyone's, or one author's. */
export type AnalyticsScope = { authorId: number } | null;

const mineSql = (scope: AnalyticsScope) => (scope ? Prisma.sql`AND r."authorId" = ${scope.authorId}` : Prisma.empty);

const distributionRow = { n: int, mean: nullable(num), median: nullable(num), p90: nullable(num), buckets: arrayOf(int) };
const decodeDistribution = rowDecoder('analytics.editRateDistribution', distributionRow);

/**
 * The current edit rate of the articles people edited (in `scope`): count,
 * mean, median, 90th percentile, and a count per bucket of `bounds` (upper
 * bounds; the first bucket starts at 0, one more open bucket follows the last).
 */
export async function editRateDistribution(db: Db, scope: AnalyticsScope, bounds: readonly number[]): Promise<RowOf<typeof distributionRow>> {
  const bucketSql = bounds.map((to, i) =>
    i === 0 ? Prisma.sql`count(*) FILTER (WHERE a."editRate" < ${to})::int` : Prisma.sql`count(*) FILTER (WHERE a."editRate" >= ${bounds[i - 1]} AND a."editRate" < ${to})::int`,
  );
  bucketSql.push(Prisma.sql`count(*) FILTER (WHERE a."editRate" >= ${bounds[bounds.length - 1]})::int`);
  const [row] = await selectRows(
    db,
    Prisma.sql`
    WITH touched AS (SELECT DISTINCT r."articleId" FROM revisions r WHERE ${AUTHORED} ${mineSql(scope)})
    SELECT count(*)::int AS n, avg(a."editRate")::float8 AS mean,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY a."editRate")::float8 AS median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY a."editRate")::float8 AS p90,
           ARRAY[${Prisma.join(bucketSql)}] AS buckets
      FROM articles a JOIN touched t ON t."articleId" = a.id`,
    decodeDistribution,
  );
  return row;
}

const editorRow = {
  userId: int,
  username: text,
  displayName: text,
  articlesTouched: int,
  revisions: int,
  wordsInserted: int,
  wordsDeleted: int,
  wordsSubstituted: int,
  wordsEdited: int,
  avgEditRate: nullable(num),
};
const decodeEditor = rowDecoder('analytics.editorEffort', editorRow);
export type EditorEffortRow = RowOf<typeof editorRow>;

/** Per editor (in `scope`): articles touched, revisions, words edited against the previous revision, and the mean edit rate of their latest revision per article. */
export async function editorEffort(db: Db, scope: AnalyticsScope): Promise<EditorEffortRow[]> {
  return selectRows(
    db,
    Prisma.sql`
    WITH mine AS (SELECT r.* FROM revisions r WHERE ${AUTHORED} AND r."authorId" IS NOT NULL ${mineSql(scope)}),
    latest AS (
      SELECT DISTINCT ON (m."authorId", m."articleId") m."authorId", m."editRate"
        FROM mine m ORDER BY m."authorId", m."articleId", m.number DESC
    ),
    rates AS (SELECT "authorId", avg("editRate")::float8 AS avg FROM latest GROUP BY "authorId"),
    effort AS (
      SELECT m."authorId",
             count(DISTINCT m."articleId")::int AS "articlesTouched",
             count(*)::int AS revisions,
             coalesce(sum((m.stats->'prev'->>'inserted')::int), 0)::int AS "wordsInserted",
             coalesce(sum((m.stats->'prev'->>'deleted')::int), 0)::int AS "wordsDeleted",
             coalesce(sum((m.stats->'prev'->>'substituted')::int), 0)::int AS "wordsSubstituted"
        FROM mine m GROUP BY m."authorId"
    )
    SELECT u.id AS "userId", u.username, u."displayName", e."articlesTouched", e.revisions,
           e."wordsInserted", e."wordsDeleted", e."wordsSubstituted",
           (e."wordsInserted" + e."wordsDeleted" + e."wordsSubstituted")::int AS "wordsEdited",
           rates.avg AS "avgEditRate"
      FROM effort e JOIN users u ON u.id = e."authorId" LEFT JOIN rates ON rates."authorId" = e."authorId"
     ORDER BY "wordsEdited" DESC, u.username ASC`,
    decodeEditor,
  );
}

const weekRow = { week: text, start: text, revisions: int, meanEditRate: nullable(num), articlesApproved: int };
const decodeWeek = rowDecoder('analytics.weeklyTrend', weekRow);
export type WeekRow = RowOf<typeof weekRow>;

/**
 * The last `weeks` ISO weeks (Monday 00:00 UTC), oldest first: revisions
 * people wrote (in `scope`), their mean edit rate, and the articles approved
 * (in scope 'self': of the articles the author edited).
 */
export async function weeklyTrend(db: Db, scope: AnalyticsScope, weeks: number): Promise<WeekRow[]> {
  const mine = mineSql(scope);
  const approvedScope = scope ? Prisma.sql`AND s."articleId" IN (SELECT DISTINCT r."articleId" FROM revisions r WHERE ${AUTHORED} ${mine})` : Prisma.empty;
  return selectRows(
    db,
    Prisma.sql`
    WITH weeks AS (
      SELECT generate_series(date_trunc('week', now() AT TIME ZONE 'UTC') - ${weeks - 1} * interval '1 week',
                             date_trunc('week', now() AT TIME ZONE 'UTC'), interval '1 week') AS wk
    ),
    revs AS (
      SELECT date_trunc('week', r."createdAt" AT TIME ZONE 'UTC') AS wk, count(*)::int AS n, avg(r."editRate")::float8 AS rate
        FROM revisions r WHERE ${AUTHORED} ${mine}
         AND r."createdAt" >= (date_trunc('week', now() AT TIME ZONE 'UTC') - ${weeks - 1} * interval '1 week') AT TIME ZONE 'UTC'
       GROUP BY 1
    ),
    approvals AS (
      SELECT date_trunc('week', s."createdAt" AT TIME ZONE 'UTC') AS wk, count(DISTINCT s."articleId")::int AS n
        FROM status_changes s WHERE s."toStatus" = 'approved'::"ArticleStatus" ${approvedScope}
         AND s."createdAt" >= (date_trunc('week', now() AT TIME ZONE 'UTC') - ${weeks - 1} * interval '1 week') AT TIME ZONE 'UTC'
       GROUP BY 1
    )
    SELECT to_char(w.wk, 'IYYY-"W"IW') AS week, to_char(w.wk, 'YYYY-MM-DD') AS start,
           coalesce(revs.n, 0)::int AS revisions, revs.rate AS "meanEditRate", coalesce(approvals.n, 0)::int AS "articlesApproved"
      FROM weeks w LEFT JOIN revs ON revs.wk = w.wk LEFT JOIN approvals ON approvals.wk = w.wk
     ORDER BY w.wk ASC`,
    decodeWeek,
  );
}

const decodeApprovedRow = rowDecoder('analytics.approvedMtDiffs', { id: int, revisionId: int, mt: json });

/**
 * Up to `take` articles after `cursor` (by id) that have an approved
 * revision, each with that revision's paragraph diffs against the MT (null
 * for a paragraph without one). Only those diffs leave the database, not the
 * diffs against the previous revision.
 */
export async function approvedMtDiffs(db: Db, cursor: number, take: number) {
  const rows = await selectRows(
    db,
    Prisma.sql`
      SELECT a.id, r.id AS "revisionId",
             (SELECT jsonb_agg(p.value->'mt' ORDER BY p.ordinality)
                FROM jsonb_array_elements(r.diffs->'paragraphs') WITH ORDINALITY AS p) AS mt
        FROM articles a JOIN revisions r ON r.id = a."approvedRevisionId"
       WHERE a.id > ${cursor}
       ORDER BY a.id
       LIMIT ${take}`,
    decodeApprovedRow,
  );
  return rows.map((r) => ({ id: r.id, mt: decodeJson(revisionMtDiffs, r.mt, r.revisionId) ?? [] }));
}
