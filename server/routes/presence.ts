import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { actorOf } from '../auth/context';
import { Routes, type Guard } from '../http/routes';
import { idParams } from '../http/schemas';
import { heartbeat, heartbeatInput, leave, listPresence } from '../services/presence';

/**
 * Who else has an article open: the editor's heartbeat, the list, and
 * leaving. Not audited (see services/presence.ts and docs/audit-log.md).
 */
export function presenceRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/articles', deps.guard);

  // Heartbeats come from the editor, so only those who can edit send them; auditors only read the list.
  r.post('/:id/presence', { access: 'article.edit', params: idParams, body: heartbeatInput }, async (_req: Request, res: Response, { params, body }) => {
    res.json(await heartbeat(db, params.id, body, actorOf(res)));
  });

  r.get('/:id/presence', { access: 'article.read', params: idParams }, async (_req: Request, res: Response, { params }) => {
    res.json(await listPresence(db, params.id, actorOf(res)));
  });

  r.delete('/:id/presence', { access: 'article.edit', params: idParams }, async (_req: Request, res: Response, { params }) => {
    await leave(db, params.id, actorOf(res));
    res.status(204).end();
  });

  return r;
}
