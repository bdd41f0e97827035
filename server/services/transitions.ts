import { z } from 'zod';
import { note } from '../http/schemas';
import type { Db, Prisma, PrismaClient } from '../db/client';
import { ConflictError, HttpError, NotFoundError } from '../errors';
import type { UserActor } from '../auth/context';
import { asList, idOrIds, type ListQuery } from '../http/listQuery';
import { APPROVAL_GATE_REFUSAL_STATUS, isPermissionRefusal, TRANSITION_REFUSAL_STATUS } from '../http/outcomes';
import { decideApprovalGate, OVERRIDE_REASON_MAX } from '../../shared/gates';
import { decideTransition, STATUSES, type ArticleStatus } from '../../shared/workflow';
import { can } from '../../shared/permissions';
import { assigneeAfterTransition } from '../policy/routing';
import { HUMAN_AUTHORED_KINDS } from '../../shared/revisionKinds';
import { recordAudit } from './audit';
import { authorsSinceLastApproval, getArticleRecord, type ArticleRecord, type WorkflowOptions } from './articleRecord';
import { permissionDenied } from './permissionDenied';
import { authoredRevisionsAfter, describeEdits } from './reviewView';
import { loadArticle, versionConflict, WRITE_TX } from './saveRevision';
import { syncTmSegments, TM_STATUSES } from './tm';

/** A problem the QA checks found that blocks approval when COPYDESK_QA_BLOCKS_APPROVAL is on. */
export interface QaBlockingIssue {
  paragraphIndex: number | null;
  message: string;
  check?: string;
}

/**
 * The hook the QA module plugs into: the blocking QA errors of an article's
 * current text. Called before approval only when `qaBlocksApproval` is on.
 */
export type ApprovalQaCheck = (db: Db, articleId: number) => Promise<QaBlockingIssue[]>;

export interface TransitionOptions extends WorkflowOptions {
  qaBlocksApproval: boolean;
  /** Supplied by the QA module; without it, approval refuses while `qaBlocksApproval` is on rather than pretend QA passed. */
  qaCheck?: ApprovalQaCheck;
}

const status = z.enum(STATUSES, { error: () => `must be one of: ${STATUSES.join(', ')}` });

export const transitionInput = z.object({
  to: status,
  note,
  version: z.number({ error: () => 'is required: send the version you reviewed' }).int().positive(),
  /** Approving with open error findings or unresolved comments needs this; see shared/gates.ts. */
  override: z.object({ reason: z.string().max(OVERRIDE_REASON_MAX) }).strict().nullable().optional(),
  /** The revision the caller saw (the admin always sends it when approving); optional for older callers, whom `version` still protects. */
  revisionId: z.number({ error: () => 'must be the id of the revision you reviewed' }).int().positive().optional(),
});

/**
 * `POST /api/articles/:id/transitions`: a user-requested status change,
 * decided by the workflow policy (with the four-eyes rule from the authors of
 * revisions since the last approval). Approval pins the current revision.
 * Writes the StatusChange and the `article.transition` audit event in one
 * transaction; refusals answer 403/409/400 with `details.allowed`, and 403s
 * are audited as `permission.denied`.
 */
