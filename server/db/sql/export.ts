// The export's statements (articles, revisions, paragraphs, export_batches,
// export_items, status_changes). They go straight to the connection pool
// (`queryRows`, `sqlTransaction`): a batch of 10,000 articles sends arrays of
// 10,000 ids, names and hashes, which Prisma's query compiler and request
// pipeline took seconds to pass along (see docs/benchmarks.md, "export").
import { Prisma, type Db, type SqlTx } from '../client';
import { STATUSES, type ArticleStatus } from '../../../shared/workflow';
import type { ExportDocument } from '../../services/export/render';
import { articleMetadata, decodeJson, paragraphCodes, paragraphMetaColumn, revisionParagraphs } from '../json';
import { arrayOf, date, int, json, nullable, oneOf, rowDecoder, selectRows, selectTxRows, text } from './rows';

/** Which articles an export takes. Every one of them must have an approved revision. */
export interface ExportSelection {
  statuses: readonly ArticleStatus[];
  ids?: readonly number[];
  /** Only articles approved at or after this instant. */
  since?: Date;
}

/** An export document with the article's status at the time it was read. */
export interface ExportRow extends ExportDocument {
  status: ArticleStatus;
}

const exportRow = {
  id: int,
  externalId: nullable(text),
  mtTitle: text,
  sourceTitle: nullable(text),
  status: oneOf(STATUSES),
  sourceLang: nullable(text),
  targetLang: nullable(text),
  publishedAt: nullable(date),
  metadata: json,
  approvedAt: nullable(date),
  revisionId: int,
  revisionNumber: int,
  revisionTitle: text,
  revisionParagraphs: json,
  approver: nullable(text),
  paras: arrayOf(json),
};
const decodeRaw = rowDecoder('export.document', exportRow);
/** One paragraph of `paras`: [mt, source, codes, meta]. */
const decodePara = rowDecoder('export.document.paras', { 0: text, 1: nullable(text), 2: json, 3: json });

/** Decodes one row of `EXPORT_SELECT`; the JSON columns through their decoders (../json.ts). */
export function decodeExportRow(value: unknown): ExportRow {
  const raw = decodeRaw(value);
  const list = raw.paras.map((p, i) => {
    const t = decodePara(p);
    const at = `${raw.id} (paragraph ${i})`;
    return { mt: t[0], source: t[1], codes: t[2] === null ? null : decodeJson(paragraphCodes, t[2], at), meta: t[3] === null ? null : decodeJson(paragraphMetaColumn, t[3], at) };
  });
  return {
    id: raw.id,
    externalId: raw.externalId,
    title: raw.revisionTitle,
    paragraphs: decodeJson(revisionParagraphs, raw.revisionParagraphs, raw.revisionId),
    mtTitle: raw.mtTitle,
    mtParagraphs: list.map((p) => p.mt),
    sourceTitle: raw.sourceTitle,
    sourceParagraphs: list.map((p) => p.source),
    // Only when some paragraph has them: a document without codes renders as it always did.
    ...(list.some((p) => p.codes !== null) ? { paragraphCodes: list.map((p) => p.codes) } : {}),
    ...(list.some((p) => p.meta !== null) ? { paragraphMeta: list.map((p) => p.meta) } : {}),
    revision: { id: raw.revisionId, number: raw.revisionNumber },
    approvedBy: raw.approver,
    approvedAt: raw.approvedAt,
    sourceLang: raw.sourceLang,
    targetLang: raw.targetLang,
    publishedAt: raw.publishedAt,
    metadata: decodeJson(articleMetadata, raw.metadata, raw.id),
    status: raw.status,
  };
}

function whereOf(sel: ExportSelection): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`a."approvedRevisionId" is not null`, Prisma.sql`a.status::text = any(${[...sel.statuses]}::text[])`];
  if (sel.ids) parts.push(Prisma.sql`a.id = any(${[...sel.ids]}::int[])`);
  if (sel.since) parts.push(Prisma.sql`a."approvedAt" >= ${sel.since}::timestamptz`);
  return Prisma.join(parts, ' and ');
}

