import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { actorOf } from '../auth/context';
import { routeId } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { heartbeat, leave, listPresence } from '../services/presence';

/**
 * Who else has an article open: the editor's heartbeat, the list, and
 * leaving. Not audited (see services/presence.ts and docs/audit-log.md).
 */
export function presenceRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/articles', deps.guard);

  // Heartbeats come from the editor, so only those who can edit send them; auditors only read the list.
  r.post('/:id/presence', { access: 'article.edit' }, async (req: Request, res: Response) => {
    res.json(await heartbeat(db, routeId(req.params.id), req.body, actorOf(res)));
  });

  r.get('/:id/presence', { access: 'article.read' }, async (req: Request, res: Response) => {
    res.json(await listPresence(db, routeId(req.params.id), actorOf(res)));
  });

  r.delete('/:id/presence', { access: 'article.edit' }, async (req: Request, res: Response) => {
    await leave(db, routeId(req.params.id), actorOf(res));
    res.status(204).end();
  });

  return r;
}
