import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { actorOf } from '../auth/context';
import { Routes, type Guard } from '../http/routes';
import { statsSummary } from '../services/stats';

export function statsRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/stats', deps.guard);

  r.get('/summary', { access: 'article.read' }, async (_req: Request, res: Response) => {
    res.json(await statsSummary(db, actorOf(res)));
  });

  return r;
}
