import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { parseListQuery, sendList } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { idParams } from '../http/schemas';
import { getRevision, listRevisions, REVISION_SORTABLE, revisionListFilter } from '../services/revisions';

/** Revisions are read-only: they are written by saves, restores and imports, never through this resource. */
export function revisionRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/revisions', deps.guard);

  r.get('/', { access: 'revision.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: REVISION_SORTABLE, defaultSort: ['createdAt', 'desc'], filter: revisionListFilter });
    const { rows, total } = await listRevisions(db, q);
    sendList(res, 'revisions', rows, q.skip, total);
  });

  r.get('/:id', { access: 'revision.read', params: idParams }, async (_req: Request, res: Response, { params }) => {
    res.json(await getRevision(db, params.id));
  });

  return r;
}
