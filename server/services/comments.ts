import { z } from 'zod';
import type { Db, Prisma, PrismaClient } from '../db/client';
import { BadRequestError, NotFoundError } from '../errors';
import type { UserActor } from '../auth/context';
import { asList, idOrIds, type ListQuery } from '../http/listQuery';
import { recordAudit } from './audit';
import { permissionDenied } from './permissionDenied';
import { WRITE_TX } from './saveRevision';

export const COMMENT_SORTABLE = ['id', 'createdAt', 'paragraphIndex'] as const;

export const commentListFilter = z
  .object({
    id: idOrIds.optional(),
    articleId: z.coerce.number().int().positive().optional(),
    // null selects comments on the article as a whole.
    paragraphIndex: z.union([z.null(), z.coerce.number().int().min(0)]).optional(),
    resolved: z.boolean().optional(),
  })
  .strict();

const select = {
  id: true,
  articleId: true,
  paragraphIndex: true,
  body: true,
  authorId: true,
  author: { select: { displayName: true } },
  resolved: true,
  resolvedById: true,
  resolvedBy: { select: { displayName: true } },
  resolvedAt: true,
  createdAt: true,
} as const satisfies Prisma.CommentSelect;

/** A comment as the API answers it. */
export interface CommentRecord {
  id: number;
  articleId: number;
  paragraphIndex: number | null;
  body: string;
  authorId: number;
  authorName: string;
  resolved: boolean;
  resolvedById: number | null;
  resolvedByName: string | null;
  resolvedAt: Date | null;
  createdAt: Date;
}

function recordOf(c: Prisma.CommentGetPayload<{ select: typeof select }>): CommentRecord {
  const { author, resolvedBy, ...rest } = c;
  return { ...rest, authorName: author.displayName, resolvedByName: resolvedBy?.displayName ?? null };
}

const body = z
  .string()
  .max(10_000)
  .transform((s) => s.normalize('NFC').trim())
  .refine((s) => s !== '', 'must not be empty');

export const createCommentInput = z.object({
  articleId: z.number().int().positive(),
  paragraphIndex: z.number().int().min(0).nullable().optional(),
  body,
});

export const updateCommentInput = z.object({
  resolved: z.boolean().optional(),
  body: body.optional(),
});

/** One page of comments. */
export async function listComments(db: Db, q: ListQuery<z.output<typeof commentListFilter>>): Promise<{ rows: CommentRecord[]; total: number }> {
  const f = q.filter;
  const where: Prisma.CommentWhereInput = {
    ...(f.id !== undefined ? { id: { in: asList(f.id) } } : {}),
    ...(f.articleId !== undefined ? { articleId: f.articleId } : {}),
    ...(f.paragraphIndex !== undefined ? { paragraphIndex: f.paragraphIndex } : {}),
    ...(f.resolved !== undefined ? { resolved: f.resolved } : {}),
  };
  const [rows, total] = await Promise.all([
    db.comment.findMany({ where, select, orderBy: [{ [q.sort.field]: q.sort.order }, { id: q.sort.order }], skip: q.skip, take: q.take }),
    db.comment.count({ where }),
  ]);
  return { rows: rows.map(recordOf), total };
}

export async function getComment(db: Db, id: number): Promise<CommentRecord> {
  const c = await db.comment.findUnique({ where: { id }, select });
  if (!c) throw new NotFoundError(`Comment ${id} does not exist.`);
  return recordOf(c);
}

/** Creates a comment on an article or one of its paragraphs (the index must exist), audited `comment.create`. */
export async function createComment(db: PrismaClient, input: z.output<typeof createCommentInput>, actor: UserActor): Promise<CommentRecord> {
  const article = await db.article.findUnique({ where: { id: input.articleId }, select: { _count: { select: { paragraphs: true } } } });
  if (!article) throw new BadRequestError(`articleId: article ${input.articleId} does not exist.`, { field: 'articleId' }, 'validation_failed');
  const n = article._count.paragraphs;
  const index = input.paragraphIndex ?? null;
  if (index !== null && index >= n) {
    throw new BadRequestError(`paragraphIndex: article ${input.articleId} has ${n} paragraphs (indexes 0–${n - 1}).`, { field: 'paragraphIndex' }, 'validation_failed');
  }
  return db.$transaction(async (tx) => {
    const c = await tx.comment.create({ data: { articleId: input.articleId, paragraphIndex: index, body: input.body, authorId: actor.id }, select });
    await recordAudit(tx, actor, { action: 'comment.create', entity: 'comment', entityId: c.id, data: { articleId: c.articleId, paragraphIndex: index } });
    return recordOf(c);
  }, WRITE_TX);
}

/**
 * `PUT /api/comments/:id`: resolves or reopens a comment, and lets its author
 * edit the body. Other fields of the record react-admin sends are ignored.
 * One audit event per change (`comment.resolve`, `comment.reopen`, `comment.edit`).
 */
export async function updateComment(db: PrismaClient, id: number, input: z.output<typeof updateCommentInput>, actor: UserActor): Promise<CommentRecord> {
  const before = await db.comment.findUnique({ where: { id }, select: { authorId: true, body: true, resolved: true, articleId: true } });
  if (!before) throw new NotFoundError(`Comment ${id} does not exist.`);
  const edit = input.body !== undefined && input.body !== before.body;
  const resolve = input.resolved !== undefined && input.resolved !== before.resolved;
  if (edit && before.authorId !== actor.id) {
    throw await permissionDenied(db, actor, { entity: 'comment', entityId: id, attempted: 'comment.edit', message: 'Only the author of a comment can change its text.' });
  }
  if (!edit && !resolve) return getComment(db, id);
  return db.$transaction(async (tx) => {
    const c = await tx.comment.update({
      where: { id },
      data: {
        ...(edit ? { body: input.body } : {}),
        ...(resolve ? (input.resolved ? { resolved: true, resolvedById: actor.id, resolvedAt: new Date() } : { resolved: false, resolvedById: null, resolvedAt: null }) : {}),
      },
      select,
    });
    // One request, one audit event: named after the change, or comment.update when it is both.
    const action = edit && resolve ? 'comment.update' : edit ? 'comment.edit' : input.resolved ? 'comment.resolve' : 'comment.reopen';
    if (edit || resolve) {
      await recordAudit(tx, actor, { action, entity: 'comment', entityId: id, data: { articleId: before.articleId, ...(edit ? { edited: true } : {}), ...(resolve ? { resolved: input.resolved } : {}) } });
    }
    return recordOf(c);
  }, WRITE_TX);
}
