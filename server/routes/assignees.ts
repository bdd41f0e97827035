import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { parseListQuery, sendList } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { idParams } from '../http/schemas';
import { ASSIGNEE_SORTABLE, assigneeListFilter, getAssignee, listAssignees } from '../services/assignees';

/** The assignee picker's resource: people who can be given an article (readable by everyone who reads articles, unlike /api/users). */
export function assigneeRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/assignees', deps.guard);

  r.get('/', { access: 'article.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: ASSIGNEE_SORTABLE, defaultSort: ['displayName', 'asc'], filter: assigneeListFilter });
    const { rows, total } = await listAssignees(db, q);
    sendList(res, 'assignees', rows, q.skip, total);
  });

  r.get('/:id', { access: 'article.read', params: idParams }, async (_req: Request, res: Response, { params }) => {
    res.json(await getAssignee(db, params.id));
  });

  return r;
}
