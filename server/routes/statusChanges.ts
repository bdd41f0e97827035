import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { parseListQuery, sendList } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { listStatusChanges, STATUS_CHANGE_SORTABLE, statusChangeListFilter } from '../services/transitions';

/** Workflow history: an article's status changes, or recent activity across articles (newest first). */
export function statusChangeRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/status-changes', deps.guard);

  r.get('/', { access: 'article.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: STATUS_CHANGE_SORTABLE, defaultSort: ['createdAt', 'desc'], filter: statusChangeListFilter });
    const { rows, total } = await listStatusChanges(db, q);
    sendList(res, 'status-changes', rows, q.skip, total);
  });

  return r;
}
