// The bounded token alignment: jsdiff's search under count-based limits, so one
// pathological paragraph cannot stall a save and results never depend on the machine.
import { diffArrays } from 'diff';

/** Bounds for one diff. Any bound left out takes its `DIFF_LIMITS` default. */
export interface DiffOptions {
  /** Most single-token insertions plus deletions to search; a substitution costs 2. */
  maxEditLength?: number;
  /**
   * Most search work for one diff, in token-edits: the tokens searched (both sides,
   * after the reductions described at `boundedDiff`) times the edit length searched.
   * A count, not a time, so the same two texts give the same result on any machine
   * under any load.
   */
  maxWork?: number;
  /** Longest token list (per side) that is diffed at all. */
  maxTokens?: number;
}

/**
 * Default bounds, applied to every diff so one pathological paragraph cannot stall a
 * save. Every bound is a count derived from the two texts alone: the diff and the
 * statistics of two texts never depend on the machine, its load or the time of day.
 *
 * jsdiff's search (Myers, node_modules/diff/libesm/diff/base.js) runs edit length
 * D = 1, 2, … and at each D extends at most D + 1 diagonals, allocating a path per
 * diagonal; a diagonal's furthest point only moves forward, so its matching runs
 * ("snakes") cost at most min(N, M) comparisons over the whole search. Its cost is
 * therefore O(D² + D·min(N, M)) ≤ O((N + M)·D), and capping D at
 * floor(maxWork / (N + M)) caps the work at maxWork. Measured on a 2-core machine
 * (docs/benchmarks.md, "diff-worst"), the costliest inputs run at up to about 20 ns
 * per unit idle and 35 ns loaded: texts that share most tokens yet need an edit
 * length close to their length (two unrelated paragraphs over a small vocabulary,
 * where the D² allocations dominate) and periodic texts such as "a b a b …" against
 * "b a a b a a …" (every diagonal has long snakes). A 1,000-token paragraph with half
 * its words edited needs about 0.65 million units, a few fixes in a 20,000-token
 * paragraph under 0.5 million, so typical news edits are never cut short; long
 * unrelated texts are. 20,000 tokens is roughly 100 KB of prose.
 */
export const DIFF_LIMITS: Readonly<{ maxEditLength: number; maxWork: number; maxTokens: number }> = Object.freeze({
  maxEditLength: 2000,
  maxWork: 1_000_000,
  maxTokens: 20_000,
});
export interface Limits {
  maxEditLength: number;
  maxWork: number;
  maxTokens: number;
}

export function resolveLimits(opts: DiffOptions | undefined): Limits {
  const pick = (name: keyof Limits): number => {
    const value = opts?.[name] ?? DIFF_LIMITS[name];
    // Infinity is allowed (an explicit "unbounded" for offline recomputation); 0, negatives and NaN are bugs.
    if (!(value > 0)) throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
    return value;
  };
  return { maxEditLength: pick('maxEditLength'), maxWork: pick('maxWork'), maxTokens: pick('maxTokens') };
}

/** One run of the token alignment, as jsdiff reports it: `count` tokens kept, added or removed. */
export interface Change {
  count: number;
  added: boolean;
  removed: boolean;
}

/** Builds the alignment of the whole token lists from its matched pairs, in order. */
class ChangeList {
  readonly changes: Change[] = [];
  private oldNext = 0;
  private newNext = 0;

  /** Old token `i` matches new token `j`; the tokens passed over since the last match are removed/added. */
  match(i: number, j: number, count = 1): void {
    const last = this.changes[this.changes.length - 1];
    if (i === this.oldNext && j === this.newNext && last !== undefined && !last.added && !last.removed) last.count += count;
    else {
      this.editUpTo(i, j);
      this.changes.push({ count, added: false, removed: false });
    }
    this.oldNext = i + count;
    this.newNext = j + count;
  }

  /** Removes/adds every token up to old `i` and new `j` (exclusive). */
  editUpTo(i: number, j: number): void {
    if (i > this.oldNext) this.changes.push({ count: i - this.oldNext, added: false, removed: true });
    if (j > this.newNext) this.changes.push({ count: j - this.newNext, added: true, removed: false });
    this.oldNext = i;
    this.newNext = j;
  }
}

