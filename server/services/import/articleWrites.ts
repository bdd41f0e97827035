/** The statements that write imported articles: lookup, bulk insert, MT update. */
import { Prisma, type Db, type SqlTx } from '../../db/client';
import { editedByPersonSql, humanAuthoredKindSql } from '../../db/sql/revisionKinds';
import type { ParagraphDiff } from '../../../shared/textDiff';
import { buildRevisionData, searchTextOf, type RevisionData } from '../revisionData';
import { classifyArticle, type Decision, type KnownArticle, type KnownStatus } from './classifyArticle';
import { type ParsedArticle } from './types';
import { type RunContext } from './runContext';

/** An incoming article with its identity computed. */
export interface Incoming {
  article: ParsedArticle;
  hash: string;
}

export interface Lookup {
  byExt: Map<string, KnownArticle>;
  byHash: Map<string, KnownArticle>;
}

interface KnownRow {
  id: number;
  externalId: string | null;
  contentHash: string;
  status: KnownStatus;
  revisionCount: number;
  edited: boolean;
}

/** The existing articles with any of these externalIds or content hashes, in one query. */
export async function lookupKnown(db: SqlTx, items: readonly Incoming[]): Promise<Lookup> {
  const ext = items.flatMap((i) => (i.article.externalId !== undefined ? [i.article.externalId] : []));
  const hashes = items.map((i) => i.hash);
  // Each key column gets its own `= any(…)` so both unique indexes are used (an OR of the two
  // scans the table), contentHash compared as char(64) like the column, and the revision check
  // runs per found article (LATERAL … LIMIT 1) on the (articleId, number) index.
  const rows =
    items.length === 0
      ? []
      : await db.$queryRaw<KnownRow[]>`
    select a.id, a."externalId", a."contentHash", a.status::text as status, a."revisionCount", e.edited is not null as edited
      from articles a
      left join lateral (
        select true as edited from revisions r where r."articleId" = a.id and ${humanAuthoredKindSql(Prisma.sql`r.kind`)} limit 1
      ) e on true
     where a.id in (
       select id from articles where "externalId" = any (array(select jsonb_array_elements_text(${JSON.stringify(ext)}::jsonb)))
       union all
       select id from articles where "contentHash" = any (array(select jsonb_array_elements_text(${JSON.stringify(hashes)}::jsonb)::char(64)))
     )`;
  const out: Lookup = { byExt: new Map(), byHash: new Map() };
  for (const row of rows) {
    const known: KnownArticle = { ...row, revisionCount: Number(row.revisionCount) };
    if (row.externalId !== null) out.byExt.set(row.externalId, known);
    out.byHash.set(row.contentHash, known);
  }
  return out;
}

/** The article row fields written on import and on an MT update. */
function articleFields(item: Incoming, rev: RevisionData) {
  const a = item.article;
  return {
    externalId: a.externalId ?? null,
    contentHash: item.hash,
    title: a.title,
    sourceTitle: a.source?.title ?? null,
    sourceLang: a.sourceLang ?? null,
    targetLang: a.targetLang ?? null,
    publishedAt: a.publishedAt ? a.publishedAt.toISOString() : null,
    metadata: a.metadata,
    mtWordCount: rev.stats.mt.mtWords,
    wordCount: rev.stats.mt.words,
    searchText: searchTextOf(a),
    paragraphs: a.paragraphs,
    sources: a.source?.paragraphs ?? null,
    codes: a.details ? a.details.map((d) => d.codes) : null,
    metas: a.details ? a.details.map((d) => d.meta) : null,
    diffs: rev.diffs,
    stats: rev.stats,
    editRate: rev.editRate,
    wordsInserted: rev.wordsInserted,
    wordsDeleted: rev.wordsDeleted,
    wordsSubstituted: rev.wordsSubstituted,
  };
}

const identical = (d: ParagraphDiff, text: string): boolean => !d.truncated && d.parts.length === 1 && d.parts[0].op === 'eq' && d.parts[0].text === text && Object.keys(d.parts[0]).length === 2;

/** True when the diffs only say that every text equals the MT and there is no previous revision. */
function isIdentityDiff(rev: RevisionData, mt: { title: string; paragraphs: readonly string[] }): boolean {
  const { title, paragraphs } = rev.diffs;
  return title.prev === null && identical(title.mt, mt.title) && paragraphs.every((p, i) => p.prev === null && identical(p.mt, mt.paragraphs[i]));
}

/**
 * Inserts new articles with their paragraphs, revision 1 and status change in one statement.
 * Returns, by content hash, the rows actually inserted: an article a concurrent import
 * committed first is left out (ON CONFLICT DO NOTHING on the unique externalId / contentHash).
 */
