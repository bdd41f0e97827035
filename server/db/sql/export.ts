// The export's statements (articles, revisions, paragraphs, export_batches,
// export_items, status_changes). They go straight to the connection pool
// (`queryRows`, `sqlTransaction`): a batch of 10,000 articles sends arrays of
// 10,000 ids, names and hashes, which Prisma's query compiler and request
// pipeline took seconds to pass along (see docs/benchmarks.md, "export").
import { Prisma, queryRows, type Db, type SqlTx } from '../client';
import type { InlineCode, ParagraphMeta } from '../../../shared/inlineCodes';
import type { ArticleStatus } from '../../../shared/workflow';
import type { ExportDocument, JsonValue } from '../../services/export/render';

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

interface RawExportRow {
  id: number;
  externalId: string | null;
  mtTitle: string;
  sourceTitle: string | null;
  status: ArticleStatus;
  sourceLang: string | null;
  targetLang: string | null;
  publishedAt: Date | string | null;
  metadata: unknown;
  approvedAt: Date | string | null;
  revisionId: number;
  revisionNumber: number;
  revisionTitle: string;
  revisionParagraphs: unknown;
  approver: string | null;
  paras: unknown;
}

type ParaTuple = [string, string | null, InlineCode[] | null, ParagraphMeta | null];

const parseJson = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
const toDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

/** Decodes one row of `EXPORT_SELECT`. */
export function decodeExportRow(raw: RawExportRow): ExportRow {
  const paragraphs = parseJson(raw.revisionParagraphs);
  if (!Array.isArray(paragraphs) || !paragraphs.every((p) => typeof p === 'string')) {
    throw new Error(`revision ${raw.revisionId} of article ${raw.id} has no paragraph list`);
  }
  const paras = parseJson(raw.paras);
  if (!Array.isArray(paras)) throw new Error(`article ${raw.id}: the paragraphs' MT and source did not come back as a list`);
  const list = paras as ParaTuple[];
  return {
    id: raw.id,
    externalId: raw.externalId,
    title: raw.revisionTitle,
    paragraphs: paragraphs as string[],
    mtTitle: raw.mtTitle,
    mtParagraphs: list.map((p) => p[0]),
    sourceTitle: raw.sourceTitle,
    sourceParagraphs: list.map((p) => p[1]),
    // Only when some paragraph has them: a document without codes renders as it always did.
    ...(list.some((p) => p[2] !== null) ? { paragraphCodes: list.map((p) => p[2]) } : {}),
    ...(list.some((p) => p[3] !== null) ? { paragraphMeta: list.map((p) => p[3]) } : {}),
    revision: { id: raw.revisionId, number: raw.revisionNumber },
    approvedBy: raw.approver,
    approvedAt: toDate(raw.approvedAt),
    sourceLang: raw.sourceLang,
    targetLang: raw.targetLang,
    publishedAt: toDate(raw.publishedAt),
    metadata: (parseJson(raw.metadata) ?? {}) as JsonValue,
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
  const rows = await queryRows<RawExportRow>(db, Prisma.sql`${EXPORT_SELECT} where a.id > ${afterId}::int and ${whereOf(sel)} order by a.id limit ${take}::int`);
  return rows.map(decodeExportRow);
}

/** The approved revision of article `id` as an export row; null when the article does not exist or has no approved revision. */
export async function selectExportDocument(db: Db, id: number): Promise<ExportRow | null> {
  const rows = await queryRows<RawExportRow>(db, Prisma.sql`${EXPORT_SELECT} where a.id = ${id}::int`);
  return rows.length ? decodeExportRow(rows[0]) : null;
}

/** How many articles the selection holds. */
export async function countExportSelection(db: Db, sel: ExportSelection): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(db, Prisma.sql`select count(*)::int as n from articles a where ${whereOf(sel)}`);
  return Number(n);
}

/** Which of `ids` name an article. */
export async function selectExistingArticleIds(db: Db, ids: readonly number[]): Promise<Set<number>> {
  const rows = await queryRows<{ id: number }>(db, Prisma.sql`select id from articles where id = any(${[...ids]}::int[])`);
  return new Set(rows.map((r) => Number(r.id)));
}

/** What explains why a requested article was not exported. */
export interface SkipRow {
  id: number;
  status: ArticleStatus;
  approvedAt: Date | null;
  /** The approved revision's number; null without one. */
  approvedRevisionNumber: number | null;
}

export async function selectSkipRows(db: Db, ids: readonly number[]): Promise<SkipRow[]> {
  const rows = await queryRows<{ id: number; status: ArticleStatus; approvedAt: Date | string | null; approvedRevisionNumber: number | null }>(
    db,
    Prisma.sql`select a.id, a.status::text as status, a."approvedAt", r.number as "approvedRevisionNumber"
                 from articles a left join revisions r on r.id = a."approvedRevisionId"
                where a.id = any(${[...ids]}::int[]) order by a.id`,
  );
  return rows.map((r) => ({ id: Number(r.id), status: r.status, approvedAt: toDate(r.approvedAt), approvedRevisionNumber: r.approvedRevisionNumber === null ? null : Number(r.approvedRevisionNumber) }));
}

/** Takes the next export batch id (the manifest names it before the batch row exists). */
export async function nextExportBatchId(db: Db): Promise<number> {
  const [{ id }] = await queryRows<{ id: string | number }>(db, Prisma.sql`select nextval(pg_get_serial_sequence('export_batches', 'id'))::int as id`);
  return Number(id);
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
export async function lockArticlesForExport(tx: SqlTx, ids: readonly number[]): Promise<LockedArticle[]> {
  const rows = await tx.$queryRaw<Array<{ id: number; status: ArticleStatus; approvedRevisionId: number | null }>>(
    Prisma.sql`select id, status::text as status, "approvedRevisionId" from articles where id = any(${[...ids]}::int[]) order by id for update`,
  );
  return rows.map((r) => ({ id: Number(r.id), status: r.status, approvedRevisionId: r.approvedRevisionId === null ? null : Number(r.approvedRevisionId) }));
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
export async function insertExportBatch(tx: SqlTx, b: BatchRowInput): Promise<{ moved: number; reexported: number }> {
  const moved = b.items.filter((e) => e.from === 'approved' && e.to === 'exported');
  const again = b.items.filter((e) => e.from === 'exported');
  const at = b.finishedAt;
  const rows = await tx.$queryRaw<Array<{ moved: number; reexported: number }>>(Prisma.sql`
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
    select (select count(*) from moved)::int as moved, (select count(*) from again)::int as reexported`);
  return { moved: Number(rows[0].moved), reexported: Number(rows[0].reexported) };
}
