import { z } from 'zod';
import type { PrismaClient } from '../db/client';
import { lockArticleVersion, nextRevisionId, runSave } from '../db/sql/saveRevision';
import { BadRequestError, ConflictError, HttpError } from '../errors';
import type { UserActor } from '../auth/context';
import { applyDecisions, type TrackedText } from '../../shared/reviewChanges';
import { decideTransition } from '../../shared/workflow';
import { recordAudit } from './audit';
import { getArticleRecord, type ArticleRecord, type WorkflowOptions } from './articleRecord';
import { permissionDenied } from './permissionDenied';
import { buildRevisionData, type Snapshot } from './revisionData';
import { authoredRevisionsAfter, computeReview, describeEdits, REVIEW_BASELINES, type ReviewComputation } from './reviewView';
import { loadArticle, saveStatement, snapshotOf, versionConflict, WRITE_TX } from './saveRevision';
import { note } from '../http/schemas';
import { isPermissionRefusal, TRANSITION_REFUSAL_STATUS } from '../http/outcomes';

export const reviewInput = z.object({
  since: z.enum(REVIEW_BASELINES, { error: () => `must be one of: ${REVIEW_BASELINES.join(', ')}` }),
  version: z.number({ error: () => 'is required: send the version of the review you loaded' }).int().positive(),
  decisions: z
    .array(
      z.object({
        changeId: z.string().min(1).max(200),
        decision: z.enum(['accept', 'reject'], { error: () => 'must be accept or reject' }),
        note,
      }),
    )
    .max(20_000),
});
/** A review as the route table parsed it. */
export type ReviewInput = z.output<typeof reviewInput>;

/** What `POST /api/articles/:id/review` answers. */
export interface ReviewResult {
  accepted: number;
  rejected: number;
  /** The revision that reverted the rejected changes; null when everything was accepted. */
  revisionId: number | null;
  revisionNumber: number | null;
  commentIds: number[];
  article: ArticleRecord;
}

/** How long a quoted piece of text may be in a comment before it is cut. */
const QUOTE = 80;
const quote = (s: string) => `“${s.length > QUOTE ? `${s.slice(0, QUOTE - 1)}…` : s}”`;

/** The comment a rejection leaves on its paragraph: what was undone, and why. */
export function rejectionComment(change: { del: string; ins: string }, why: string): string {
  const what = change.del === '' ? `removed the insertion ${quote(change.ins)}` : change.ins === '' ? `restored the deleted ${quote(change.del)}` : `restored ${quote(change.del)} in place of ${quote(change.ins)}`;
  return `Review: rejected a change and ${what}. ${why}`;
}

/** The 409 for a stale review, naming who changed the article since the reviewer loaded it. */
async function staleReview(db: PrismaClient, articleId: number, baseVersion: number, actor: UserActor, opts: WorkflowOptions): Promise<ConflictError> {
  const conflict = await versionConflict(db, articleId, baseVersion, actor, opts);
  const seen = await db.revision.findFirst({ where: { articleId, articleVersion: { lte: baseVersion } }, orderBy: { articleVersion: 'desc' }, select: { number: true } });
  const edits = seen ? await authoredRevisionsAfter(db, articleId, seen.number) : [];
  const who = edits.length > 0 ? ` Edited by ${describeEdits(edits)}.` : '';
  return new ConflictError(`${conflict.message}${who}`, { ...(conflict.details as object), changedBy: edits }, 'version_conflict');
}

/**
 * Checks the decisions against the changes of the view: every change decided
 * exactly once, no unknown ids, and every rejection carries a note. Each error
 * names the change and the field.
 */
function checkDecisions(comp: ReviewComputation, decisions: z.output<typeof reviewInput>['decisions']): Map<string, string> {
  const rejected = new Map<string, string>();
  const seen = new Set<string>();
  decisions.forEach((d, i) => {
    const field = `decisions.${i}`;
    if (!comp.changes.has(d.changeId)) {
      throw new BadRequestError(`${field}.changeId: change ${d.changeId} is not one of the ${comp.changes.size} changes of this review; reload the review.`, { field: `${field}.changeId`, changeId: d.changeId }, 'unknown_change');
    }
    if (seen.has(d.changeId)) throw new BadRequestError(`${field}.changeId: change ${d.changeId} is decided twice.`, { field: `${field}.changeId`, changeId: d.changeId }, 'validation_failed');
    seen.add(d.changeId);
    if (d.decision === 'reject') {
      if (!d.note) throw new BadRequestError(`${field}.note: rejecting change ${d.changeId} needs a note telling the editor why.`, { field: `${field}.note`, changeId: d.changeId }, 'note_required');
      rejected.set(d.changeId, d.note);
    }
  });
  const undecided = [...comp.changes.keys()].filter((id) => !seen.has(id));
  if (undecided.length > 0) {
    throw new BadRequestError(`decisions: ${undecided.length} change${undecided.length === 1 ? ' is' : 's are'} not decided (${undecided.slice(0, 5).join(', ')}${undecided.length > 5 ? ', …' : ''}); accept or reject each change.`, { field: 'decisions', undecided }, 'undecided_changes');
  }
  return rejected;
}

