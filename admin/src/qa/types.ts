import type { Finding, QaCheck, QaSeverity } from '../../../shared/qa/types';

export type { Finding, QaCheck, QaSeverity };
export { TITLE_INDEX } from '../../../shared/qa/types';

/** GET /api/articles/:id/qa. */
export interface QaResult {
  findings: Finding[];
}
