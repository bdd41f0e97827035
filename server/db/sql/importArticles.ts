// The statements that write imported articles (server/services/import/articleWrites.ts):
// the lookup of known articles, the bulk insert of new ones, and an MT
// update. They run in the import's transactions of raw statements
// (sqlTransaction, or Prisma's in a dry run); the service decides what to
// write and passes it as one JSON parameter.
import { Prisma, type SqlTx } from '../client';
import { STATUSES } from '../../../shared/workflow';
import { editedByPersonSql, humanAuthoredKindSql } from './revisionKinds';
import { arrayOf, bool, executeTx, int, nullable, oneOf, rowDecoder, selectTxRows, text, type RowOf } from './rows';

const knownRow = { id: int, externalId: nullable(text), contentHash: text, status: oneOf(STATUSES), revisionCount: int, edited: bool };
const decodeKnown = rowDecoder('importArticles.known', knownRow);
/** An existing article as the importer classifies it. */
export type KnownRow = RowOf<typeof knownRow>;

/**
 * The existing articles with any of these externalIds or content hashes, in
 * one query, each saying whether a person ever wrote a revision of it.
 */
export async function selectKnownArticles(tx: SqlTx, externalIds: readonly string[], contentHashes: readonly string[]): Promise<KnownRow[]> {
  // Each key column gets its own `= any(…)` so both unique indexes are used (an OR of the two
  // scans the table), contentHash compared as char(64) like the column, and the revision check
  // runs per found article (LATERAL … LIMIT 1) on the (articleId, number) index.
  return selectTxRows(
    tx,
    Prisma.sql`
    select a.id, a."externalId", a."contentHash", a.status::text as status, a."revisionCount", e.edited is not null as edited
      from articles a
      left join lateral (
        select true as edited from revisions r where r."articleId" = a.id and ${humanAuthoredKindSql(Prisma.sql`r.kind`)} limit 1
      ) e on true
     where a.id in (
       select id from articles where "externalId" = any (array(select jsonb_array_elements_text(${JSON.stringify(externalIds)}::jsonb)))
       union all
       select id from articles where "contentHash" = any (array(select jsonb_array_elements_text(${JSON.stringify(contentHashes)}::jsonb)::char(64)))
     )`,
    decodeKnown,
  );
}

const decodeInserted = rowDecoder('importArticles.insert', { contentHash: text, articleId: int, revisionId: int });

/**
 * Inserts new articles (`rowsJson`: a JSON array of the article fields, see
 * the service) with their paragraphs, revision 1 and status change in one
 * statement; returns the rows actually inserted (ON CONFLICT DO NOTHING
 * leaves out an article a concurrent import committed first).
 */
export async function insertImportedArticles(
  tx: SqlTx,
  rowsJson: string,
  batchId: number | null,
  actorId: number | null,
  note: string | null,
): Promise<Array<{ contentHash: string; articleId: number; revisionId: number }>> {
  return selectTxRows(
    tx,
    Prisma.sql`
    with input as (
      select * from jsonb_to_recordset(${rowsJson}::jsonb) as x(
        k int, "externalId" text, "contentHash" text, title text, "sourceTitle" text, "sourceLang" text, "targetLang" text,
        "publishedAt" timestamptz, metadata jsonb, "mtWordCount" int, "wordCount" int,
        paragraphs jsonb, sources jsonb, codes jsonb, metas jsonb, diffs jsonb, stats jsonb, "editRate" float8,
        "wordsInserted" int, "wordsDeleted" int, "wordsSubstituted" int)
    ), ins as (
      insert into articles ("externalId", "contentHash", title, "mtTitle", "sourceTitle", status, version, "sourceLang", "targetLang",
                            "publishedAt", metadata, "importBatchId", "revisionCount", "mtWordCount", "wordCount", "editRate", "searchText")
      select "externalId", "contentHash", title, title, "sourceTitle", 'mt_draft'::"ArticleStatus", 1, "sourceLang", "targetLang",
             "publishedAt", metadata, ${batchId}::int, 1, "mtWordCount", "wordCount", 0,
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
      select id, 1, 1, 'import'::"RevisionKind", ${actorId}::int, title, paragraphs,
             coalesce(diffs, jsonb_build_object(
               'title', jsonb_build_object('prev', null, 'mt', jsonb_build_object('parts', jsonb_build_array(jsonb_build_object('op', 'eq', 'text', title)), 'truncated', false)),
               'paragraphs', (select jsonb_agg(jsonb_build_object('prev', null, 'mt', jsonb_build_object('parts', jsonb_build_array(jsonb_build_object('op', 'eq', 'text', t.value)), 'truncated', false)) order by t.ord)
                                from jsonb_array_elements_text(paragraphs) with ordinality as t(value, ord)))),
             stats, "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted"
        from added
      returning id, "articleId"
    ), changes as (
      insert into status_changes ("articleId", "fromStatus", "toStatus", "actorId", note, "revisionId")
      select "articleId", null, 'mt_draft'::"ArticleStatus", ${actorId}::int, ${note}::text, id from revs
    )
    select added."contentHash", added.id as "articleId", revs.id as "revisionId" from added join revs on revs."articleId" = added.id`,
    decodeInserted,
  );
}

const lockedRow = { ...knownRow, version: int, title: text };
const decodeLocked = rowDecoder('importArticles.lock', lockedRow);