export async function insertArticles(ctx: RunContext, tx: SqlTx, items: readonly Incoming[]): Promise<Map<string, { articleId: number; revisionId: number }>> {
  const out = new Map<string, { articleId: number; revisionId: number }>();
  if (items.length === 0) return out;
  // The payload is what the database parses, so text is not sent three times: searchText is
  // derived in SQL exactly as searchTextOf does, and diffs that only say "identical to the MT"
  // (always, for revision 1) are rebuilt in SQL. The service tests compare both with the
  // TypeScript originals.
  const rows = items.map((item, k) => {
    const mt = { title: item.article.title, paragraphs: item.article.paragraphs };
    const rev = buildRevisionData(null, mt, mt);
    const { searchText: _derived, ...fields } = articleFields(item, rev);
    return { k, ...fields, diffs: isIdentityDiff(rev, mt) ? null : rev.diffs };
  });
  const note = ctx.batchId === null ? null : `import batch #${ctx.batchId}`;
  const result = await tx.$queryRaw<Array<{ contentHash: string; articleId: number; revisionId: number }>>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
        k int, "externalId" text, "contentHash" text, title text, "sourceTitle" text, "sourceLang" text, "targetLang" text,
        "publishedAt" timestamptz, metadata jsonb, "mtWordCount" int, "wordCount" int,
        paragraphs jsonb, sources jsonb, codes jsonb, metas jsonb, diffs jsonb, stats jsonb, "editRate" float8,
        "wordsInserted" int, "wordsDeleted" int, "wordsSubstituted" int)
    ), ins as (
      insert into articles ("externalId", "contentHash", title, "mtTitle", "sourceTitle", status, version, "sourceLang", "targetLang",
                            "publishedAt", metadata, "importBatchId", "revisionCount", "mtWordCount", "wordCount", "editRate", "searchText")
      select "externalId", "contentHash", title, title, "sourceTitle", 'mt_draft'::"ArticleStatus", 1, "sourceLang", "targetLang",
             "publishedAt", metadata, ${ctx.batchId}::int, 1, "mtWordCount", "wordCount", 0,
             title || E'\n' || (select string_agg(t.value, E'\n' order by t.ord) from jsonb_array_elements_text(paragraphs) with ordinality as t(value, ord))
        from input order by k
      on conflict do nothing
      returning id, "contentHash"
    ), added as (
      select ins.id, input.* from ins join input using ("contentHash")
    ), paras as (
      insert into paragraphs ("articleId", position, mt, text, source, codes, meta)
      select added.id, (p.ord - 1)::int, p.value, p.value, added.sources ->> (p.ord - 1)::int,
             nullif(added.codes -> (p.ord - 1)::int, 'null'::jsonb), nullif(added.metas -> (p.ord - 1)::int, 'null'::jsonb)
        from added cross join lateral jsonb_array_elements_text(added.paragraphs) with ordinality as p(value, ord)
    ), revs as (
      insert into revisions ("articleId", number, "articleVersion", kind, "authorId", title, paragraphs, diffs, stats,
                             "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted")
      select id, 1, 1, 'import'::"RevisionKind", ${ctx.actor.id}::int, title, paragraphs,
             coalesce(diffs, jsonb_build_object(
               'title', jsonb_build_object('prev', null, 'mt', jsonb_build_object('parts', jsonb_build_array(jsonb_build_object('op', 'eq', 'text', title)), 'truncated', false)),
               'paragraphs', (select jsonb_agg(jsonb_build_object('prev', null, 'mt', jsonb_build_object('parts', jsonb_build_array(jsonb_build_object('op', 'eq', 'text', t.value)), 'truncated', false)) order by t.ord)
                                from jsonb_array_elements_text(paragraphs) with ordinality as t(value, ord)))),
             stats, "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted"
        from added
      returning id, "articleId"
    ), changes as (
      insert into status_changes ("articleId", "fromStatus", "toStatus", "actorId", note, "revisionId")
      select "articleId", null, 'mt_draft'::"ArticleStatus", ${ctx.actor.id}::int, ${note}::text, id from revs
    )
    select added."contentHash", added.id as "articleId", revs.id as "revisionId" from added join revs on revs."articleId" = added.id`;
  for (const r of result) out.set(r.contentHash, { articleId: r.articleId, revisionId: r.revisionId });
  return out;
}

/**
 * Replaces the MT text of an untouched draft: locks the article, checks again that no editor
 * touched it meanwhile, replaces its paragraphs, records revision n+1 (kind mt_update) and bumps
 * the version. Returns the new decision instead when the article changed since classification.
 */
export async function updateArticle(
  ctx: RunContext,
  tx: SqlTx,
  item: Incoming,
  articleId: number,
): Promise<{ revisionId: number; number: number } | { decision: Decision }> {
  const [locked] = await tx.$queryRaw<Array<KnownRow & { version: number; title: string }>>`
    select id, "externalId", "contentHash", status::text as status, "revisionCount", version, title, false as edited
      from articles where id = ${articleId} for update`;
  if (!locked) return { decision: { action: 'conflict', articleId, reason: `article #${articleId} was deleted while importing` } };
  // A separate statement, so its snapshot includes revisions committed before we got the lock.
  const [current] = await tx.$queryRaw<Array<{ edited: boolean; paragraphs: string[]; unitIds: string[] }>>`
    select ${editedByPersonSql(Prisma.sql`${articleId}::int`)} as edited,
           coalesce((select jsonb_agg(p.text order by p.position) from paragraphs p where p."articleId" = ${articleId}), '[]'::jsonb) as paragraphs,
           coalesce((select jsonb_agg(p.meta ->> 'unitId') from paragraphs p where p."articleId" = ${articleId} and p.meta ? 'unitId'), '[]'::jsonb) as "unitIds"`;
  const known: KnownArticle = { ...locked, revisionCount: Number(locked.revisionCount), edited: current.edited };
  const again = classifyArticle({ externalId: item.article.externalId, contentHash: item.hash }, known, undefined);
  if (again.action !== 'update') return { decision: again };
  const unrelated = unrelatedConflict(item, articleId, current.unitIds);
  if (unrelated) return { decision: unrelated };

  const mt = { title: item.article.title, paragraphs: item.article.paragraphs };
  const rev = buildRevisionData({ title: locked.title, paragraphs: current.paragraphs }, mt, mt);
  const fields = articleFields(item, rev);
  const number = known.revisionCount + 1;
  const version = locked.version + 1;
  await tx.$executeRaw`delete from paragraphs where "articleId" = ${articleId}`;
  const [written] = await tx.$queryRaw<Array<{ revisionId: number }>>`
    with input as (
      select * from jsonb_to_record(${JSON.stringify(fields)}::jsonb) as x(
        "contentHash" text, title text, "sourceTitle" text, "sourceLang" text, "targetLang" text, "publishedAt" timestamptz,
        metadata jsonb, "mtWordCount" int, "wordCount" int, "searchText" text, paragraphs jsonb, sources jsonb,
        codes jsonb, metas jsonb, diffs jsonb, stats jsonb, "editRate" float8, "wordsInserted" int, "wordsDeleted" int, "wordsSubstituted" int)
    ), paras as (
      insert into paragraphs ("articleId", position, mt, text, source, codes, meta)
      select ${articleId}::int, (p.ord - 1)::int, p.value, p.value, input.sources ->> (p.ord - 1)::int,
             nullif(input.codes -> (p.ord - 1)::int, 'null'::jsonb), nullif(input.metas -> (p.ord - 1)::int, 'null'::jsonb)
        from input cross join lateral jsonb_array_elements_text(input.paragraphs) with ordinality as p(value, ord)
    ), rev as (
      insert into revisions ("articleId", number, "articleVersion", kind, "authorId", title, paragraphs, diffs, stats,
                             "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted")
      select ${articleId}::int, ${number}::int, ${version}::int, 'mt_update'::"RevisionKind", ${ctx.actor.id}::int, title, paragraphs, diffs, stats,
             "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted"
        from input
      returning id
    ), art as (
      update articles a
         set title = input.title, "mtTitle" = input.title, "contentHash" = input."contentHash", "sourceTitle" = input."sourceTitle",
             "sourceLang" = input."sourceLang", "targetLang" = input."targetLang", "publishedAt" = input."publishedAt",
             metadata = input.metadata, "importBatchId" = ${ctx.batchId}::int, version = ${version}::int,
             "revisionCount" = ${number}::int, "mtWordCount" = input."mtWordCount", "wordCount" = input."wordCount",
             "editRate" = 0, "searchText" = input."searchText", "updatedAt" = now()
        from input
       where a.id = ${articleId}::int
    )
    select rev.id as "revisionId" from rev`;
  return { revisionId: written.revisionId, number };
}

