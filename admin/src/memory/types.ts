import type { ConcordanceRow as ServerConcordanceRow, TmLookup as ServerTmLookup, TmMatch as ServerTmMatch } from '../../../server/services/tm';

/** GET /api/articles/:id/paragraphs/:index/tm. */
export type TmLookup = ServerTmLookup;
export type TmMatch = ServerTmMatch;
/** A row of GET /api/concordance. */
export type ConcordanceRow = ServerConcordanceRow;
