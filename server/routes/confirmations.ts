import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { actorOf } from '../auth/context';
import { routeId } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { listConfirmations, setConfirmation } from '../services/confirmations';

/** Paragraph confirmations of an article (segment status). */
export function confirmationRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/articles', deps.guard);

  r.get('/:id/confirmations', { access: 'article.read' }, async (req: Request, res: Response) => {
    res.json(await listConfirmations(db, routeId(req.params.id)));
  });

  r.post('/:id/confirmations', { access: 'article.edit', audit: 'paragraph.confirm', auditVariants: ['paragraph.unconfirm'] }, async (req: Request, res: Response) => {
    res.json(await setConfirmation(db, routeId(req.params.id), req.body, actorOf(res)));
  });

  return r;
}
