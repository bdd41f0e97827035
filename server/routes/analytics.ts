import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { actorOf } from '../auth/context';
import { Routes, type Guard } from '../http/routes';
import { analyticsSummary, correctionsQuery, recurringCorrections, summaryQuery } from '../services/analytics';

/**
 * `/api/analytics`. Both routes are open to every reader of articles: the
 * summary narrows itself to the caller's own work unless they hold
 * analytics.read, and recurring corrections are phrase pairs mined from
 * approved text that everyone may read anyway (reviewers turn them into
 * glossary entries).
 */
export function analyticsRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/analytics', deps.guard);

  r.get('/summary', { access: 'article.read', query: summaryQuery }, async (_req: Request, res: Response, { query }) => {
    res.json(await analyticsSummary(db, query, actorOf(res)));
  });

  // A ranked report with its own limit/minCount parameters, not a simple-rest list: a bare array without Content-Range.
  r.get('/corrections', { access: 'article.read', query: correctionsQuery }, async (_req: Request, res: Response, { query }) => {
    res.json(await recurringCorrections(db, query));
  });

  return r;
}
