// Presentation of an alignment as diff parts: whitespace between tokens is put
// back so the parts rebuild both texts byte for byte.
import { boundedDiff, type Change, type Limits } from './boundedDiff';
import { isSpace, tokensOf, type Tokens } from './tokens';

/** One run of a word diff, compact enough to store as JSON in `Revision.diffs`. */
export interface DiffPart {
  op: 'eq' | 'ins' | 'del';
  text: string;
}

/**
 * A paragraph diff. Joining the `eq` and `del` parts gives the old text exactly, and
 * joining the `eq` and `ins` parts gives the new text exactly, whitespace included.
 */
export interface ParagraphDiff {
  parts: DiffPart[];
  /** The diff bound was hit, so the paragraph is recorded as a whole replacement (del old, ins new). */
  truncated: boolean;
}

/**
 * Builds the parts. Joining the `eq` and `del` parts rebuilds the old text and `eq`
 * and `ins` the new one, so a part is always one contiguous range of its side and
 * two pushes that merge are adjacent ranges: the last part is kept as a range and
 * sliced once, instead of concatenating gap by gap and token by token.
 */
class PartList {
  readonly parts: DiffPart[] = [];
  private op: DiffPart['op'] | undefined;
  private source = '';
  private start = 0;
  private end = 0;

  /** Appends `source[start..end)` as `op`; empty ranges are dropped, same-op neighbours merged. */
  push(op: DiffPart['op'], source: string, start: number, end: number): void {
    if (start === end) return;
    if (op === this.op) {
      this.end = end;
      return;
    }
    this.flush();
    this.op = op;
    this.source = source;
    this.start = start;
    this.end = end;
  }

  finish(): DiffPart[] {
    this.flush();
    return this.parts;
  }

  private flush(): void {
    if (this.op !== undefined) this.parts.push({ op: this.op, text: this.source.slice(this.start, this.end) });
    this.op = undefined;
  }
}
/**
 * The text between two matched tokens (or a text edge): `before[os..oe)` and
 * `after[ns..ne)`. Whitespace the two sides share at either end stays unchanged, so
 * "a b c" → "a c" shows "b " deleted rather than " b " deleted and " " inserted; the
 * rest is deleted/inserted whole, never split inside a word.
 */
function pushGap(list: PartList, before: string, os: number, oe: number, after: string, ns: number, ne: number): void {
  const length = oe - os;
  if (length === ne - ns) {
    let k = 0;
    while (k < length && before.charCodeAt(os + k) === after.charCodeAt(ns + k)) k++;
    if (k === length) {
      list.push('eq', before, os, oe);
      return;
    }
  }
  // Longest common prefix of the two gaps' leading whitespace.
  let head = 0;
  while (os + head < oe && ns + head < ne) {
    const c = before.charCodeAt(os + head);
    if (c !== after.charCodeAt(ns + head) || !isSpace(c)) break;
    head++;
  }
  // Longest common suffix of the rests' trailing whitespace.
  let tail = 0;
  while (oe - tail > os + head && ne - tail > ns + head) {
    const c = before.charCodeAt(oe - 1 - tail);
    if (c !== after.charCodeAt(ne - 1 - tail) || !isSpace(c)) break;
    tail++;
  }
  list.push('eq', before, os, os + head);
  list.push('del', before, os + head, oe - tail);
  list.push('ins', after, ns + head, ne - tail);
  list.push('eq', before, oe - tail, oe);
}

export function wholeReplacement(before: string, after: string): ParagraphDiff {
  const list = new PartList();
  list.push('del', before, 0, before.length);
  list.push('ins', after, 0, after.length);
  return { parts: list.finish(), truncated: true };
}

export interface Alignment {
  oldTokens: Tokens;
  newTokens: Tokens;
  /** undefined when a bound was hit. */
  changes: Change[] | undefined;
  /** Search work spent, in the units of `DiffOptions.maxWork`. */
  work: number;
}

export function align(before: string, after: string, limits: Limits): Alignment {
  const oldTokens = tokensOf(before);
  const newTokens = tokensOf(after);
  return { oldTokens, newTokens, ...boundedDiff(oldTokens.texts, newTokens.texts, limits) };
}

export function partsOf(before: string, after: string, { oldTokens, newTokens, changes }: Alignment): ParagraphDiff {
  if (changes === undefined) return wholeReplacement(before, after);
  const { texts: oldTexts, starts: oldStarts } = oldTokens;
  const { texts: newTexts, starts: newStarts } = newTokens;
  const list = new PartList();
  let i = 0; // tokens of `before` consumed
  let j = 0; // tokens of `after` consumed
  let oldEnd = 0; // end offset of the last matched token in `before`
  let newEnd = 0;
  for (const change of changes) {
    if (change.added) {
      j += change.count;
    } else if (change.removed) {
      i += change.count;
    } else {
      for (let k = 0; k < change.count; k++, i++, j++) {
        const oldStart = oldStarts[i]!;
        pushGap(list, before, oldEnd, oldStart, after, newEnd, newStarts[j]!);
        oldEnd = oldStart + oldTexts[i]!.length;
        newEnd = newStarts[j]! + newTexts[j]!.length;
        list.push('eq', before, oldStart, oldEnd);
      }
    }
  }
  pushGap(list, before, oldEnd, before.length, after, newEnd, after.length);
  return { parts: list.finish(), truncated: false };
}

export function unchanged(text: string): ParagraphDiff {
  return { parts: text === '' ? [] : [{ op: 'eq', text }], truncated: false };
}
