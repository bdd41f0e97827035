import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { BadRequestError } from '../errors';
import { parseListQuery, routeId, sendList } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { CONCORDANCE_SORTABLE, concordanceFilter, lookupTm, searchConcordance } from '../services/tm';

/** A 0-based paragraph index from the path; 400 naming it otherwise. */
function paragraphIndex(raw: string | string[] | undefined): number {
  const s = Array.isArray(raw) ? raw[0] : raw;
  if (s === undefined || !/^\d{1,6}$/.test(s)) throw new BadRequestError(`Paragraph index "${String(s)}" must be a whole number from 0.`, { param: 'index' });
  return Number(s);
}

/**
 * Translation memory and concordance: reads over approved text, open to
 * everyone who may read articles (reads are not audited).
 */
export function tmRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api', deps.guard);

  r.get('/articles/:id/paragraphs/:index/tm', { access: 'article.read' }, async (req: Request, res: Response) => {
    res.json(await lookupTm(db, routeId(req.params.id), paragraphIndex(req.params.index)));
  });

  r.get('/concordance', { access: 'article.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: CONCORDANCE_SORTABLE, defaultSort: ['id', 'desc'], filter: concordanceFilter });
    const { rows, total } = await searchConcordance(db, q);
    sendList(res, 'concordance', rows, q.skip, total);
  });

  return r;
}
