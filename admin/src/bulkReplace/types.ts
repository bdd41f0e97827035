import type { ArticleStatus, DiffPart } from '../types';

/** The statuses bulk replace may change (articles not yet approved). */
export const BULK_STATUSES = ['mt_draft', 'in_edit', 'in_review', 'changes_requested'] as const satisfies readonly ArticleStatus[];
export type BulkStatus = (typeof BULK_STATUSES)[number];

export interface BulkPattern {
  find: string;
  replace: string;
  regex?: boolean;
  caseSensitive?: boolean;
}

export interface BulkParagraphMatch {
  index: number;
  before: string;
  after: string;
  replacements: number;
  diff: { parts: DiffPart[]; truncated: boolean };
}

/** POST /api/bulk-replace/preview. */
export interface BulkPreview {
  matches: Array<{ articleId: number; title: string; version: number; status: ArticleStatus; replacements: number; paragraphs: BulkParagraphMatch[] }>;
  totalArticles: number;
  totalReplacements: number;
  truncated: boolean;
  limit: number;
}

/** POST /api/bulk-replace/apply. */
export interface BulkApplyResult {
  applied: Array<{ articleId: number; revisionId: number; replacements: number }>;
  skipped: Array<{ articleId: number; reason: 'version_conflict' | 'not_found' | 'status' | 'no_match'; message: string }>;
}
