import type { Finding, QaCheck, QaSeverity } from '../../../server/policy/qa';

export type { Finding, QaCheck, QaSeverity };

/** GET /api/articles/:id/qa. */
export interface QaResult {
  findings: Finding[];
}
