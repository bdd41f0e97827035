import { findNumbers, formatNumber, sameNumber, type NumberMention } from '../numbers';
import { quoteText, type Emit } from './types';

/**
 * `numberFormat` (MT's 万/亿 renderings) and `numbers` (numbers added to or
 * missing from the text, compared by value with the MT and the source).
 */
export function checkNumbers(text: string, mt: string | null, source: string | null, emit: Emit): void {
  const mine = findNumbers(text);
  for (const n of mine) {
    if (n.garbled) emit('numberFormat', n.start, n.end, `${quoteText(n.raw)} is MT's rendering of 万/亿; in English write ${formatNumber(n.value, n.percent)}.`, formatNumber(n.value, n.percent));
  }
  const others: Array<{ label: string; numbers: NumberMention[] }> = [];
  if (mt !== null && mt !== text) others.push({ label: 'MT', numbers: findNumbers(mt) });
  if (source !== null && source.trim() !== '') others.push({ label: 'source', numbers: findNumbers(source) });
  if (others.length === 0) return;
  const has = (list: NumberMention[], v: number) => list.some((m) => sameNumber(m.value, v));
  const reported = new Set<number>();
  for (const n of mine) {
    if (!n.explicit || reported.has(n.value)) continue;
    if (others.some((o) => has(o.numbers, n.value))) continue;
    reported.add(n.value);
    emit('numbers', n.start, n.end, `${quoteText(n.raw)} (${formatNumber(n.value, n.percent)}) is not in the ${others.map((o) => o.label).join(' or the ')}.`);
  }
  // What the text must state: the source's numbers when there is a source (an editor who
  // corrects a wrong MT number to the source's must not be told the MT's is missing), else the MT's.
  const authority = others.find((o) => o.label === 'source') ?? others[0];
  const missing = new Map<number, { raw: string; labels: string[] }>();
  for (const n of authority.numbers) {
    if (!n.explicit || has(mine, n.value) || [...missing.keys()].some((k) => sameNumber(k, n.value))) continue;
    missing.set(n.value, { raw: n.raw, labels: others.filter((o) => has(o.numbers, n.value)).map((o) => o.label) });
  }
  for (const [value, { raw, labels }] of missing) {
    emit('numbers', 0, 0, `The ${labels.join(' and the ')} ${labels.length > 1 ? 'have' : 'has'} ${quoteText(raw)} (${formatNumber(value)}), which is not in the text.`);
  }
}
