import simpleRestProvider from 'ra-data-simple-rest';
import type { DataProvider } from 'react-admin';
import { httpClient } from './httpClient';
import type { AnalyticsSummary, RecurringCorrection } from './analytics/types';
import type { BulkApplyResult, BulkPattern, BulkPreview, BulkStatus } from './bulkReplace/types';
import type { GlossaryImportResult } from './glossary/types';
import type { TmLookup } from './memory/types';
import type { QaResult } from './qa/types';
import type { ReviewBaseline, ReviewResult, ReviewSubmission, ReviewView } from './articles/review/types';
import type { ArticleConfirmations } from './articles/confirm/types';
import type { ArticleRecord, ArticleStatus, CompareResult, StatsSummary } from './types';

const API = '/api';

/** The stock simple-rest client plus the domain actions that are not CRUD. */
export interface CopydeskDataProvider extends DataProvider {
  /** POST /api/articles/:id/transitions → the updated article. */
  transition(id: number, body: { to: ArticleStatus; note?: string; version: number; revisionId?: number; override?: { reason: string } }): Promise<ArticleRecord>;
  /** GET /api/articles/:id/review?since=…: the tracked changes against the submitted or last approved revision. */
  review(id: number, since: ReviewBaseline): Promise<ReviewView>;
  /** POST /api/articles/:id/review: a decision on every change; rejections are reverted and send the article back. */
  submitReview(id: number, body: ReviewSubmission): Promise<ReviewResult>;
  /** POST /api/articles/:id/restore → the article with a new revision equal to the restored one. */
  restore(id: number, body: { revisionId: number; version: number }): Promise<ArticleRecord>;
  /** GET /api/articles/:id/compare?from&to. */
  compare(id: number, from: number, to: number): Promise<CompareResult>;
  /** GET /api/stats/summary for the dashboard. */
  summary(): Promise<StatsSummary>;
  /** GET /api/articles/:id/qa: the QA findings of the article's saved text. */
  articleQa(id: number): Promise<QaResult>;
  /** POST /api/glossary/import; a bad row rejects with a 400 naming its line and field. */
  importGlossary(body: { csv: string; mode: 'merge' | 'replace' }): Promise<GlossaryImportResult>;
  /** GET /api/analytics/summary?weeks=N (scoped to the caller's own work unless they may read all analytics). */
  analyticsSummary(weeks: number): Promise<AnalyticsSummary>;
  /** GET /api/analytics/corrections: a ranked report (bare array, no Content-Range), hence not a list resource. */
  recurringCorrections(params: { limit: number; minCount: number }): Promise<RecurringCorrection[]>;
  /** POST /api/bulk-replace/preview: changes nothing. */
  bulkReplacePreview(body: BulkPattern & { statuses?: BulkStatus[] }): Promise<BulkPreview>;
  /** POST /api/bulk-replace/apply to the articles (at the versions) the preview listed. */
  bulkReplaceApply(body: BulkPattern & { articles: Array<{ id: number; version: number }> }): Promise<BulkApplyResult>;
  /** GET /api/articles/:id/paragraphs/:index/tm: translation-memory matches for one paragraph. */
  tmLookup(articleId: number, index: number): Promise<TmLookup>;
  /** GET /api/articles/:id/confirmations: the paragraph confirmations that hold for the saved text. */
  confirmations(id: number): Promise<ArticleConfirmations>;
  /** POST /api/articles/:id/confirmations: confirm (or withdraw) one paragraph, -1 the title; `text` is refused with 409 when no longer the saved text. */
  setConfirmation(id: number, body: { paragraphIndex: number; confirmed: boolean; text?: string }): Promise<ArticleConfirmations>;
}

const base = simpleRestProvider(API, httpClient);

const post = async <T>(url: string, body: unknown): Promise<T> => (await httpClient(url, { method: 'POST', body: JSON.stringify(body) })).json as T;
const get = async <T>(url: string): Promise<T> => (await httpClient(url)).json as T;

export const dataProvider: CopydeskDataProvider = {
  ...base,
  transition: (id, body) => post(`${API}/articles/${id}/transitions`, body),
  restore: (id, body) => post(`${API}/articles/${id}/restore`, body),
  review: (id, since) => get(`${API}/articles/${id}/review?since=${encodeURIComponent(since)}`),
  submitReview: (id, body) => post(`${API}/articles/${id}/review`, body),
  compare: (id, from, to) => get(`${API}/articles/${id}/compare?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`),
  summary: () => get(`${API}/stats/summary`),
  articleQa: (id) => get(`${API}/articles/${id}/qa`),
  importGlossary: (body) => post(`${API}/glossary/import`, body),
  analyticsSummary: (weeks) => get(`${API}/analytics/summary?weeks=${encodeURIComponent(weeks)}`),
  recurringCorrections: ({ limit, minCount }) => get(`${API}/analytics/corrections?limit=${encodeURIComponent(limit)}&minCount=${encodeURIComponent(minCount)}`),
  bulkReplacePreview: (body) => post(`${API}/bulk-replace/preview`, body),
  bulkReplaceApply: (body) => post(`${API}/bulk-replace/apply`, body),
  confirmations: (id) => get(`${API}/articles/${encodeURIComponent(id)}/confirmations`),
  setConfirmation: (id, body) => post(`${API}/articles/${encodeURIComponent(id)}/confirmations`, body),
  tmLookup: (articleId, index) => get(`${API}/articles/${encodeURIComponent(articleId)}/paragraphs/${encodeURIComponent(index)}/tm`),
};
