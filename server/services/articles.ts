import { z } from 'zod';
import { note } from '../http/schemas';
import { type Db, type PrismaClient } from '../db/client';
import { ARTICLE_LIST_SORTABLE, articleListPage } from '../db/sql/articleList';
import { BadRequestError } from '../errors';
import type { UserActor } from '../auth/context';
import { MAX_PARAGRAPH_CHARS } from '../http/inputGuards';
import { asList, idOrIds, type ListQuery } from '../http/listQuery';
import { dateBound } from '../http/dateRange';
import { can } from '../../shared/permissions';
import { STATUSES } from '../../shared/workflow';
import { recordAudit } from './audit';
import { isAssignableRole } from './assignees';
import { getArticleRecord, readArticleState, recordOf, stateAfterSave, type ArticleRecord, type ArticleRow, type WorkflowOptions } from './articleRecord';
import { permissionDenied } from './permissionDenied';
import { archivedError, loadedFromState, saveRevision, versionConflict, WRITE_TX, type LoadedArticle } from './saveRevision';

export const ARTICLE_SORTABLE = ARTICLE_LIST_SORTABLE;

const status = z.enum(STATUSES, { error: () => `must be one of: ${STATUSES.join(', ')}` });
const positiveId = z.coerce.number().int().positive();

export const articleListFilter = z
  .object({
    id: idOrIds.optional(),
    status: z.union([status, z.array(status).max(STATUSES.length)]).optional(),
    assigneeId: z.union([z.null(), z.literal('me'), positiveId], { error: () => 'must be a user id, "me" or null (unassigned)' }).optional(),
    q: z.string().max(500).optional(),
    importBatchId: positiveId.optional(),
    batchId: positiveId.optional(),
    updatedAt_gte: dateBound('start').optional(),
    updatedAt_lte: dateBound('end').optional(),
  })
  .strict();

export type ArticleListFilter = z.output<typeof articleListFilter>;

/** One page of the article list plus the total (the SQL: server/db/sql/articleList.ts). */
export async function listArticles(db: Db, q: ListQuery<ArticleListFilter>, actor: UserActor): Promise<{ rows: ArticleRow[]; total: number }> {
  const f = q.filter;
  const sortField = ARTICLE_LIST_SORTABLE.find((s) => s === q.sort.field);
  if (!sortField) throw new BadRequestError(`Cannot sort by "${q.sort.field}".`, { param: 'sort' });
  const assignee = f.assigneeId === 'me' ? actor.id : f.assigneeId;
  return articleListPage(
    db,
    {
      ...(f.id !== undefined ? { ids: asList(f.id) } : {}),
      ...(f.status !== undefined ? { statuses: asList(f.status) } : {}),
      ...(assignee !== undefined ? { assigneeId: assignee } : {}),
      ...((f.importBatchId ?? f.batchId) !== undefined ? { importBatchId: f.importBatchId ?? f.batchId } : {}),
      ...(f.q?.trim() ? { q: f.q.trim() } : {}),
      ...(f.updatedAt_gte ? { updatedFrom: f.updatedAt_gte } : {}),
      ...(f.updatedAt_lte ? { updatedTo: f.updatedAt_lte } : {}),
    },
    { field: sortField, order: q.sort.order === 'asc' ? 'asc' : 'desc' },
    { take: q.take, skip: q.skip },
  );
}

const nullableId = z.preprocess((v) => (v === '' ? null : v), z.number().int().positive().nullable());

export const updateArticleInput = z.object({
  title: z
    .string()
    .max(2000)
    .transform((s) => s.normalize('NFC').trim())
    .refine((s) => s !== '', 'must not be empty')
    .optional(),
  // react-admin sends each paragraph whole (mt, source…); only index and text are read.
  paragraphs: z
    .array(z.looseObject({ index: z.number().int().min(0), text: z.string().transform((s) => s.normalize('NFC')) }))
    .max(100_000)
    .optional(),
  assigneeId: nullableId.optional(),
  note,
  version: z.number().int().positive().optional(),
});
export type UpdateArticleInput = z.input<typeof updateArticleInput>;

