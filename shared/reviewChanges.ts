import { diffParagraph, type ParagraphDiff } from './textDiff';

/**
 * Tracked changes for review: a word diff between a baseline text and the current
 * text, cut into numbered changes a reviewer accepts or rejects one by one.
 *
 * Pure (no Node, no database) so the admin and the tests can run it as is.
 */

/** One change: the baseline's `del` became the current `ins` (either may be empty). */
export interface ReviewChange {
  /** Stable while the two texts stay the same: `<where>.<ordinal>-<hash of del and ins>`. */
  id: string;
  del: string;
  ins: string;
}

/** A piece of the current text: unchanged, or one change. */
export type ReviewPart = { op: 'eq'; text: string } | { op: 'change'; change: ReviewChange };

/** The tracked changes of one text (a paragraph or the title). */
export interface TrackedText {
  parts: ReviewPart[];
  changes: ReviewChange[];
  /** The diff bound was hit: the whole text is one change. */
  truncated: boolean;
}

/** What a reviewer decides about one change. */
export type ReviewDecision = 'accept' | 'reject';

/**
 * FNV-1a, 32 bits, over UTF-16 code units: a short, deterministic fingerprint so
 * that a decision sent for one change can never land on a different change that
 * happens to have the same position (the version check catches that first; this
 * makes a stale id fail loudly even without it).
 */
export function changeHash(del: string, ins: string): string {
  let h = 0x811c9dc5;
  const s = `${del}\u0000${ins}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

const BLANK = /^\s*$/u;

/**
 * Cuts a paragraph diff into changes. A change is a run of `del`/`ins` parts between
 * two `eq` parts; an `eq` part that is only whitespace and sits between two such runs
 * joins them (it goes into both `del` and `ins`), so "a b c" → "a x y c" is one change
 * rather than two that only make sense together. Joining the `eq` parts with each
 * change's `del` gives the baseline; with its `ins`, the current text.
 *
 * `where` names the text in the ids: `t` for the title, `p<index>` for a paragraph.
 */
export function splitChanges(diff: ParagraphDiff, where: string): TrackedText {
  const src = diff.parts;
  const parts: ReviewPart[] = [];
  const changes: ReviewChange[] = [];
  let del = '';
  let ins = '';
  let open = false;
  const close = (): void => {
    if (!open) return;
    const change: ReviewChange = { id: `${where}.${changes.length + 1}-${changeHash(del, ins)}`, del, ins };
    changes.push(change);
    parts.push({ op: 'change', change });
    del = '';
    ins = '';
    open = false;
  };
  for (let i = 0; i < src.length; i++) {
    const p = src[i]!;
    if (p.op === 'del') {
      del += p.text;
      open = true;
    } else if (p.op === 'ins') {
      ins += p.text;
      open = true;
    } else if (open && BLANK.test(p.text) && i + 1 < src.length && src[i + 1]!.op !== 'eq') {
      del += p.text;
      ins += p.text;
    } else {
      close();
      parts.push({ op: 'eq', text: p.text });
    }
  }
  close();
  return { parts, changes, truncated: diff.truncated };
}

/** Tracked changes from `before` (the baseline) to `after` (the current text). */
export function trackChanges(before: string, after: string, where: string): TrackedText {
  return splitChanges(diffParagraph(before, after), where);
}

/**
 * The text that results from the decisions: every change whose id is in `rejected`
 * goes back to its baseline text, every other change keeps the current text.
 */
export function applyDecisions(tracked: TrackedText, rejected: ReadonlySet<string>): string {
  let out = '';
  for (const p of tracked.parts) out += p.op === 'eq' ? p.text : rejected.has(p.change.id) ? p.change.del : p.change.ins;
  return out;
}
