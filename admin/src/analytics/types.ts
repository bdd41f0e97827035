/** GET /api/analytics/summary. */
export interface AnalyticsSummary {
  scope: 'self' | 'all';
  editRate: { articles: number; mean: number | null; median: number | null; p90: number | null; buckets: Array<{ from: number; to: number | null; count: number }> };
  editors: Array<{
    userId: number;
    username: string;
    displayName: string;
    articlesTouched: number;
    revisions: number;
    wordsInserted: number;
    wordsDeleted: number;
    wordsSubstituted: number;
    wordsEdited: number;
    avgEditRate: number | null;
  }>;
  weeks: Array<{ week: string; start: string; revisions: number; meanEditRate: number | null; articlesApproved: number }>;
}

/** One row of GET /api/analytics/corrections. */
export interface RecurringCorrection {
  id: string;
  mt: string;
  edited: string;
  count: number;
  articles: number;
  examples: Array<{ articleId: number; paragraphIndex: number }>;
}
