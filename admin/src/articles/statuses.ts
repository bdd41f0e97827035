import type { ArticleStatus } from '../types';

export const STATUS_LABELS: Record<ArticleStatus, string> = {
  mt_draft: 'MT draft',
  in_edit: 'In edit',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  exported: 'Exported',
  archived: 'Archived',
};

/** Background/foreground per status; chosen to stay distinguishable and readable (WCAG AA on the label). */
export const STATUS_COLORS: Record<ArticleStatus, { bg: string; fg: string }> = {
  mt_draft: { bg: '#eceff1', fg: '#37474f' },
  in_edit: { bg: '#e3f2fd', fg: '#0d47a1' },
  in_review: { bg: '#fff3e0', fg: '#8a4b00' },
  changes_requested: { bg: '#fdecea', fg: '#a3211a' },
  approved: { bg: '#e8f5e9', fg: '#1b5e20' },
  exported: { bg: '#ede7f6', fg: '#4527a0' },
  archived: { bg: '#f5f5f5', fg: '#616161' },
};

export const STATUSES = Object.keys(STATUS_LABELS) as ArticleStatus[];

export const STATUS_CHOICES = STATUSES.map((id) => ({ id, name: STATUS_LABELS[id] }));

/** The statuses an article is still being worked on in. */
export const OPEN_STATUSES: ArticleStatus[] = ['mt_draft', 'in_edit', 'in_review', 'changes_requested'];

/** Button labels for the transitions a user can request, keyed by target status. */
export const TRANSITION_LABELS: Partial<Record<ArticleStatus, string>> = {
  in_review: 'Submit for review',
  approved: 'Approve',
  changes_requested: 'Request changes',
  archived: 'Archive',
  in_edit: 'Unarchive',
};

/** Formats an edit rate (0..1) as a percentage. */
export function formatRate(rate: number | null | undefined): string {
  if (rate == null || Number.isNaN(rate)) return '—';
  return `${(rate * 100).toFixed(rate < 0.1 && rate > 0 ? 1 : 0)} %`;
}
