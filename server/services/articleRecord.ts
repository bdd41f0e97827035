import type { Db, Prisma } from '../db/client';
import { NotFoundError } from '../errors';
import { allowedTransitions, decideTransition, type ArticleStatus } from '../policy/workflow';
import type { EditStats } from '../policy/textDiff';
import type { UserActor } from '../auth/context';

/** Switches from the configuration that change what the workflow allows. */
export interface WorkflowOptions {
  /** COPYDESK_FOUR_EYES: a reviewer may not approve text they edited since the last approval. */
  fourEyes: boolean;
}

/** The fields of a row of `GET /api/articles`. */
export interface ArticleRow {
  id: number;
  externalId: string | null;
  title: string;
  status: ArticleStatus;
  version: number;
  assigneeId: number | null;
  assigneeName: string | null;
  importBatchId: number | null;
  editRate: number;
  wordCount: number;
  mtWordCount: number;
  revisionCount: number;
  approvedRevisionId: number | null;
  sourceLang: string | null;
  targetLang: string | null;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ArticleParagraph {
  index: number;
  mt: string;
  text: string;
  source: string | null;
}

/** `GET /api/articles/:id`: the row plus what the editor needs. */
export interface ArticleRecord extends ArticleRow {
  mtTitle: string;
  sourceTitle: string | null;
  paragraphs: ArticleParagraph[];
  /** The latest revision's statistics against the MT; null only if the article has no revision (never, once imported). */
  stats: (EditStats & { paragraphsChanged: number }) | null;
  approvedAt: Date | null;
  approvedById: number | null;
  approvedByName: string | null;
  exportedAt: Date | null;
  currentRevisionId: number | null;
  /** What this user's role may request from the current status (policy `allowedTransitions`; the four-eyes rule is in `approval`). */
  allowedTransitions: ArticleStatus[];
  /** Whether this user may approve now, and why not. */
  approval: { allowed: boolean; reason?: string };
}

/** Revision kinds written by people; import and MT updates by the system never count for the four-eyes rule. */
export const AUTHORED_KINDS = ['edit', 'restore', 'bulk_replace'] as const;

/**
 * Ids of users who authored an edit, restore or bulk-replace revision after
 * the last approval (or since import when never approved). The last approval
 * is the latest status change to `approved`; revisions are ordered by their
 * number rather than by clock, so two writes in the same millisecond cannot
 * slip past the rule.
 */
export async function authorsSinceLastApproval(db: Db, articleId: number): Promise<number[]> {
  const lastApproval = await db.statusChange.findFirst({
    where: { articleId, toStatus: 'approved' },
    orderBy: { id: 'desc' },
    select: { revision: { select: { number: true } }, createdAt: true },
  });
  const after: Prisma.RevisionWhereInput = lastApproval
    ? lastApproval.revision
      ? { number: { gt: lastApproval.revision.number } }
      : { createdAt: { gt: lastApproval.createdAt } }
    : {};
  const rows = await db.revision.findMany({
    where: { articleId, kind: { in: [...AUTHORED_KINDS] }, authorId: { not: null }, ...after },
    select: { authorId: true },
    distinct: ['authorId'],
  });
  return rows.map((r) => r.authorId).filter((id): id is number => id !== null);
}

/**
 * The approval check for `actor` on an article in `status`: the same decision
 * `POST /transitions {to: "approved"}` would make, so the UI can show why the
 * approve button is refused.
 */
export async function approvalCheck(db: Db, articleId: number, status: ArticleStatus, actor: UserActor, opts: WorkflowOptions): Promise<{ allowed: boolean; reason?: string }> {
  const authors = status === 'in_review' && opts.fourEyes ? await authorsSinceLastApproval(db, articleId) : [];
  const d = decideTransition({ role: actor.role, actorId: actor.id, from: status, to: 'approved', note: null, authorsSinceLastApproval: authors, fourEyes: opts.fourEyes });
  return d.ok ? { allowed: true } : { allowed: false, reason: d.message };
}

export const articleRowSelect = {
  id: true,
  externalId: true,
  title: true,
  status: true,
  version: true,
  assigneeId: true,
  importBatchId: true,
  editRate: true,
  wordCount: true,
  mtWordCount: true,
  revisionCount: true,
  approvedRevisionId: true,
  sourceLang: true,
  targetLang: true,
  publishedAt: true,
  createdAt: true,
  updatedAt: true,
  assignee: { select: { displayName: true } },
} as const satisfies Prisma.ArticleSelect;

/**
 * The full article record as `GET /api/articles/:id` answers it for `actor`.
 * Also the body of every successful write and the `current` of a version conflict.
 */
export async function getArticleRecord(db: Db, id: number, actor: UserActor, opts: WorkflowOptions): Promise<ArticleRecord> {
  // The row, its paragraphs and the current revision are separate queries: outside a transaction a concurrent save
  // can land between them and tear the record (version N with the texts of N+1). One snapshot keeps them together.
  if ('$transaction' in db) return db.$transaction((tx) => readArticleRecord(tx, id, actor, opts), { isolationLevel: 'RepeatableRead' });
  return readArticleRecord(db, id, actor, opts);
}

async function readArticleRecord(db: Db, id: number, actor: UserActor, opts: WorkflowOptions): Promise<ArticleRecord> {
  const a = await db.article.findUnique({
    where: { id },
    select: {
      ...articleRowSelect,
      mtTitle: true,
      sourceTitle: true,
      approvedAt: true,
      approvedById: true,
      exportedAt: true,
      approvedBy: { select: { displayName: true } },
      paragraphs: { orderBy: { position: 'asc' }, select: { position: true, mt: true, text: true, source: true } },
    },
  });
  if (!a) throw new NotFoundError(`Article ${id} does not exist.`);
  const current = await db.revision.findUnique({ where: { articleId_number: { articleId: id, number: a.revisionCount } }, select: { id: true, stats: true } });
  const { assignee, approvedBy, paragraphs, ...rest } = a;
  const stats = (current?.stats as { mt?: ArticleRecord['stats'] } | undefined)?.mt ?? null;
  return {
    ...rest,
    assigneeName: assignee?.displayName ?? null,
    approvedByName: approvedBy?.displayName ?? null,
    paragraphs: paragraphs.map((p) => ({ index: p.position, mt: p.mt, text: p.text, source: p.source })),
    stats,
    currentRevisionId: current?.id ?? null,
    allowedTransitions: allowedTransitions(a.status, actor.role),
    approval: await approvalCheck(db, id, a.status, actor, opts),
  };
}