// One query per page: the approved revision, the approver's name and the
// paragraphs' MT and source (aggregated in order) come back with the article,
// so a page of 500 articles is one round trip.
const EXPORT_SELECT = Prisma.sql`
  select a.id, a."externalId", a."mtTitle", a."sourceTitle", a.status::text as status, a."sourceLang", a."targetLang",
         a."publishedAt", a.metadata, a."approvedAt", r.id as "revisionId", r.number as "revisionNumber",
         r.title as "revisionTitle", r.paragraphs as "revisionParagraphs", u.username as approver,
         coalesce((select json_agg(json_build_array(p.mt, p.source, p.codes, p.meta) order by p.position) from paragraphs p where p."articleId" = a.id), '[]'::json) as paras
    from articles a
    join revisions r on r.id = a."approvedRevisionId"
    left join users u on u.id = a."approvedById"`;

/**
 * One page of the selection in id order, starting after `afterId` (a keyset
 * cursor: no OFFSET, so every page costs the same). Each row carries the
 * PINNED approved revision's title and paragraphs, never the current text.
 */
export async function selectExportPage(db: Db, sel: ExportSelection, afterId: number, take: number): Promise<ExportRow[]> {
  return selectRows(db, Prisma.sql`${EXPORT_SELECT} where a.id > ${afterId}::int and ${whereOf(sel)} order by a.id limit ${take}::int`, decodeExportRow);
}

/** The approved revision of article `id` as an export row; null when the article does not exist or has no approved revision. */
export async function selectExportDocument(db: Db, id: number): Promise<ExportRow | null> {
  const [row] = await selectRows(db, Prisma.sql`${EXPORT_SELECT} where a.id = ${id}::int`, decodeExportRow);
  return row ?? null;
}

/** How many articles the selection holds. */
export async function countExportSelection(db: Db, sel: ExportSelection): Promise<number> {
  const [row] = await selectRows(db, Prisma.sql`select count(*)::int as n from articles a where ${whereOf(sel)}`, decodeCount);
  return row?.n ?? 0;
}

const decodeCount = rowDecoder('export.countSelection', { n: int });
const decodeId = rowDecoder('export.id', { id: int });

/** Which of `ids` name an article. */
export async function selectExistingArticleIds(db: Db, ids: readonly number[]): Promise<Set<number>> {
  const rows = await selectRows(db, Prisma.sql`select id from articles where id = any(${[...ids]}::int[])`, decodeId);
  return new Set(rows.map((r) => r.id));
}

/** What explains why a requested article was not exported. */
export interface SkipRow {
  id: number;
  status: ArticleStatus;
  approvedAt: Date | null;
  /** The approved revision's number; null without one. */
  approvedRevisionNumber: number | null;
}

const decodeSkipRow = rowDecoder('export.skipRows', { id: int, status: oneOf(STATUSES), approvedAt: nullable(date), approvedRevisionNumber: nullable(int) });

export async function selectSkipRows(db: Db, ids: readonly number[]): Promise<SkipRow[]> {
  return selectRows(
    db,
    Prisma.sql`select a.id, a.status::text as status, a."approvedAt", r.number as "approvedRevisionNumber"
                 from articles a left join revisions r on r.id = a."approvedRevisionId"
                where a.id = any(${[...ids]}::int[]) order by a.id`,
    decodeSkipRow,
  );
}

/** Takes the next export batch id (the manifest names it before the batch row exists). */
export async function nextExportBatchId(db: Db): Promise<number> {
  const [row] = await selectRows(db, Prisma.sql`select nextval(pg_get_serial_sequence('export_batches', 'id'))::int as id`, decodeId);
  if (!row) throw new Error('nextval returned no row');
  return row.id;
}

/** An exported article's state once its row is locked. */
export interface LockedArticle {
  id: number;
  status: ArticleStatus;
  approvedRevisionId: number | null;
}

