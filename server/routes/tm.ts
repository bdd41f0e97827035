import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { parseListQuery, sendList } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { paragraphParams } from '../http/schemas';
import { CONCORDANCE_SORTABLE, concordanceFilter, lookupTm, searchConcordance } from '../services/tm';

/**
 * Translation memory and concordance: reads over approved text, open to
 * everyone who may read articles (reads are not audited).
 */
export function tmRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api', deps.guard);

  r.get('/articles/:id/paragraphs/:index/tm', { access: 'article.read', params: paragraphParams }, async (_req: Request, res: Response, { params }) => {
    res.json(await lookupTm(db, params.id, params.index));
  });

  r.get('/concordance', { access: 'article.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: CONCORDANCE_SORTABLE, defaultSort: ['id', 'desc'], filter: concordanceFilter });
    const { rows, total } = await searchConcordance(db, q);
    sendList(res, 'concordance', rows, q.skip, total);
  });

  return r;
}