/**
 * A token-level alignment within the limits, or undefined when a bound was hit.
 * The result is exactly that of `diffArrays(oldTokens, newTokens)` under the limits,
 * at a fraction of the cost; jsdiff's search takes time in proportion to
 * (tokens × edits), so two reductions are made before calling it:
 *
 * - The common prefix is matched here. jsdiff's search starts by following
 *   diagonal 0 through exactly this prefix, and everything after depends only on
 *   positions beyond it, shifted by its length on both sides (diagonals, bounds and
 *   edit length reached are the same).
 * - Tokens that occur nowhere in the other list (in an edited paragraph: most
 *   inserted and replaced words) are left out of the search. They can never be
 *   matched, each costs exactly one edit in any script, and jsdiff pairs the
 *   remaining tokens the same way with or without them. That last point was
 *   checked, not proven: identical pairings on every pair of lists of up to 5
 *   tokens from {a, b, c, x} × {a, b, c, y} and up to 7 from {a, b, x} × {a, b, y}
 *   (12.6 million pairs, where jsdiff breaks many ties), on two million random
 *   pairs of up to 40 tokens, and against the previous implementation by
 *   tests/unit/diff-equivalence.test.ts. maxEditLength still bounds the whole
 *   script: the left-out tokens count against it.
 *
 * The common suffix is deliberately NOT trimmed: jsdiff prefers the leftmost match
 * among equally short scripts, and a pre-matched suffix changes which tokens are
 * paired, hence parts and counts.
 *
 * The search is then bounded by `maxWork` (see `DIFF_LIMITS`): with n tokens left to
 * search on both sides, jsdiff may go up to edit length floor(maxWork / n). The result
 * is the same as without that bound whenever the script fits, since jsdiff stops at
 * the first (shortest) edit length that reaches the end; `work` is n × the edit length
 * searched (0 when no search ran), so a caller can charge it to a larger budget.
 */
export function boundedDiff(oldTokens: string[], newTokens: string[], limits: Limits): { changes: Change[] | undefined; work: number } {
  const oldLength = oldTokens.length;
  const newLength = newTokens.length;
  if (oldLength > limits.maxTokens || newLength > limits.maxTokens) return { changes: undefined, work: 0 };
  const list = new ChangeList();
  const shorter = Math.min(oldLength, newLength);
  let prefix = 0;
  while (prefix < shorter && oldTokens[prefix] === newTokens[prefix]) prefix++;
  if (prefix > 0) list.match(0, 0, prefix);

  const oldSeen = new Set<string>();
  const newSeen = new Set<string>();
  for (let i = prefix; i < oldLength; i++) oldSeen.add(oldTokens[i]!);
  for (let j = prefix; j < newLength; j++) newSeen.add(newTokens[j]!);
  let oldKept: number[] = [];
  let newKept: number[] = [];
  for (let i = prefix; i < oldLength; i++) if (newSeen.has(oldTokens[i]!)) oldKept.push(i);
  for (let j = prefix; j < newLength; j++) if (oldSeen.has(newTokens[j]!)) newKept.push(j);
  let unmatchable = oldLength - prefix - oldKept.length + (newLength - prefix - newKept.length);
  if (oldKept.length === 0) {
    // Nothing in common (a kept token has an equal on the other side, so both lists
    // are empty): there is nothing to pair, but jsdiff still searches the whole script
    // within the bounds, and whether such a rewrite comes back truncated is decided by
    // the same rule as for any other pair of lists.
    oldKept = range(prefix, oldLength);
    newKept = range(prefix, newLength);
    unmatchable = 0;
  }
  if (unmatchable > limits.maxEditLength) return { changes: undefined, work: 0 };
  const searched = oldKept.length + newKept.length;
  // jsdiff never searches past searched edits (deleting and inserting everything), so
  // that is also the most work a search can be charged.
  const maxEditLength = Math.min(limits.maxEditLength - unmatchable, searched, searched === 0 ? Infinity : Math.floor(limits.maxWork / searched));
  const kept = diffArrays(
    oldKept.map((i) => oldTokens[i]!),
    newKept.map((j) => newTokens[j]!),
    { maxEditLength },
  );
  if (kept === undefined) return { changes: undefined, work: searched * maxEditLength };
  let i = 0; // kept old tokens consumed
  let j = 0;
  let edits = 0;
  for (const change of kept) {
    if (change.added) {
      j += change.count;
      edits += change.count;
    } else if (change.removed) {
      i += change.count;
      edits += change.count;
    } else for (let k = 0; k < change.count; k++) list.match(oldKept[i++]!, newKept[j++]!);
  }
  list.editUpTo(oldLength, newLength);
  return { changes: list.changes, work: searched * edits };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}
