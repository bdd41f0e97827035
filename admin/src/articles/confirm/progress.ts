/**
 * Segment status in the editor: which rows count as confirmed, the progress
 * line, the row filters and "the next unconfirmed row". Pure (no React, no
 * DOM), so tests/unit/editor-confirm.test.ts runs it directly.
 *
 * A row is the title (index -1) or a paragraph. The server lists only the
 * confirmations that hold for the saved text; here a row also stops counting
 * while its unsaved text differs from the saved one (the confirmation would
 * not hold for what is on screen), so the editor sees it as stale at once.
 */
import { confirmationHolds } from '../../../../shared/gates';

export interface ConfirmRow {
  /** Paragraph index, -1 for the title. */
  index: number;
  /** The saved text (what the server's confirmation refers to). */
  saved: string;
  /** The text in the form now (unsaved edits included). */
  current: string;
  /** The machine translation. */
  mt: string;
}

export type RowState = 'confirmed' | 'stale' | 'unconfirmed';

/** Confirmed for the text on screen; `stale` when confirmed for the saved text but edited since. */
export function rowState(row: ConfirmRow, confirmedSaved: ReadonlySet<number>): RowState {
  if (!confirmedSaved.has(row.index)) return 'unconfirmed';
  return confirmationHolds(row.saved, row.current) ? 'confirmed' : 'stale';
}

export function isConfirmed(row: ConfirmRow, confirmedSaved: ReadonlySet<number>): boolean {
  return rowState(row, confirmedSaved) === 'confirmed';
}

export interface Progress {
  confirmed: number;
  total: number;
}

export function countProgress(rows: readonly ConfirmRow[], confirmedSaved: ReadonlySet<number>): Progress {
  return { confirmed: rows.filter((r) => isConfirmed(r, confirmedSaved)).length, total: rows.length };
}

/** "7 of 11 confirmed". */
export function progressText(p: Progress): string {
  return `${p.confirmed} of ${p.total} confirmed`;
}

/** The rows that are not confirmed for the text on screen, in order (unsaved edits count as unconfirmed). */
export function unconfirmedIndexes(rows: readonly ConfirmRow[], confirmedSaved: ReadonlySet<number>): number[] {
  return rows.filter((r) => !isConfirmed(r, confirmedSaved)).map((r) => r.index);
}

export type RowFilter = 'unconfirmed' | 'findings' | 'changed';

export const ROW_FILTERS: ReadonlyArray<{ id: RowFilter; label: string }> = [
  { id: 'unconfirmed', label: 'Only unconfirmed' },
  { id: 'findings', label: 'Only with findings' },
  { id: 'changed', label: 'Only changed (vs MT)' },
];

/**
 * Whether a row passes every active filter (they combine: "unconfirmed" and
 * "with findings" shows the rows that are both). Filters only hide rows; the
 * rows stay mounted, so nothing typed into a hidden row is lost.
 */
export function rowVisible(row: ConfirmRow, filters: ReadonlySet<RowFilter>, confirmedSaved: ReadonlySet<number>, findingCount: (index: number) => number): boolean {
  if (filters.has('unconfirmed') && isConfirmed(row, confirmedSaved)) return false;
  if (filters.has('findings') && findingCount(row.index) === 0) return false;
  if (filters.has('changed') && row.current === row.mt) return false;
  return true;
}

/**
 * The next row after `from` (in `order`) that `wanted` accepts, wrapping
 * around once; `from` itself only when it is the only one. `from` null (or
 * not in `order`) starts at the top. Null when no row qualifies.
 */
export function nextIndex(order: readonly number[], from: number | null, wanted: (index: number) => boolean): number | null {
  if (order.length === 0) return null;
  const at = from === null ? -1 : order.indexOf(from);
  for (let step = 1; step <= order.length; step++) {
    const i = order[(at + step + order.length) % order.length];
    if (wanted(i)) return i;
  }
  return null;
}

/** What `rowsOf` reads of an article record and of the form values. */
export interface RecordTexts {
  title: string;
  mtTitle: string;
  paragraphs: ReadonlyArray<{ index: number; text: string; mt: string }>;
}
export interface FormTexts {
  title?: string;
  paragraphs?: ReadonlyArray<{ text?: string } | undefined>;
}

/** The title (index -1) and the paragraphs, with their saved, on-screen and MT texts. */
export function rowsOf(record: RecordTexts, values: FormTexts | undefined): ConfirmRow[] {
  const title = typeof values?.title === 'string' ? values.title : record.title;
  return [
    { index: -1, saved: record.title, current: title, mt: record.mtTitle },
    ...record.paragraphs.map((p) => {
      const v = values?.paragraphs?.[p.index]?.text;
      return { index: p.index, saved: p.text, current: typeof v === 'string' ? v : p.text, mt: p.mt };
    }),
  ];
}
