import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { actorOf } from '../auth/context';
import { parseListQuery, sendList } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { idParams } from '../http/schemas';
import { COMMENT_SORTABLE, commentListFilter, createComment, createCommentInput, updateCommentInput, getComment, listComments, updateComment } from '../services/comments';

export function commentRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/comments', deps.guard);

  r.get('/', { access: 'article.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: COMMENT_SORTABLE, defaultSort: ['createdAt', 'asc'], filter: commentListFilter });
    const { rows, total } = await listComments(db, q);
    sendList(res, 'comments', rows, q.skip, total);
  });

  r.get('/:id', { access: 'article.read', params: idParams }, async (_req: Request, res: Response, { params }) => {
    res.json(await getComment(db, params.id));
  });

  r.post('/', { access: 'comment.create', audit: 'comment.create', body: createCommentInput }, async (_req: Request, res: Response, { body }) => {
    res.status(201).json(await createComment(db, body, actorOf(res)));
  });

  // Only `resolved` and (for the author) `body` are read from the record react-admin sends.
  r.put('/:id', { access: 'comment.resolve', audit: 'comment.resolve', auditVariants: ['comment.reopen', 'comment.edit', 'comment.update'], body: updateCommentInput, params: idParams }, async (_req: Request, res: Response, { body, params }) => {
    res.json(await updateComment(db, params.id, body, actorOf(res)));
  });

  return r;
}
