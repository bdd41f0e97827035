import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { Routes, type Guard } from '../http/routes';
import { idParams } from '../http/schemas';
import { articleQa } from '../services/qa';

/** `GET /api/articles/:id/qa`: the QA findings of the article's current text. */
export function qaRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/articles', deps.guard);

  r.get('/:id/qa', { access: 'article.read', params: idParams }, async (_req: Request, res: Response, { params }) => {
    res.json({ findings: await articleQa(db, params.id) });
  });

  return r;
}
