/**
 * The checks that stand between an edited article and the next workflow step.
 * Pure: the transitions service counts what is open, the admin shows the same
 * lists before it asks, and both read the outcome from here.
 *
 * - Submitting never blocks: unconfirmed paragraphs and open error findings
 *   are reasons to ask the editor first (`submitWarnings`), nothing more.
 * - Approving with open error findings or unresolved comments needs an
 *   explicit override with a reason (`decideApprovalGate`); the reason is
 *   recorded in the transition's audit event.
 */

/** An open error finding, as the gate reports it. paragraphIndex -1 is the title. */
export interface OpenError {
  paragraphIndex: number;
  check: string;
  message: string;
}

/** An unresolved comment, as the gate reports it. paragraphIndex null is a comment on the whole article. */
export interface OpenComment {
  id: number;
  paragraphIndex: number | null;
  body: string;
}

export interface ApprovalOverride {
  reason: string;
}

export const OVERRIDE_REASON_MAX = 1000;

/**
 * Why the gate refuses an approval, as a domain outcome; the HTTP layer maps
 * each to a status (server/http/outcomes.ts).
 * - `approval_blocked`: something is open and no override was given.
 * - `override_reason_required`: an override was given with a blank reason.
 */
export type ApprovalGateRefusal = 'approval_blocked' | 'override_reason_required';

export type ApprovalGateDecision =
  | { ok: true; override: { reason: string; openErrors: number; openComments: number } | null }
  | { ok: false; code: ApprovalGateRefusal; message: string; openErrors: OpenError[]; openComments: OpenComment[] };

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** What is open, in words: "2 open error findings and 1 unresolved comment". */
export function describeOpen(errors: number, comments: number): string {
  return [errors ? plural(errors, 'open error finding') : '', comments ? plural(comments, 'unresolved comment') : ''].filter(Boolean).join(' and ');
}

/**
 * Approval with nothing open passes and records no override (an override sent
 * anyway is ignored: there was nothing to override). With something open it
 * passes only with an override whose reason is not blank; otherwise
 * `approval_blocked` listing what is open, or `override_reason_required` for
 * an override with a blank reason.
 */
export function decideApprovalGate(input: { openErrors: readonly OpenError[]; openComments: readonly OpenComment[]; override?: ApprovalOverride | null }): ApprovalGateDecision {
  const { openErrors, openComments } = input;
  if (openErrors.length === 0 && openComments.length === 0) return { ok: true, override: null };
  const open = describeOpen(openErrors.length, openComments.length);
  const lists = { openErrors: [...openErrors], openComments: [...openComments] };
  if (input.override == null) {
    return { ok: false, code: 'approval_blocked', message: `This article has ${open}. Resolve them, or approve with an override and a reason.`, ...lists };
  }
  const reason = input.override.reason.trim();
  if (reason === '') {
    return { ok: false, code: 'override_reason_required', message: `override.reason: approving with ${open} needs a reason.`, ...lists };
  }
  return { ok: true, override: { reason, openErrors: openErrors.length, openComments: openComments.length } };
}

/**
 * What the editor is asked about before submitting: nothing when every
 * paragraph is confirmed and no error is open. `unconfirmed` are paragraph
 * indexes (-1 the title).
 */
export function submitWarnings(input: { unconfirmed: readonly number[]; openErrors: number }): string[] {
  const out: string[] = [];
  if (input.unconfirmed.length > 0) out.push(`${plural(input.unconfirmed.length, 'paragraph')} ${input.unconfirmed.length === 1 ? 'is' : 'are'} not confirmed.`);
  if (input.openErrors > 0) out.push(`${plural(input.openErrors, 'error finding')} ${input.openErrors === 1 ? 'is' : 'are'} open.`);
  return out;
}

/**
 * Whether a stored confirmation still counts: only while the text it
 * confirmed is the paragraph's current text. A later change of the text
 * clears the confirmation; changing it back restores it, since the editor
 * confirmed exactly that text.
 */
export function confirmationHolds(confirmedText: string, currentText: string): boolean {
  return confirmedText === currentText;
}
