import { z } from 'zod';
import type { Db } from '../db/client';
import { decodeJson, revisionParagraphs } from '../db/json';
import { ConflictError, NotFoundError } from '../errors';
import type { UserActor } from '../auth/context';
import { trackChanges, type ReviewChange, type TrackedText } from '../../shared/reviewChanges';
import type { ArticleStatus } from '../../shared/workflow';
import { HUMAN_AUTHORED_KINDS } from '../../shared/revisionKinds';
import { getArticleRecord, type ArticleRecord, type WorkflowOptions } from './articleRecord';
import { loadArticle, type LoadedArticle } from './saveRevision';

export const REVIEW_BASELINES = ['submitted', 'approved'] as const;
export type ReviewBaseline = (typeof REVIEW_BASELINES)[number];

export const reviewQuery = z.object({
  since: z.enum(REVIEW_BASELINES, { error: () => `must be one of: ${REVIEW_BASELINES.join(', ')}` }).default('approved'),
});

/** A revision as the review view names it. `authorName` is null for the system (imports). */
export interface RevisionRef {
  id: number;
  number: number;
  kind: string;
  authorId: number | null;
  authorName: string | null;
  createdAt: Date;
}

/** One text of the article (the title, or a paragraph) with its tracked changes. */
export interface ReviewText extends TrackedText {
  /** The text changed between the submission and now: someone edited it while the article was in review. */
  editedDuringReview: boolean;
}

/** `GET /api/articles/:id/review`. */
export interface ReviewView {
  articleId: number;
  since: ReviewBaseline;
  status: ArticleStatus;
  /** The version a review decision must send back. */
  version: number;
  baseRevision: RevisionRef;
  currentRevision: RevisionRef;
  /** The revision current when the article was last submitted; null if it never was. */
  submittedRevision: RevisionRef | null;
  title: ReviewText;
  paragraphs: Array<ReviewText & { index: number }>;
  changeCount: number;
  /** While in review: the revisions written after the submission, oldest first. */
  editsDuringReview: Array<RevisionRef & { byYou: boolean }>;
  /** Whether this user may approve now (the four-eyes rule), as the article record says. */
  approval: ArticleRecord['approval'];
}

const refSelect = { id: true, number: true, kind: true, authorId: true, author: { select: { displayName: true } }, createdAt: true, title: true, paragraphs: true } as const;

interface RevisionText extends RevisionRef {
  title: string;
  paragraphs: string[];
}

type RefRow = { id: number; number: number; kind: string; authorId: number | null; author: { displayName: string } | null; createdAt: Date };

function refOf(r: RefRow): RevisionRef {
  return { id: r.id, number: r.number, kind: r.kind, authorId: r.authorId, authorName: r.author?.displayName ?? null, createdAt: r.createdAt };
}

function refOnly(r: RevisionText): RevisionRef {
  return { id: r.id, number: r.number, kind: r.kind, authorId: r.authorId, authorName: r.authorName, createdAt: r.createdAt };
}

function textOf(r: RefRow & { title: string; paragraphs: unknown }): RevisionText {
  return { ...refOf(r), title: r.title, paragraphs: decodeJson(revisionParagraphs, r.paragraphs, r.id) };
}

/**
 * The revision current at the last submission: the one the latest status change
 * to in_review names (every submission records it). Older rows without one fall
 * back to the newest revision written before the submission.
 */
async function submittedRevision(db: Db, articleId: number): Promise<RevisionText | null> {
  const sc = await db.statusChange.findFirst({ where: { articleId, toStatus: 'in_review' }, orderBy: { id: 'desc' }, select: { revisionId: true, createdAt: true } });
  if (!sc) return null;
  const r = sc.revisionId
    ? await db.revision.findUnique({ where: { id: sc.revisionId }, select: refSelect })
    : await db.revision.findFirst({ where: { articleId, createdAt: { lte: sc.createdAt } }, orderBy: { number: 'desc' }, select: refSelect });
  return r ? textOf(r) : null;
}

/** The last approved revision (pinned on the article), or the first revision (the import) when never approved. */
async function approvedRevision(db: Db, articleId: number, approvedRevisionId: number | null): Promise<RevisionText> {
  const r = approvedRevisionId
    ? await db.revision.findUnique({ where: { id: approvedRevisionId }, select: refSelect })
    : await db.revision.findFirst({ where: { articleId }, orderBy: { number: 'asc' }, select: refSelect });
  if (!r) throw new NotFoundError(`Article ${articleId} has no revision to compare with.`);
  return textOf(r);
}

