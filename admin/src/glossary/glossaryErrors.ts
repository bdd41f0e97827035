import { errorMessage } from '../httpClient';

/** The id of the entry that already holds a term, from a 409 term_taken. */
export function takenEntryId(error: unknown): number | null {
  const e = error as { status?: number; body?: { error?: { code?: string; details?: { id?: number } } } };
  return e?.status === 409 && e.body?.error?.code === 'term_taken' && typeof e.body.error.details?.id === 'number' ? e.body.error.details.id : null;
}

export { errorMessage };
