import { z } from 'zod';
import { note } from '../http/schemas';
import type { Db, Prisma, PrismaClient } from '../db/client';
import { decodeJson, revisionDiffs, revisionParagraphs, revisionStats } from '../db/json';
import { ConflictError, NotFoundError } from '../errors';
import type { UserActor } from '../auth/context';
import { asList, idOrIds, type ListQuery } from '../http/listQuery';
import { REVISION_KINDS } from '../../shared/revisionKinds';
import { diffParagraph, type ParagraphDiff } from '../../shared/textDiff';
import { getArticleRecord, type ArticleRecord, type WorkflowOptions } from './articleRecord';
import type { RevisionData } from './revisionData';
import { loadArticle, saveRevision, snapshotOf, versionConflict } from './saveRevision';

export const REVISION_SORTABLE = ['id', 'number', 'createdAt'] as const;

const KINDS = REVISION_KINDS;
const kind = z.enum(KINDS, { error: () => `must be one of: ${KINDS.join(', ')}` });

export const revisionListFilter = z
  .object({
    id: idOrIds.optional(),
    articleId: z.coerce.number().int().positive().optional(),
    kind: z.union([kind, z.array(kind).max(KINDS.length)]).optional(),
    authorId: z.coerce.number().int().positive().optional(),
  })
  .strict();

const summarySelect = {
  id: true,
  articleId: true,
  number: true,
  kind: true,
  authorId: true,
  author: { select: { displayName: true } },
  note: true,
  editRate: true,
  wordsInserted: true,
  wordsDeleted: true,
  wordsSubstituted: true,
  restoredFromId: true,
  createdAt: true,
} as const satisfies Prisma.RevisionSelect;

/** A row of `GET /api/revisions`. `authorName` is null for revisions written by the system (imports). */
export interface RevisionSummary {
  id: number;
  articleId: number;
  number: number;
  kind: (typeof KINDS)[number];
  authorId: number | null;
  authorName: string | null;
  note: string | null;
  editRate: number;
  wordsInserted: number;
  wordsDeleted: number;
  wordsSubstituted: number;
  restoredFromId: number | null;
  createdAt: Date;
}

/** `GET /api/revisions/:id`: the summary plus the stored text, diffs and statistics. */
export interface RevisionDetail extends RevisionSummary {
  title: string;
  paragraphs: string[];
  diffs: RevisionData['diffs'];
  stats: RevisionData['stats'];
}

function summaryOf(r: Prisma.RevisionGetPayload<{ select: typeof summarySelect }>): RevisionSummary {
  const { author, ...rest } = r;
  return { ...rest, authorName: author?.displayName ?? null };
}

/** One page of revisions (of one article with the articleId filter), never loading their text. */
export async function listRevisions(db: Db, q: ListQuery<z.output<typeof revisionListFilter>>): Promise<{ rows: RevisionSummary[]; total: number }> {
  const f = q.filter;
  const where: Prisma.RevisionWhereInput = {
    ...(f.id !== undefined ? { id: { in: asList(f.id) } } : {}),
    ...(f.articleId !== undefined ? { articleId: f.articleId } : {}),
    ...(f.kind !== undefined ? { kind: { in: asList(f.kind) } } : {}),
    ...(f.authorId !== undefined ? { authorId: f.authorId } : {}),
  };
  const [rows, total] = await Promise.all([
    db.revision.findMany({ where, select: summarySelect, orderBy: [{ [q.sort.field]: q.sort.order }, { id: q.sort.order }], skip: q.skip, take: q.take }),
    db.revision.count({ where }),
  ]);
  return { rows: rows.map(summaryOf), total };
}

/** One revision with its text, diffs and statistics. */
export async function getRevision(db: Db, id: number): Promise<RevisionDetail> {
  const r = await db.revision.findUnique({ where: { id }, select: { ...summarySelect, title: true, paragraphs: true, diffs: true, stats: true } });
  if (!r) throw new NotFoundError(`Revision ${id} does not exist.`);
  const { title, paragraphs, diffs, stats, ...summary } = r;
  return {
    ...summaryOf(summary),
    title,
    paragraphs: decodeJson(revisionParagraphs, paragraphs, id),
    diffs: decodeJson(revisionDiffs, diffs, id),
    stats: decodeJson(revisionStats, stats, id),
  };
}

