import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { actorOf } from '../auth/context';
import { Routes, type Guard } from '../http/routes';
import { applyBulkReplace, bulkApplyInput, bulkPreviewInput, previewBulkReplace } from '../services/bulkReplace';

/** `/api/bulk-replace`: preview (read-only) and apply a find/replace across articles not yet approved. */
export function bulkReplaceRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/bulk-replace', deps.guard);

  // A POST because the pattern travels in the body; it changes nothing, so it records no audit event.
  r.post('/preview', { access: 'bulkReplace.run', body: bulkPreviewInput }, async (_req: Request, res: Response, { body }) => {
    res.json(await previewBulkReplace(db, body));
  });

  r.post('/apply', { access: 'bulkReplace.run', audit: 'article.bulk_replace', body: bulkApplyInput }, async (_req: Request, res: Response, { body }) => {
    res.json(await applyBulkReplace(db, body, actorOf(res)));
  });

  return r;
}