/**
 * Locks the articles' rows in id order (so two exports, or an export and a
 * bulk action, queue instead of deadlocking) and returns their state as of
 * the lock.
 */
const decodeLocked = rowDecoder('export.lockArticles', { id: int, status: oneOf(STATUSES), approvedRevisionId: nullable(int) });

export async function lockArticlesForExport(tx: SqlTx, ids: readonly number[]): Promise<LockedArticle[]> {
  return selectTxRows(
    tx,
    Prisma.sql`select id, status::text as status, "approvedRevisionId" from articles where id = any(${[...ids]}::int[]) order by id for update`,
    decodeLocked,
  );
}

/** One article of a batch, as recorded. */
export interface BatchItemInput {
  articleId: number;
  revisionId: number;
  file: string;
  sha256: string;
  from: ArticleStatus;
  to: ArticleStatus;
}

export interface BatchRowInput {
  batchId: number;
  exporterId: number | null;
  actorName: string;
  format: string;
  outDir: string;
  startedAt: Date;
  finishedAt: Date;
  manifestSha256: string;
  options: Record<string, unknown>;
  items: readonly BatchItemInput[];
}

/**
 * Records a batch in ONE statement, set-based whatever its size: the batch
 * row, its export items, `approved` articles moved to `exported` (one
 * UPDATE … FROM unnest) with a status change each (one INSERT … SELECT from
 * the rows the update returned), and the `exportedAt` of re-exported
 * articles. Articles with unapproved edits keep their row untouched: bumping
 * their version would turn an editor's next save into a spurious conflict.
 * Returns how many articles each update changed.
 */
const decodeCounts = rowDecoder('export.insertBatch', { moved: int, reexported: int });

export async function insertExportBatch(tx: SqlTx, b: BatchRowInput): Promise<{ moved: number; reexported: number }> {
  const moved = b.items.filter((e) => e.from === 'approved' && e.to === 'exported');
  const again = b.items.filter((e) => e.from === 'exported');
  const at = b.finishedAt;
  const [row] = await selectTxRows(
    tx,
    Prisma.sql`
    with batch as (
      insert into export_batches (id, "exporterId", "actorName", status, format, "outDir", "startedAt", "finishedAt", "articleCount", "manifestSha256", options)
      values (${b.batchId}::int, ${b.exporterId}::int, ${b.actorName}, 'completed', ${b.format}, ${b.outDir}, ${b.startedAt}::timestamptz, ${at}::timestamptz,
              ${b.items.length}::int, ${b.manifestSha256}, ${JSON.stringify(b.options)}::jsonb)
      returning id
    ), items as (
      insert into export_items ("batchId", "articleId", "revisionId", path, sha256)
      select batch.id, u.a, u.r, u.p, u.s
        from batch, unnest(${b.items.map((e) => e.articleId)}::int[], ${b.items.map((e) => e.revisionId)}::int[], ${b.items.map((e) => e.file)}::text[], ${b.items.map((e) => e.sha256)}::bpchar[]) as u(a, r, p, s)
    ), moved as (
      update articles a set status = 'exported', "exportedAt" = ${at}::timestamptz, version = a.version + 1, "updatedAt" = ${at}::timestamptz
        from unnest(${moved.map((e) => e.articleId)}::int[], ${moved.map((e) => e.revisionId)}::int[]) as m(id, rev)
       where a.id = m.id and a.status = 'approved'
      returning a.id, m.rev
    ), changes as (
      insert into status_changes ("articleId", "fromStatus", "toStatus", "actorId", note, "revisionId", "createdAt")
      select moved.id, 'approved', 'exported', ${b.exporterId}::int, ${`export batch ${b.batchId}`}, moved.rev, ${at}::timestamptz from moved
    ), again as (
      update articles set "exportedAt" = ${at}::timestamptz, version = version + 1, "updatedAt" = ${at}::timestamptz
       where id = any(${again.map((e) => e.articleId)}::int[])
      returning id
    )
    select (select count(*) from moved)::int as moved, (select count(*) from again)::int as reexported`,
    decodeCounts,
  );
  return row;
}