export const compareQuery = z.object({
  from: z.coerce.number({ error: () => 'must be a revision id' }).int().positive(),
  to: z.coerce.number({ error: () => 'must be a revision id' }).int().positive(),
});

/** `GET /api/articles/:id/compare`. */
export interface RevisionComparison {
  from: RevisionSummary;
  to: RevisionSummary;
  title: ParagraphDiff;
  paragraphs: Array<{ index: number; diff: ParagraphDiff }>;
}

/**
 * Word diff between two revisions of one article, every paragraph included
 * (unchanged ones as a single `eq` part). Both must belong to the article:
 * 404 otherwise, so ids cannot be probed across articles.
 */
export async function compareRevisions(db: Db, articleId: number, input: z.output<typeof compareQuery>): Promise<RevisionComparison> {
  const { from, to } = input;
  const article = await db.article.findUnique({ where: { id: articleId }, select: { id: true } });
  if (!article) throw new NotFoundError(`Article ${articleId} does not exist.`);
  const revs = await db.revision.findMany({ where: { id: { in: [from, to] }, articleId }, select: { ...summarySelect, title: true, paragraphs: true } });
  const find = (id: number) => {
    const r = revs.find((x) => x.id === id);
    if (!r) throw new NotFoundError(`Revision ${id} is not a revision of article ${articleId}.`);
    return r;
  };
  const a = find(from);
  const b = find(to);
  const pa = decodeJson(revisionParagraphs, a.paragraphs, a.id);
  const pb = decodeJson(revisionParagraphs, b.paragraphs, b.id);
  const n = Math.max(pa.length, pb.length);
  return {
    from: summaryOf(a),
    to: summaryOf(b),
    title: diffParagraph(a.title, b.title),
    paragraphs: Array.from({ length: n }, (_, i) => ({ index: i, diff: diffParagraph(pa[i] ?? '', pb[i] ?? '') })),
  };
}

export const restoreInput = z.object({
  revisionId: z.number().int().positive(),
  version: z.number().int().positive(),
  note,
});

/**
 * `POST /api/articles/:id/restore`: a NEW revision (kind restore) whose title
 * and paragraphs equal an older one's. History is never rewritten; the
 * status follows the same rule as a save (an approved article goes back to
 * in_edit, its approved revision stays pinned).
 */
export async function restoreRevision(db: PrismaClient, articleId: number, input: z.output<typeof restoreInput>, actor: UserActor, opts: WorkflowOptions): Promise<ArticleRecord> {
  const article = await loadArticle(db, articleId);
  const old = await db.revision.findUnique({ where: { id: input.revisionId }, select: { id: true, articleId: true, number: true, title: true, paragraphs: true } });
  if (!old || old.articleId !== articleId) throw new NotFoundError(`Revision ${input.revisionId} is not a revision of article ${articleId}.`);
  if (input.version !== article.version) throw await versionConflict(db, articleId, input.version, actor, opts);
  const next = { title: old.title, paragraphs: decodeJson(revisionParagraphs, old.paragraphs, old.id) };
  const current = snapshotOf(article);
  if (next.title === current.title && next.paragraphs.every((p, i) => p === current.paragraphs[i])) {
    throw new ConflictError(`The current text already equals revision ${old.number}; there is nothing to restore.`, { revisionId: old.id, number: old.number }, 'no_change');
  }
  const saved = await saveRevision(db, { article, next, kind: 'restore', note: input.note ?? `Restored revision ${old.number}`, restoredFrom: { id: old.id, number: old.number } }, actor);
  if (!saved) throw await versionConflict(db, articleId, article.version, actor, opts);
  return getArticleRecord(db, articleId, actor, opts);
}
