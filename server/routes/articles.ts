import type { Request, Response } from 'express';
import type { Config } from '../config';
import type { PrismaClient } from '../db/client';
import { actorOf } from '../auth/context';
import { parseListQuery, routeId, sendList } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { getArticleRecord } from '../services/articleRecord';
import { ARTICLE_SORTABLE, articleListFilter, listArticles, updateArticle, updateArticleInput } from '../services/articles';
import { compareQuery, compareRevisions, restoreInput, restoreRevision } from '../services/revisions';
import { transitionArticle, transitionInput, type ApprovalQaCheck } from '../services/transitions';
import { submitReview } from '../services/review';
import { getReview } from '../services/reviewView';

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

  r.get('/:id', { access: 'article.read' }, async (req: Request, res: Response) => {
    res.json(await getArticleRecord(db, routeId(req.params.id), actorOf(res), workflow));
  });

  // react-admin sends the whole record; the service reads only title, paragraphs[].text, assigneeId, note and version.
  r.put('/:id', { access: 'article.edit', audit: 'article.save', auditVariants: ['article.assign'], body: updateArticleInput }, async (req: Request, res: Response, { body }) => {
    res.json(await updateArticle(db, routeId(req.params.id), body, actorOf(res), workflow));
  });

  // The guard admits every role that can make some transition (auditors cannot); the policy then checks the specific one.
  r.post('/:id/transitions', { access: 'article.submit', audit: 'article.transition', body: transitionInput }, async (req: Request, res: Response, { body }) => {
    res.json(await transitionArticle(db, routeId(req.params.id), body, actorOf(res), workflow));
  });

  r.post('/:id/restore', { access: 'article.restoreRevision', audit: 'article.restore', body: restoreInput }, async (req: Request, res: Response, { body }) => {
    res.json(await restoreRevision(db, routeId(req.params.id), body, actorOf(res), workflow));
  });

  r.get('/:id/compare', { access: 'revision.read', query: compareQuery }, async (req: Request, res: Response, { query }) => {
    res.json(await compareRevisions(db, routeId(req.params.id), query));
  });

  r.get('/:id/review', { access: 'article.read' }, async (req: Request, res: Response) => {
    res.json(await getReview(db, routeId(req.params.id), req.query, actorOf(res), workflow));
  });

  r.post('/:id/review', { access: 'article.requestChanges', audit: 'article.review' }, async (req: Request, res: Response) => {
    res.json(await submitReview(db, routeId(req.params.id), req.body, actorOf(res), workflow));
  });

  return r;
}
