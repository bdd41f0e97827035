/**
 * "Next finding" and "apply the current finding's fix" for the keyboard.
 * Pure: positions are (row index, position in that row's findings list),
 * the same order the findings list under each row shows them.
 */

export interface FindingRef {
  /** Paragraph index, -1 for the title. */
  paragraphIndex: number;
  /** Position within the row's findings, as listed under the row. */
  n: number;
}

/**
 * Every finding in reading order: rows in `order` (the title first when it is
 * there), each row's findings in its own order.
 */
export function findingsInOrder(order: readonly number[], countOf: (index: number) => number): FindingRef[] {
  const out: FindingRef[] = [];
  for (const index of order) {
    const count = countOf(index);
    for (let n = 0; n < count; n++) out.push({ paragraphIndex: index, n });
  }
  return out;
}

/**
 * The finding after `current`, wrapping around; without a current finding,
 * the first one at or after the focused row (`focused`, or the top). Rows
 * `visible` refuses (hidden by a filter) are skipped. Null when none is left.
 */
export function nextFinding(all: readonly FindingRef[], order: readonly number[], current: FindingRef | null, focused: number | null, visible: (index: number) => boolean = () => true): FindingRef | null {
  const shown = all.filter((f) => visible(f.paragraphIndex));
  if (shown.length === 0) return null;
  const rank = (f: FindingRef) => order.indexOf(f.paragraphIndex) * 1_000_000 + f.n;
  let after: number;
  if (current && order.includes(current.paragraphIndex)) after = rank(current);
  else if (focused !== null && order.includes(focused)) after = rank({ paragraphIndex: focused, n: -1 });
  else after = -Infinity;
  return shown.find((f) => rank(f) > after) ?? shown[0];
}

/**
 * Which finding "apply fix" acts on in the focused row: the current finding
 * when it is in that row, else the first one `fixable` accepts there.
 */
export function findingToFix(focused: number, current: FindingRef | null, count: number, fixable: (n: number) => boolean): number | null {
  if (current && current.paragraphIndex === focused && current.n < count && fixable(current.n)) return current.n;
  for (let n = 0; n < count; n++) if (fixable(n)) return n;
  return null;
}