/**
 * Revisions written by people after revision `afterNumber`, oldest first: the
 * edits a reviewer has not seen (after the submission, or after the revision
 * they opened). Uses the one list of human-authored kinds.
 */
export async function authoredRevisionsAfter(db: Db, articleId: number, afterNumber: number): Promise<RevisionRef[]> {
  const rows = await db.revision.findMany({
    where: { articleId, number: { gt: afterNumber }, kind: { in: [...HUMAN_AUTHORED_KINDS] }, authorId: { not: null } },
    orderBy: { number: 'asc' },
    select: { id: true, number: true, kind: true, authorId: true, author: { select: { displayName: true } }, createdAt: true },
  });
  return rows.map(refOf);
}

/** "Maria at 10:42:05 UTC (revision 5), Omar at …": who wrote these revisions, for messages. */
export function describeEdits(edits: readonly RevisionRef[]): string {
  return edits.map((e) => `${e.authorName ?? 'the system'} at ${e.createdAt.toISOString().slice(11, 19)} UTC (revision ${e.number})`).join(', ');
}

/** What the view and a review decision both compute from one loaded article. */
export interface ReviewComputation {
  view: ReviewView;
  article: LoadedArticle;
  /** Every change of the view by id, with where it lives (null: the title). */
  changes: Map<string, { paragraphIndex: number | null; change: ReviewChange }>;
}

/**
 * Builds the review view of `article` against the chosen baseline: per-paragraph
 * word diffs (the project's bounded diff) cut into changes with stable ids.
 */
export async function computeReview(db: Db, article: LoadedArticle, since: ReviewBaseline, actor: UserActor, opts: WorkflowOptions): Promise<ReviewComputation> {
  const id = article.id;
  const [record, submitted, current] = await Promise.all([
    getArticleRecord(db, id, actor, opts),
    submittedRevision(db, id),
    db.revision.findUnique({ where: { articleId_number: { articleId: id, number: article.revisionCount } }, select: refSelect }),
  ]);
  if (!current) throw new NotFoundError(`Article ${id} has no current revision.`);
  let base: RevisionText;
  if (since === 'submitted') {
    if (!submitted) throw new ConflictError(`Article ${id} has never been submitted for review; compare with since=approved instead.`, { since }, 'not_submitted');
    base = submitted;
  } else {
    base = await approvedRevision(db, id, record.approvedRevisionId);
  }
  const inReview = article.status === 'in_review' && submitted !== null;
  const editedSince = (before: string | undefined, now: string) => inReview && (before ?? '') !== now;
  const changes: ReviewComputation['changes'] = new Map();
  const title = { ...trackChanges(base.title, article.title, 't'), editedDuringReview: editedSince(submitted?.title, article.title) };
  for (const c of title.changes) changes.set(c.id, { paragraphIndex: null, change: c });
  const paragraphs = article.paragraphs.map((p) => {
    const t = trackChanges(base.paragraphs[p.position] ?? '', p.text, `p${p.position}`);
    for (const c of t.changes) changes.set(c.id, { paragraphIndex: p.position, change: c });
    return { index: p.position, ...t, editedDuringReview: editedSince(submitted?.paragraphs[p.position], p.text) };
  });
  const edits = inReview ? await authoredRevisionsAfter(db, id, submitted.number) : [];
  const view: ReviewView = {
    articleId: id,
    since,
    status: article.status,
    version: article.version,
    baseRevision: refOnly(base),
    currentRevision: refOf(current),
    submittedRevision: submitted ? refOnly(submitted) : null,
    title,
    paragraphs,
    changeCount: changes.size,
    editsDuringReview: edits.map((e) => ({ ...e, byYou: e.authorId === actor.id })),
    approval: record.approval,
  };
  return { view, article, changes };
}

/** `GET /api/articles/:id/review?since=submitted|approved`. */
export async function getReview(db: Db, articleId: number, since: ReviewBaseline, actor: UserActor, opts: WorkflowOptions): Promise<ReviewView> {
  const article = await loadArticle(db, articleId);
  return (await computeReview(db, article, since, actor, opts)).view;
}