export async function transitionArticle(db: PrismaClient, id: number, input: z.output<typeof transitionInput>, actor: UserActor, opts: TransitionOptions): Promise<ArticleRecord> {
  const article = await loadArticle(db, id);
  const current = await db.revision.findUniqueOrThrow({ where: { articleId_number: { articleId: id, number: article.revisionCount } }, select: { id: true } });
  if (input.revisionId !== undefined && input.revisionId !== current.id) throw await revisionChanged(db, id, input.revisionId, article.revisionCount);
  if (input.version !== article.version) throw await versionConflict(db, id, input.version, actor, opts);
  const from = article.status;
  const authors = input.to === 'approved' && opts.fourEyes ? await authorsSinceLastApproval(db, id) : [];
  const d = decideTransition({ role: actor.role, actorId: actor.id, from, to: input.to, note: input.note, authorsSinceLastApproval: authors, fourEyes: opts.fourEyes });
  if (!d.ok) {
    const details = { from, to: input.to, allowed: d.allowed };
    if (isPermissionRefusal(d.code)) throw await permissionDenied(db, actor, { entity: 'article', entityId: id, attempted: `article.transition:${from}->${input.to}`, message: d.message, code: d.code, details });
    throw new HttpError(TRANSITION_REFUSAL_STATUS[d.code], d.code, d.message, details);
  }
  if (d.name === 'approve' && opts.qaBlocksApproval) {
    if (!opts.qaCheck) {
      throw new HttpError(503, 'qa_unavailable', 'Approval requires passing QA checks (COPYDESK_QA_BLOCKS_APPROVAL is on) but no QA module is installed; turn the setting off or install QA.');
    }
    const issues = await opts.qaCheck(db, id);
    if (issues.length > 0) throw new HttpError(409, 'qa_failed', `Approval is blocked by ${issues.length} QA error${issues.length === 1 ? '' : 's'}; fix them first.`, { issues });
  }
  const gate = d.name === 'approve' ? await approvalGate(db, id, input.override, opts) : null;

  const ok = await db.$transaction(async (tx) => {
    const data: Prisma.ArticleUpdateManyMutationInput & { approvedRevisionId?: number; approvedById?: number; assigneeId?: number | null } = { status: input.to, version: { increment: 1 } };
    if (d.name === 'approve') Object.assign(data, { approvedRevisionId: current.id, approvedById: actor.id, approvedAt: new Date() });
    // Read inside the transaction and applied by the version-checked update:
    // a save adding a newer revision meanwhile bumps the version, and then
    // this update matches nothing.
    const lastEditor = d.name === 'requestChanges' ? await lastHumanEditor(tx, id) : null;
    const assigneeId = assigneeAfterTransition({ transition: d.name, current: article.assigneeId, lastEditor });
    if (assigneeId !== article.assigneeId) data.assigneeId = assigneeId;
    const { count } = await tx.article.updateMany({ where: { id, version: article.version, status: from }, data });
    if (count === 0) return false;
    await tx.statusChange.create({ data: { articleId: id, fromStatus: from, toStatus: input.to, actorId: actor.id, note: input.note, revisionId: current.id } });
    // Approval adds the pinned text to the translation memory; archiving takes it out.
    if (TM_STATUSES.includes(from) || TM_STATUSES.includes(input.to)) await syncTmSegments(tx, [id]);
    const routed = assigneeId !== article.assigneeId ? { assigneeFrom: article.assigneeId, assigneeTo: assigneeId } : {};
    const override = gate?.override ? { override: gate.override } : {};
    await recordAudit(tx, actor, { action: 'article.transition', entity: 'article', entityId: id, data: { from, to: input.to, note: input.note, revisionId: current.id, ...routed, ...override } });
    return true;
  }, WRITE_TX);
  if (!ok) throw await versionConflict(db, id, article.version, actor, opts);
  return getArticleRecord(db, id, actor, opts);
}

/**
 * The author of the article's newest human-authored revision (`HUMAN_AUTHORED_KINDS`:
 * imports and MT updates have no human author), and whether they may still edit.
 */
export async function lastHumanEditor(db: Db, articleId: number): Promise<{ id: number; canEdit: boolean } | null> {
  const rev = await db.revision.findFirst({
    where: { articleId, kind: { in: [...HUMAN_AUTHORED_KINDS] }, authorId: { not: null } },
    orderBy: { number: 'desc' },
    select: { author: { select: { id: true, role: true, disabled: true } } },
  });
  const u = rev?.author;
  return u ? { id: u.id, canEdit: !u.disabled && can(u.role, 'article.edit') } : null;
}

/**
 * The approval gate (shared/gates.ts) over the article's open error
 * findings and unresolved comments. Read before the write transaction: a
 * comment or an edit that lands in between moves the version (a save) or is
 * caught by the next review, and the version check of the write still holds.
 */
