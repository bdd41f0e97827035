import type { Finding, QaCheck, QaSeverity } from '../../../server/policy/qa';

export type { Finding, QaCheck, QaSeverity };

/**
 * The paragraphIndex of title findings (server/policy/qa TITLE_INDEX). Restated
 * here rather than imported: the admin takes only types from the QA module,
 * whose entry point loads the part-of-speech tagger.
 */
export const TITLE_INDEX = -1;

/** GET /api/articles/:id/qa. */
export interface QaResult {
  findings: Finding[];
}
