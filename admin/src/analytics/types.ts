import type { AnalyticsSummary as ServerSummary, RecurringCorrection as ServerCorrection } from '../../../server/services/analytics';
import type { Wire } from '../types';

/** GET /api/analytics/summary (the server's type, as JSON). */
export type AnalyticsSummary = Wire<ServerSummary>;
/** One row of GET /api/analytics/corrections. */
export type RecurringCorrection = Wire<ServerCorrection>;
