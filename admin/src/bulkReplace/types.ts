import type { BulkApplyResult as ServerApplyResult, BulkParagraphMatch as ServerParagraphMatch, BulkPreview as ServerPreview } from '../../../server/services/bulkReplace';
import type { ArticleStatus, Wire } from '../types';

/** The statuses bulk replace may change (articles not yet approved). */
export const BULK_STATUSES = ['mt_draft', 'in_edit', 'in_review', 'changes_requested'] as const satisfies readonly ArticleStatus[];
export type BulkStatus = (typeof BULK_STATUSES)[number];

export interface BulkPattern {
  find: string;
  replace: string;
  regex?: boolean;
  caseSensitive?: boolean;
  /** Replace in titles too (each changed title is previewed as its own row). */
  includeTitles?: boolean;
}

export type BulkParagraphMatch = Wire<ServerParagraphMatch>;
/** POST /api/bulk-replace/preview. */
export type BulkPreview = Wire<ServerPreview>;
/** POST /api/bulk-replace/apply. */
export type BulkApplyResult = Wire<ServerApplyResult>;