const unitIdsOf = (item: Incoming): string[] => item.article.details?.flatMap((d) => (d.meta?.unitId !== undefined ? [d.meta.unitId] : [])) ?? [];

function unrelatedConflict(item: Incoming, articleId: number, before: readonly string[]): Decision | undefined {
  const why = differentDocument(before, unitIdsOf(item));
  if (!why) return undefined;
  return { action: 'conflict', articleId, reason: `article #${articleId} has this file's identity (externalId "${item.article.externalId}"), but ${why}; it looks like another document, so it was left unchanged (rename the file to import it as a new article)` };
}

/** For a dry run: the conflict an update of `articleId` would meet because the file is another document, if any. */
export async function sameDocument(db: Db | SqlTx, item: Incoming, articleId: number): Promise<Decision | undefined> {
  if (unitIdsOf(item).length === 0) return undefined;
  const [row] = await db.$queryRaw<Array<{ unitIds: string[] }>>`
    select coalesce(jsonb_agg(p.meta ->> 'unitId'), '[]'::jsonb) as "unitIds" from paragraphs p where p."articleId" = ${articleId} and p.meta ? 'unitId'`;
  return unrelatedConflict(item, articleId, row?.unitIds ?? []);
}

/**
 * Why two versions of a translation file are not the same document, or undefined when they may
 * be: a new version of a document keeps most of its unit ids (tools derive them from the
 * source), an unrelated file that happens to share a name and file id does not.
 */
export function differentDocument(before: readonly string[], after: readonly string[]): string | undefined {
  if (before.length === 0 || after.length === 0) return undefined;
  const old = new Set(before);
  const next = new Set(after);
  const shared = [...next].filter((id) => old.has(id)).length;
  if (shared * 2 >= Math.max(old.size, next.size)) return undefined;
  return `only ${shared} of its ${next.size} unit ids are among the ${old.size} of the article`;
}
