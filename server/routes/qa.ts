import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { routeId } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { articleQa } from '../services/qa';

/** `GET /api/articles/:id/qa`: the QA findings of the article's current text. */
export function qaRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/articles', deps.guard);

  r.get('/:id/qa', { access: 'article.read' }, async (req: Request, res: Response) => {
    res.json({ findings: await articleQa(db, routeId(req.params.id)) });
  });

  return r;
}
