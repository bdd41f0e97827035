/**
 * The one CSV writer: every CSV Copydesk writes (the glossary export, the
 * audit reports) builds its fields here, so that formula injection and RFC
 * 4180 quoting are handled in one place.
 *
 * Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula,
 * and some also after a leading tab or carriage return; a glossary term or an
 * article note typed by one user would then run on the machine of whoever
 * opens the export. Following OWASP's advice, such a text cell is written with
 * a leading single quote, which spreadsheets show as text. A text that
 * already starts with quotes before one of those characters gets one more, so
 * `csvText` can undo the escape exactly and a re-imported export is
 * identical to what was exported.
 */

/** A text cell starting like this (after any single quotes) is escaped. */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** The cell's text: dates as ISO 8601, objects as JSON, null and undefined as empty. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * One CSV field: text that a spreadsheet would run as a formula is prefixed
 * with a single quote; a field holding a comma, quote or line break, or
 * starting or ending with whitespace, is quoted with its quotes doubled
 * (RFC 4180). Numbers and booleans are written as they are: a negative number
 * is a value, not a formula.
 */
export function csvField(v: unknown): string {
  const s = cellText(v);
  const safe = typeof v !== 'number' && typeof v !== 'bigint' && typeof v !== 'boolean' && FORMULA_START.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || /^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record with its CRLF line end. */
export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/**
 * The text of a field that `csvField` wrote, after CSV parsing: removes the
 * single quote added in front of a formula-like text. Importers of files
 * Copydesk exported call it so that an export → import round trip is exact.
 */
export function csvText(field: string): string {
  return /^'+[=+\-@\t\r]/.test(field) ? field.slice(1) : field;
}