/**
 * `POST /api/articles/:id/review`: the reviewer's decision on every tracked
 * change of the view they loaded (`since`, `version`). Accepting everything
 * writes only the `article.review` audit event. Rejecting any change writes, in
 * one transaction: ONE revision (kind `review`) with the rejected changes
 * reverted, the status change in_review → changes_requested, one comment per
 * rejection on its paragraph (the title's on the article), and the audit event.
 * A stale version answers 409 naming who changed the article.
 */
export async function submitReview(db: PrismaClient, articleId: number, input: ReviewInput, actor: UserActor, opts: WorkflowOptions): Promise<ReviewResult> {
  const article = await loadArticle(db, articleId);
  if (input.version !== article.version) throw await staleReview(db, articleId, input.version, actor, opts);
  if (article.status !== 'in_review') {
    throw new ConflictError(`Article ${articleId} is ${article.status}, not in review; only an article in review can be reviewed.`, { status: article.status }, 'not_in_review');
  }
  const comp = await computeReview(db, article, input.since, actor, opts);
  const rejected = checkDecisions(comp, input.decisions);
  const accepted = comp.changes.size - rejected.size;
  const { view } = comp;
  const auditBase = { since: input.since, baseRevisionId: view.baseRevision.id, reviewedRevisionId: view.currentRevision.id, accepted, rejected: rejected.size };

  if (rejected.size === 0) {
    const ok = await db.$transaction(async (tx) => {
      // The row lock makes "nothing changed since the view" hold until the event commits.
      if ((await lockArticleVersion(tx, articleId)) !== article.version) return false;
      await recordAudit(tx, actor, { action: 'article.review', entity: 'article', entityId: articleId, data: auditBase });
      return true;
    }, WRITE_TX);
    if (!ok) throw await staleReview(db, articleId, article.version, actor, opts);
    return { accepted, rejected: 0, revisionId: null, revisionNumber: null, commentIds: [], article: await getArticleRecord(db, articleId, actor, opts) };
  }

  const summary = `${rejected.size} of ${comp.changes.size} change${comp.changes.size === 1 ? '' : 's'} rejected in review: ${[...rejected.values()].join(' / ')}`.slice(0, 2000);
  const d = decideTransition({ role: actor.role, actorId: actor.id, from: 'in_review', to: 'changes_requested', note: summary, authorsSinceLastApproval: [], fourEyes: opts.fourEyes });
  if (!d.ok) {
    const details = { from: 'in_review', to: 'changes_requested', allowed: d.allowed };
    if (isPermissionRefusal(d.code)) throw await permissionDenied(db, actor, { entity: 'article', entityId: articleId, attempted: 'article.review', message: d.message, code: d.code, details });
    throw new HttpError(TRANSITION_REFUSAL_STATUS[d.code], d.code, d.message, details);
  }
  const revert = (t: TrackedText) => applyDecisions(t, new Set(t.changes.filter((c) => rejected.has(c.id)).map((c) => c.id)));
  const next: Snapshot = { title: revert(view.title), paragraphs: view.paragraphs.map(revert) };
  const mt: Snapshot = { title: article.mtTitle, paragraphs: article.paragraphs.map((p) => p.mt) };
  const data = buildRevisionData(snapshotOf(article), next, mt);

  const result = await db.$transaction(async (tx) => {
    const revisionId = await nextRevisionId(tx);
    const note = `Review: ${rejected.size} of ${comp.changes.size} changes rejected and reverted (compared with the ${input.since === 'submitted' ? 'submitted' : 'last approved'} revision ${view.baseRevision.number}).`;
    const { statement, saved } = saveStatement({ article, next, kind: 'review', note, audit: false, data, revisionId, updatedAt: new Date() }, actor);
    if ((await runSave(tx, statement)) === null) return null;
    const { count } = await tx.article.updateMany({ where: { id: articleId, version: saved.version, status: 'in_review' }, data: { status: 'changes_requested' } });
    if (count === 0) throw new Error(`Article ${articleId} changed inside the review transaction.`);
    await tx.statusChange.create({ data: { articleId, fromStatus: 'in_review', toStatus: 'changes_requested', actorId: actor.id, note: summary, revisionId } });
    const commentIds: number[] = [];
    for (const [changeId, why] of rejected) {
      const { paragraphIndex, change } = comp.changes.get(changeId)!;
      const c = await tx.comment.create({ data: { articleId, paragraphIndex, body: rejectionComment(change, why), authorId: actor.id }, select: { id: true } });
      commentIds.push(c.id);
    }
    await recordAudit(tx, actor, {
      action: 'article.review',
      entity: 'article',
      entityId: articleId,
      data: { ...auditBase, revisionId, number: saved.revisionCount, rejectedChanges: [...rejected.keys()], statusFrom: 'in_review', statusTo: 'changes_requested', commentIds },
    });
    return { revisionId, revisionNumber: saved.revisionCount, commentIds };
  }, WRITE_TX);
  if (!result) throw await staleReview(db, articleId, article.version, actor, opts);
  return { accepted, rejected: rejected.size, ...result, article: await getArticleRecord(db, articleId, actor, opts) };
}