async function approvalGate(db: PrismaClient, id: number, override: { reason: string } | null | undefined, opts: TransitionOptions) {
  const [errors, comments] = await Promise.all([
    opts.qaCheck ? opts.qaCheck(db, id) : Promise.resolve([]),
    db.comment.findMany({ where: { articleId: id, resolved: false }, select: { id: true, paragraphIndex: true, body: true }, orderBy: { id: 'asc' } }),
  ]);
  const openErrors = errors.map((e) => ({ paragraphIndex: e.paragraphIndex ?? -1, check: e.check ?? 'qa', message: e.message }));
  const g = decideApprovalGate({ openErrors, openComments: comments, override });
  if (!g.ok) throw new HttpError(APPROVAL_GATE_REFUSAL_STATUS[g.code], g.code, g.message, { openErrors: g.openErrors, openComments: g.openComments });
  return g;
}

/**
 * The 409 for a transition requested on a revision that is no longer current
 * ("changed since you opened it"), naming the current revision and who wrote
 * the revisions since; 404 when the revision is not one of this article's.
 */
async function revisionChanged(db: PrismaClient, articleId: number, seenId: number, currentNumber: number): Promise<HttpError> {
  const seen = await db.revision.findUnique({ where: { id: seenId }, select: { articleId: true, number: true } });
  if (!seen || seen.articleId !== articleId) return new NotFoundError(`Revision ${seenId} is not a revision of article ${articleId}.`);
  const edits = await authoredRevisionsAfter(db, articleId, seen.number);
  const who = edits.length > 0 ? ` Since then: ${describeEdits(edits)}.` : '';
  return new ConflictError(
    `Article ${articleId} changed since you opened it: you reviewed revision ${seen.number}, the current revision is ${currentNumber}.${who} Nothing was changed; review the new text first.`,
    { seenRevisionId: seenId, seenRevisionNumber: seen.number, currentRevisionNumber: currentNumber, changedBy: edits },
    'revision_changed',
  );
}

export const STATUS_CHANGE_SORTABLE = ['id', 'createdAt'] as const;

export const statusChangeListFilter = z
  .object({
    id: idOrIds.optional(),
    articleId: z.coerce.number().int().positive().optional(),
    toStatus: z.union([status, z.array(status).max(STATUSES.length)]).optional(),
    actorId: z.coerce.number().int().positive().optional(),
  })
  .strict();

/** A row of `GET /api/status-changes`. `actorName` is null for system changes (import, export run). */
export interface StatusChangeRow {
  id: number;
  articleId: number;
  fromStatus: ArticleStatus | null;
  toStatus: ArticleStatus;
  actorId: number | null;
  actorName: string | null;
  note: string | null;
  revisionId: number | null;
  createdAt: Date;
}

/** One page of status changes: an article's workflow history, or recent activity without the articleId filter. */
export async function listStatusChanges(db: Db, q: ListQuery<z.output<typeof statusChangeListFilter>>): Promise<{ rows: StatusChangeRow[]; total: number }> {
  const f = q.filter;
  const where: Prisma.StatusChangeWhereInput = {
    ...(f.id !== undefined ? { id: { in: asList(f.id) } } : {}),
    ...(f.articleId !== undefined ? { articleId: f.articleId } : {}),
    ...(f.toStatus !== undefined ? { toStatus: { in: asList(f.toStatus) } } : {}),
    ...(f.actorId !== undefined ? { actorId: f.actorId } : {}),
  };
  const [rows, total] = await Promise.all([
    db.statusChange.findMany({
      where,
      select: { id: true, articleId: true, fromStatus: true, toStatus: true, actorId: true, actor: { select: { displayName: true } }, note: true, revisionId: true, createdAt: true },
      orderBy: [{ [q.sort.field]: q.sort.order }, { id: q.sort.order }],
      skip: q.skip,
      take: q.take,
    }),
    db.statusChange.count({ where }),
  ]);
  return { rows: rows.map(({ actor, ...r }) => ({ ...r, actorName: actor?.displayName ?? null })), total };
}
