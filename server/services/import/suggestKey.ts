/**
 * Returns ` (did you mean "paragraphs"?)` when `key` is a likely typo of one of `known` (case
 * differences, or one or two typing slips for longer keys), else ''. Meant to be appended to an "unknown key" reason.
 */
export function suggestKey(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = best === undefined || best.length <= 2 ? 0 : Math.min(2, Math.ceil(best.length / 4));
  return best !== undefined && bestDistance <= allowed
    ? ` (did you mean "${best}"?)`
    : '';
}

// Optimal-string-alignment distance: like Levenshtein, but swapping two neighbours ("titel") is one slip.
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
