import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { actorOf } from '../auth/context';
import { parseListQuery, routeId, sendList } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { COMMENT_SORTABLE, commentListFilter, createComment, createCommentInput, updateCommentInput, getComment, listComments, updateComment } from '../services/comments';

export function commentRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/comments', deps.guard);

  r.get('/', { access: 'article.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: COMMENT_SORTABLE, defaultSort: ['createdAt', 'asc'], filter: commentListFilter });
    const { rows, total } = await listComments(db, q);
    sendList(res, 'comments', rows, q.skip, total);
  });

  r.get('/:id', { access: 'article.read' }, async (req: Request, res: Response) => {
    res.json(await getComment(db, routeId(req.params.id)));
  });

  r.post('/', { access: 'comment.create', audit: 'comment.create', body: createCommentInput }, async (_req: Request, res: Response, { body }) => {
    res.status(201).json(await createComment(db, body, actorOf(res)));
  });

  // Only `resolved` and (for the author) `body` are read from the record react-admin sends.
  r.put('/:id', { access: 'comment.resolve', audit: 'comment.resolve', auditVariants: ['comment.reopen', 'comment.edit', 'comment.update'], body: updateCommentInput }, async (req: Request, res: Response, { body }) => {
    res.json(await updateComment(db, routeId(req.params.id), body, actorOf(res)));
  });

  return r;
}
