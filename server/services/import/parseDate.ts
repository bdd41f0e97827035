const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Reads a publication date.
 *
 * - `'iso'` accepts `2023-04-02` (UTC midnight) or a full ISO date-time with a time zone
 *   (`2023-04-02T08:30:00Z`, `2023-04-02T16:30:00+08:00`). A date-time without a zone is refused
 *   because it would silently take the server's zone.
 * - `'loose'` is for the free-text dates in news feeds (`April 2, 2023`, `2 Apr 2023`,
 *   `2023-04-02 10:30`, `2023/4/2`, `2023年4月2日`). Only the calendar date is kept, as UTC midnight:
 *   feeds never say which time zone a clock time is in.
 *
 * Returns undefined when the text is not such a date or names a day that does not exist.
 */
export function parseDate(value: string, style: 'iso' | 'loose'): Date | undefined {
  const text = value.trim();
  if (style === 'iso') {
    const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (dateOnly) return utcDate(+dateOnly[1], +dateOnly[2], +dateOnly[3]);
    const dateTime = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i.exec(text);
    if (!dateTime || !utcDate(+dateTime[1], +dateTime[2], +dateTime[3])) return undefined;
    const parsed = new Date(text);
    return Number.isNaN(parsed.getTime()) ? undefined : parsed;
  }

  const numeric = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT,].*)?$/.exec(text);
  if (numeric) return utcDate(+numeric[1], +numeric[2], +numeric[3]);
  const monthFirst = /^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/.exec(text);
  if (monthFirst) return utcDate(+monthFirst[3], monthNumber(monthFirst[1]), +monthFirst[2]);
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b/.exec(text);
  if (dayFirst) return utcDate(+dayFirst[3], monthNumber(dayFirst[2]), +dayFirst[1]);
  return undefined;
}

function monthNumber(name: string): number {
  const lower = name.toLowerCase();
  const index = MONTHS.findIndex((m) => lower.startsWith(m) && (lower.length === 3 || fullMonth(m).startsWith(lower)));
  return index + 1;
}

function fullMonth(abbreviation: string): string {
  const names: Record<string, string> = {
    jan: 'january', feb: 'february', mar: 'march', apr: 'april', may: 'may', jun: 'june',
    jul: 'july', aug: 'august', sep: 'september', oct: 'october', nov: 'november', dec: 'december',
  };
  return names[abbreviation] ?? abbreviation;
}

function utcDate(year: number, month: number, day: number): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2023-02-30 over to March 2; such a date does not exist, so it is refused.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date;
}
