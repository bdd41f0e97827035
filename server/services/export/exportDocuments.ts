import { Prisma, type Db } from '../../db/client';
import { NotFoundError } from '../../errors';
import type { InlineCode, ParagraphMeta } from '../../../shared/inlineCodes';
import type { ArticleStatus } from '../../../shared/workflow';
import type { ExportDocument, JsonValue } from './render';

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

interface RawRow {
  id: number;
  externalId: string | null;
  mtTitle: string;
  sourceTitle: string | null;
  status: ArticleStatus;
  sourceLang: string | null;
  targetLang: string | null;
  publishedAt: Date | null;
  metadata: unknown;
  approvedAt: Date | null;
  revisionId: number;
  revisionNumber: number;
  revisionTitle: string;
  revisionParagraphs: unknown;
  approver: string | null;
  paras: unknown;
}

function whereOf(sel: ExportSelection): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`a."approvedRevisionId" is not null`, Prisma.sql`a.status::text = any(${[...sel.statuses]}::text[])`];
  if (sel.ids) parts.push(Prisma.sql`a.id = any(${[...sel.ids]}::int[])`);
  if (sel.since) parts.push(Prisma.sql`a."approvedAt" >= ${sel.since}`);
  return Prisma.join(parts, ' and ');
}

// One query per page: the approved revision, the approver's name and the
// paragraphs' MT and source (aggregated in order) come back with the article,
// so a page of 500 articles is one round trip.
const SELECT = Prisma.sql`
  select a.id, a."externalId", a."mtTitle", a."sourceTitle", a.status::text as status, a."sourceLang", a."targetLang",
         a."publishedAt", a.metadata, a."approvedAt", r.id as "revisionId", r.number as "revisionNumber",
         r.title as "revisionTitle", r.paragraphs as "revisionParagraphs", u.username as approver,
         coalesce((select json_agg(json_build_array(p.mt, p.source, p.codes, p.meta) order by p.position) from paragraphs p where p."articleId" = a.id), '[]'::json) as paras
    from articles a
    join revisions r on r.id = a."approvedRevisionId"
    left join users u on u.id = a."approvedById"`;

const parseJson = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

function toRow(raw: RawRow): ExportRow {
  const paragraphs = parseJson(raw.revisionParagraphs);
  if (!Array.isArray(paragraphs) || !paragraphs.every((p) => typeof p === 'string')) {
    throw new Error(`revision ${raw.revisionId} of article ${raw.id} has no paragraph list`);
  }
  const paras = parseJson(raw.paras) as Array<[string, string | null, InlineCode[] | null, ParagraphMeta | null]>;
  return {
    id: raw.id,
    externalId: raw.externalId,
    title: raw.revisionTitle,
    paragraphs: paragraphs as string[],
    mtTitle: raw.mtTitle,
    mtParagraphs: paras.map((p) => p[0]),
    sourceTitle: raw.sourceTitle,
    sourceParagraphs: paras.map((p) => p[1]),
    // Only when some paragraph has them: a document without codes renders as it always did.
    ...(paras.some((p) => p[2] !== null) ? { paragraphCodes: paras.map((p) => p[2]) } : {}),
    ...(paras.some((p) => p[3] !== null) ? { paragraphMeta: paras.map((p) => p[3]) } : {}),
    revision: { id: raw.revisionId, number: raw.revisionNumber },
    approvedBy: raw.approver,
    approvedAt: raw.approvedAt,
    sourceLang: raw.sourceLang,
    targetLang: raw.targetLang,
    publishedAt: raw.publishedAt,
    metadata: (parseJson(raw.metadata) ?? {}) as JsonValue,
    status: raw.status,
  };
}

/**
 * One page of the selection in id order, starting after `afterId` (a keyset
 * cursor: no OFFSET, so every page costs the same). Each row carries the
 * PINNED approved revision's title and paragraphs, never the current text.
 */
export async function findExportPage(db: Db, sel: ExportSelection, afterId: number, take: number): Promise<ExportRow[]> {
  const rows = await db.$queryRaw<RawRow[]>`${SELECT} where a.id > ${afterId} and ${whereOf(sel)} order by a.id limit ${take}`;
  return rows.map(toRow);
}

/** How many articles the selection holds. */
export async function countExportSelection(db: Db, sel: ExportSelection): Promise<number> {
  const [{ n }] = await db.$queryRaw<Array<{ n: number }>>`select count(*)::int as n from articles a where ${whereOf(sel)}`;
  return n;
}

/**
 * The approved revision of one article as an export document.
 *
 * @throws NotFoundError `not_found` when the article does not exist, `not_approved` when it has no approved revision
 */
export async function loadExportDocument(db: Db, id: number): Promise<ExportRow> {
  const rows = await db.$queryRaw<RawRow[]>`${SELECT} where a.id = ${id}`;
  if (rows.length === 0) {
    const exists = await db.article.count({ where: { id } });
    if (exists === 0) throw new NotFoundError(`Article ${id} does not exist.`);
    throw new NotFoundError(`Article ${id} has no approved revision to export.`, 'not_approved');
  }
  return toRow(rows[0]);
}
