// The review API's records, from the server's own definitions (type-only imports).
import type { ReviewChange, ReviewDecision, ReviewPart } from '../../../../shared/reviewChanges';
import type { ReviewResult as ServerReviewResult } from '../../../../server/services/review';
import type { ReviewBaseline, ReviewView as ServerReviewView } from '../../../../server/services/reviewView';
import type { Wire } from '../../types';

export type { ReviewBaseline, ReviewChange, ReviewDecision, ReviewPart };
/** GET /api/articles/:id/review. */
export type ReviewView = Wire<ServerReviewView>;
export type ReviewResult = Wire<ServerReviewResult>;
export type ReviewText = ReviewView['title'];

/** The body of POST /api/articles/:id/review. */
export interface ReviewSubmission {
  since: ReviewBaseline;
  version: number;
  decisions: Array<{ changeId: string; decision: ReviewDecision; note?: string }>;
}
