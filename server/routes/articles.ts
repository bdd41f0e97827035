import type { Request, Response } from 'express';
import type { Config } from '../config';
import type { PrismaClient } from '../db/client';
import { actorOf } from '../auth/context';
import { parseListQuery, sendList } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { idParams } from '../http/schemas';
import { getArticleRecord } from '../services/articleRecord';
import { ARTICLE_SORTABLE, articleListFilter, listArticles, updateArticle, updateArticleInput } from '../services/articles';
import { compareQuery, compareRevisions, restoreInput, restoreRevision } from '../services/revisions';
import { transitionArticle, transitionInput, type ApprovalQaCheck } from '../services/transitions';
import { reviewInput, submitReview } from '../services/review';
import { getReview, reviewQuery } from '../services/reviewView';

/**
 * Articles: the ra-data-simple-rest resource (list, getOne, update) plus the
 * workflow actions. `qaCheck` is where the QA module plugs in its blocking
 * checks for COPYDESK_QA_BLOCKS_APPROVAL.
 */
export function articleRoutes(deps: { db: PrismaClient; config: Readonly<Config>; guard: Guard; qaCheck?: ApprovalQaCheck }): Routes {
  const { db, config } = deps;
  const workflow = { fourEyes: config.fourEyes, qaBlocksApproval: config.qaBlocksApproval, qaCheck: deps.qaCheck };
  const r = new Routes('/api/articles', deps.guard);

  r.get('/', { access: 'article.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: ARTICLE_SORTABLE, defaultSort: ['updatedAt', 'desc'], filter: articleListFilter });
    const { rows, total } = await listArticles(db, q, actorOf(res));
    sendList(res, 'articles', rows, q.skip, total);
  });

  r.get('/:id', { access: 'article.read', params: idParams }, async (_req: Request, res: Response, { params }) => {
    res.json(await getArticleRecord(db, params.id, actorOf(res), workflow));
  });

  // react-admin sends the whole record; the service reads only title, paragraphs[].text, assigneeId, note and version.
  r.put('/:id', { access: 'article.edit', audit: 'article.save', auditVariants: ['article.assign'], body: updateArticleInput, params: idParams }, async (_req: Request, res: Response, { body, params }) => {
    res.json(await updateArticle(db, params.id, body, actorOf(res), workflow));
  });

  // The guard admits every role that can make some transition (auditors cannot); the policy then checks the specific one.
  r.post('/:id/transitions', { access: 'article.submit', audit: 'article.transition', body: transitionInput, params: idParams }, async (_req: Request, res: Response, { body, params }) => {
    res.json(await transitionArticle(db, params.id, body, actorOf(res), workflow));
  });

  r.post('/:id/restore', { access: 'article.restoreRevision', audit: 'article.restore', body: restoreInput, params: idParams }, async (_req: Request, res: Response, { body, params }) => {
    res.json(await restoreRevision(db, params.id, body, actorOf(res), workflow));
  });

  r.get('/:id/compare', { access: 'revision.read', query: compareQuery, params: idParams }, async (_req: Request, res: Response, { query, params }) => {
    res.json(await compareRevisions(db, params.id, query));
  });

  r.get('/:id/review', { access: 'article.read', params: idParams, query: reviewQuery }, async (_req: Request, res: Response, { params, query }) => {
    res.json(await getReview(db, params.id, query.since, actorOf(res), workflow));
  });

  r.post('/:id/review', { access: 'article.requestChanges', audit: 'article.review', params: idParams, body: reviewInput }, async (_req: Request, res: Response, { params, body }) => {
    res.json(await submitReview(db, params.id, body, actorOf(res), workflow));
  });

  return r;
}