/** Locks an article's row for an MT update; undefined when it no longer exists. `edited` is false here: see selectCurrentText. */
export async function lockImportedArticle(tx: SqlTx, articleId: number): Promise<RowOf<typeof lockedRow> | undefined> {
  const [row] = await selectTxRows(
    tx,
    Prisma.sql`
    select id, "externalId", "contentHash", status::text as status, "revisionCount", version, title, false as edited
      from articles where id = ${articleId} for update`,
    decodeLocked,
  );
  return row;
}

const currentRow = { edited: bool, paragraphs: arrayOf(text), unitIds: arrayOf(text) };
const decodeCurrent = rowDecoder('importArticles.current', currentRow);

/**
 * Whether a person ever wrote a revision of the article, its current
 * paragraph texts, and the unit ids its paragraphs came with. A statement of
 * its own after the lock, so its snapshot includes revisions committed before the lock was granted.
 */
export async function selectCurrentText(tx: SqlTx, articleId: number): Promise<RowOf<typeof currentRow>> {
  const [row] = await selectTxRows(
    tx,
    Prisma.sql`
    select ${editedByPersonSql(Prisma.sql`${articleId}::int`)} as edited,
           coalesce((select jsonb_agg(p.text order by p.position) from paragraphs p where p."articleId" = ${articleId}), '[]'::jsonb) as paragraphs,
           coalesce((select jsonb_agg(p.meta ->> 'unitId') from paragraphs p where p."articleId" = ${articleId} and p.meta ? 'unitId'), '[]'::jsonb) as "unitIds"`,
    decodeCurrent,
  );
  return row;
}

const decodeUnitIds = rowDecoder('importArticles.unitIds', { unitIds: arrayOf(text) });

/** The unit ids the article's paragraphs came with (translation files), in no particular order. */
export async function selectUnitIds(tx: SqlTx, articleId: number): Promise<string[]> {
  const [row] = await selectTxRows(
    tx,
    Prisma.sql`
    select coalesce(jsonb_agg(p.meta ->> 'unitId'), '[]'::jsonb) as "unitIds" from paragraphs p where p."articleId" = ${articleId} and p.meta ? 'unitId'`,
    decodeUnitIds,
  );
  return row?.unitIds ?? [];
}

/** What an MT update writes: the article's fields as JSON (see the service), its next revision number and version. */
export interface MtUpdateWrite {
  articleId: number;
  fieldsJson: string;
  number: number;
  version: number;
  actorId: number | null;
  batchId: number | null;
}

const decodeWritten = rowDecoder('importArticles.mtUpdate', { revisionId: int });

/**
 * Replaces an article's paragraphs with the new MT, records revision
 * `number` (kind mt_update) and updates the article; the caller holds the row lock. Returns the revision id.
 */
export async function writeMtUpdate(tx: SqlTx, w: MtUpdateWrite): Promise<number> {
  await executeTx(tx, Prisma.sql`delete from paragraphs where "articleId" = ${w.articleId}`);
  const [row] = await selectTxRows(
    tx,
    Prisma.sql`
    with input as (
      select * from jsonb_to_record(${w.fieldsJson}::jsonb) as x(
        "contentHash" text, title text, "sourceTitle" text, "sourceLang" text, "targetLang" text, "publishedAt" timestamptz,
        metadata jsonb, "mtWordCount" int, "wordCount" int, "searchText" text, paragraphs jsonb, sources jsonb,
        codes jsonb, metas jsonb, diffs jsonb, stats jsonb, "editRate" float8, "wordsInserted" int, "wordsDeleted" int, "wordsSubstituted" int)
    ), paras as (
      insert into paragraphs ("articleId", position, mt, text, source, codes, meta)
      select ${w.articleId}::int, (p.ord - 1)::int, p.value, p.value, input.sources ->> (p.ord - 1)::int,
             nullif(input.codes -> (p.ord - 1)::int, 'null'::jsonb), nullif(input.metas -> (p.ord - 1)::int, 'null'::jsonb)
        from input cross join lateral jsonb_array_elements_text(input.paragraphs) with ordinality as p(value, ord)
    ), rev as (
      insert into revisions ("articleId", number, "articleVersion", kind, "authorId", title, paragraphs, diffs, stats,
                             "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted")
      select ${w.articleId}::int, ${w.number}::int, ${w.version}::int, 'mt_update'::"RevisionKind", ${w.actorId}::int, title, paragraphs, diffs, stats,
             "editRate", "wordsInserted", "wordsDeleted", "wordsSubstituted"
        from input
      returning id
    ), art as (
      update articles a
         set title = input.title, "mtTitle" = input.title, "contentHash" = input."contentHash", "sourceTitle" = input."sourceTitle",
             "sourceLang" = input."sourceLang", "targetLang" = input."targetLang", "publishedAt" = input."publishedAt",
             metadata = input.metadata, "importBatchId" = ${w.batchId}::int, version = ${w.version}::int,
             "revisionCount" = ${w.number}::int, "mtWordCount" = input."mtWordCount", "wordCount" = input."wordCount",
             "editRate" = 0, "searchText" = input."searchText", "updatedAt" = now()
        from input
       where a.id = ${w.articleId}::int
    )
    select rev.id as "revisionId" from rev`,
    decodeWritten,
  );
  return row.revisionId;
}
