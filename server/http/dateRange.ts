// One meaning of a date-range filter (`<field>_gte` / `<field>_lte`) for every
// list and CLI: a date-time is taken as given (UTC when it has no offset); a
// bare date means that whole UTC day, so `_lte: 2026-11-21` includes the 21st.
import { z } from 'zod';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Parses a date or date-time bound: a bare date is its first millisecond as a
 * lower bound (`start`) and its last as an upper bound (`end`). Returns null
 * when the text is not a valid date (2026-02-30 included).
 */
export function parseDateBound(text: string, bound: 'start' | 'end'): Date | null {
  const s = text.trim();
  if (DATE_ONLY.test(s)) {
    const d = new Date(`${s}T00:00:00.000Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) return null;
    return bound === 'start' ? d : new Date(d.getTime() + DAY_MS - 1);
  }
  if (!DATE_TIME.test(s)) return null;
  const iso = s.replace(' ', 'T');
  const d = new Date(/(Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A zod schema for one bound of a range filter (`start` for `_gte`, `end` for `_lte`), parsed to a Date. */
export function dateBound(bound: 'start' | 'end') {
  return z.string().max(40).transform((v, ctx) => {
    const d = parseDateBound(v, bound);
    if (!d) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a date (expected YYYY-MM-DD or an ISO 8601 date-time)` });
      return z.NEVER;
    }
    return d;
  });
}

/** The `{ gte, lte }` condition for a parsed range, or undefined when neither bound is given. */
export function dateRange(gte: Date | undefined, lte: Date | undefined): { gte?: Date; lte?: Date } | undefined {
  if (gte === undefined && lte === undefined) return undefined;
  return { ...(gte !== undefined ? { gte } : {}), ...(lte !== undefined ? { lte } : {}) };
}
