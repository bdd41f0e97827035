import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { actorOf } from '../auth/context';
import { Routes, type Guard } from '../http/routes';
import { idParams } from '../http/schemas';
import { confirmationInput, listConfirmations, setConfirmation } from '../services/confirmations';

/** Paragraph confirmations of an article (segment status). */
export function confirmationRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/articles', deps.guard);

  r.get('/:id/confirmations', { access: 'article.read', params: idParams }, async (_req: Request, res: Response, { params }) => {
    res.json(await listConfirmations(db, params.id));
  });

  r.post('/:id/confirmations', { access: 'article.edit', audit: 'paragraph.confirm', auditVariants: ['paragraph.unconfirm'], params: idParams, body: confirmationInput }, async (_req: Request, res: Response, { params, body }) => {
    res.json(await setConfirmation(db, params.id, body, actorOf(res)));
  });

  return r;
}
