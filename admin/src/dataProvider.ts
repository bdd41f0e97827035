import simpleRestProvider from 'ra-data-simple-rest';
import type { DataProvider } from 'react-admin';
import { httpClient } from './httpClient';
import type { ArticleRecord, ArticleStatus, CompareResult, StatsSummary } from './types';

const API = '/api';

/** The stock simple-rest client plus the domain actions that are not CRUD. */
export interface CopydeskDataProvider extends DataProvider {
  /** POST /api/articles/:id/transitions → the updated article. */
  transition(id: number, body: { to: ArticleStatus; note?: string; version: number }): Promise<ArticleRecord>;
  /** POST /api/articles/:id/restore → the article with a new revision equal to the restored one. */
  restore(id: number, body: { revisionId: number; version: number }): Promise<ArticleRecord>;
  /** GET /api/articles/:id/compare?from&to. */
  compare(id: number, from: number, to: number): Promise<CompareResult>;
  /** GET /api/stats/summary for the dashboard. */
  summary(): Promise<StatsSummary>;
}

const base = simpleRestProvider(API, httpClient);

const post = async <T>(url: string, body: unknown): Promise<T> => (await httpClient(url, { method: 'POST', body: JSON.stringify(body) })).json as T;
const get = async <T>(url: string): Promise<T> => (await httpClient(url)).json as T;

export const dataProvider: CopydeskDataProvider = {
  ...base,
  transition: (id, body) => post(`${API}/articles/${id}/transitions`, body),
  restore: (id, body) => post(`${API}/articles/${id}/restore`, body),
  compare: (id, from, to) => get(`${API}/articles/${id}/compare?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`),
  summary: () => get(`${API}/stats/summary`),
};