/** "an auditor", "a reviewer": a role with its article, for messages. */
function article_(role: string): string {
  return `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
}

/**
 * Checks an assignment change. Reviewers and admins assign anyone active who
 * can edit; editors may only take an unassigned article or give up their own.
 * A refusal is audited.
 */
async function checkAssignment(db: PrismaClient, article: LoadedArticle, to: number | null, actor: UserActor): Promise<string | null> {
  let name: string | null = null;
  if (to !== null) {
    const user = await db.user.findUnique({ where: { id: to }, select: { disabled: true, role: true, username: true, displayName: true } });
    if (!user || user.disabled || !isAssignableRole(user.role)) {
      const why = !user ? 'does not exist' : user.disabled ? `(${user.username}) is disabled` : `(${user.username}) is ${article_(user.role)} and cannot edit`;
      throw new BadRequestError(`assigneeId: user ${to} ${why}.`, { field: 'assigneeId' }, 'validation_failed');
    }
    name = user.displayName;
  }
  if (can(actor.role, 'article.assign.any')) return name;
  const takesFree = article.assigneeId === null && to === actor.id;
  const dropsOwn = article.assigneeId === actor.id && to === null;
  if (can(actor.role, 'article.assign.self') && (takesFree || dropsOwn)) return name;
  const message =
    to !== null && to !== actor.id
      ? `Your role (${actor.role}) may only assign articles to yourself; a reviewer or admin assigns them to others.`
      : `This article is assigned to someone else; only a reviewer or admin can reassign it.`;
  throw await permissionDenied(db, actor, { entity: 'article', entityId: article.id, attempted: 'article.assign', message, details: { from: article.assigneeId, to } });
}

/**
 * `PUT /api/articles/:id`: saves the title and paragraph texts as a new
 * revision when they differ from the current text, and/or changes the
 * assignee. `version` (the version the editor loaded) is required with text
 * and checked atomically; a stale one is a 409 with the paragraphs others
 * changed. Returns the full record: after a save, the state read before it
 * with the save's changes applied (exactly what a new read would return:
 * the write matched that state's version), so a save costs three round
 * trips: the session, this read and the save's statement.
 */
export async function updateArticle(db: PrismaClient, id: number, input: z.output<typeof updateArticleInput>, actor: UserActor, opts: WorkflowOptions): Promise<ArticleRecord> {
  if ((input.title !== undefined || input.paragraphs !== undefined) && input.version === undefined) {
    throw new BadRequestError('version: is required with title or paragraphs (send the version you edited, so no one else\'s change is overwritten).', { field: 'version' }, 'validation_failed');
  }
  const state = await readArticleState(db, id, opts, input.title !== undefined || input.paragraphs !== undefined);
  const article = loadedFromState(state);
  if (input.version !== undefined && input.version !== article.version) throw await versionConflict(db, id, input.version, actor, opts);

  const texts = article.paragraphs.map((p) => p.text);
  const seen = new Set<number>();
  for (const [i, p] of (input.paragraphs ?? []).entries()) {
    if (p.index >= texts.length) {
      throw new BadRequestError(`paragraphs.${i}.index: the article has ${texts.length} paragraphs (indexes 0–${texts.length - 1}); paragraphs cannot be added.`, { field: `paragraphs.${i}.index` }, 'validation_failed');
    }
    if (seen.has(p.index)) throw new BadRequestError(`paragraphs.${i}.index: paragraph ${p.index} is sent twice.`, { field: `paragraphs.${i}.index` }, 'validation_failed');
    if (p.text.length > MAX_PARAGRAPH_CHARS) {
      throw new BadRequestError(
        `paragraphs.${i}.text: paragraph ${p.index} is ${p.text.length} characters long; a paragraph may hold at most ${MAX_PARAGRAPH_CHARS}. Split it.`,
        { field: `paragraphs.${i}.text`, index: p.index, max: MAX_PARAGRAPH_CHARS },
        'paragraph_too_long',
      );
    }
    seen.add(p.index);
    texts[p.index] = p.text;
  }
  const next = { title: input.title ?? article.title, paragraphs: texts };
  const textChanged = next.title !== article.title || texts.some((t, i) => t !== article.paragraphs[i].text);
  const assignTo = input.assigneeId === undefined ? article.assigneeId : input.assigneeId;
  const assignChanged = assignTo !== article.assigneeId;

  if (!textChanged && !assignChanged) return recordOf(state, actor, opts);
  if (article.status === 'archived') throw archivedError(id, 'archived articles are read-only; unarchive first');
  const assigneeName = assignChanged ? await checkAssignment(db, article, assignTo, actor) : state.assigneeName;

  if (textChanged) {
    const saved = await saveRevision(db, { article, next, kind: 'edit', note: input.note, assigneeId: assignChanged ? assignTo : undefined }, actor);
    if (!saved) throw await versionConflict(db, id, article.version, actor, opts);
    return recordOf(stateAfterSave(state, saved, actor, assigneeName), actor, opts);
  }
  const ok = await db.$transaction(async (tx) => {
    const { count } = await tx.article.updateMany({ where: { id, version: article.version, status: article.status }, data: { assigneeId: assignTo, version: { increment: 1 } } });
    if (count === 0) return false;
    await recordAudit(tx, actor, { action: 'article.assign', entity: 'article', entityId: id, data: { from: article.assigneeId, to: assignTo } });
    return true;
  }, WRITE_TX);
  if (!ok) throw await versionConflict(db, id, article.version, actor, opts);
  return getArticleRecord(db, id, actor, opts);
}
