import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { actorOf } from '../auth/context';
import { Routes, type Guard } from '../http/routes';
import { applyBulkReplace, previewBulkReplace } from '../services/bulkReplace';

/** `/api/bulk-replace`: preview (read-only) and apply a find/replace across articles not yet approved. */
export function bulkReplaceRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/bulk-replace', deps.guard);

  // A POST because the pattern travels in the body; it changes nothing, so it records no audit event.
  r.post('/preview', { access: 'bulkReplace.run' }, async (req: Request, res: Response) => {
    res.json(await previewBulkReplace(db, req.body));
  });

  r.post('/apply', { access: 'bulkReplace.run', audit: 'article.bulk_replace' }, async (req: Request, res: Response) => {
    res.json(await applyBulkReplace(db, req.body, actorOf(res)));
  });

  return r;
}
