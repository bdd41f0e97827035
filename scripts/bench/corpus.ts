/**
 * A deterministic synthetic corpus of MT news articles in the news-feed text
 * format. The same seed always yields the same articles, so runs compare.
 */
import { prng } from '../lib/prng';

export { prng };

const SUBJECTS = ['The municipal government', 'The provincial bureau', 'Local residents', 'The district committee', 'Law enforcement teams', 'The city council', 'Township officials', 'The transport department', 'Fishery inspectors', 'The flood control office', 'Volunteers', 'The trade fair organisers'];
const VERBS = ['will strike hard against', 'carried out', 'launched', 'vigorously promoted', 'comprehensively deepened', 'held a mobilisation meeting on', 'resolutely implemented', 'further strengthened', 'actively explored', 'steadily advanced'];
const OBJECTS = ['illegal fishing on the river', 'the special rectification campaign', 'the construction of the new metro line', 'flood relief work in every district', 'the high-quality development of the economy', 'the supervision of food safety', 'the renovation of old residential areas', 'the protection of fishery resources', 'the night bus service', 'the opening of the technology trade fair'];
const TAILS = ['across every district', 'in the key waters', 'day and night', 'with zero tolerance', 'in accordance with the law', 'on the morning of March 27', 'since the beginning of the year', 'according to the relevant regulations'];
const FRAGMENTS = ['smoothly.', 'Proceed smoothly.', 'Achieve remarkable results.', 'Effectively.'];

export interface CorpusArticle {
  externalId: string;
  title: string;
  paragraphs: string[];
  /** The article in the news-feed text format. */
  feed: string;
}

function sentence(r: () => number): string {
  const pick = <T,>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  let s = `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(TAILS)}`;
  if (r() < 0.3) s += `, involving ${Math.floor(r() * 90 + 10)} ten thousand yuan`;
  if (r() < 0.15) s += `, and said: ”we must hold the bottom line“`;
  s += '.';
  if (r() < 0.08) s += ` ${pick(FRAGMENTS)}`;
  return s;
}

/** One article of `targetBytes` (±) in `paragraphCount` paragraphs. */
export function makeArticle(r: () => number, n: number, opts: { minBytes?: number; maxBytes?: number; minParagraphs?: number; maxParagraphs?: number } = {}): CorpusArticle {
  const minB = opts.minBytes ?? 2048;
  const maxB = opts.maxBytes ?? 10240;
  const minP = opts.minParagraphs ?? 5;
  const maxP = opts.maxParagraphs ?? 40;
  const targetBytes = Math.floor(minB + r() * (maxB - minB));
  const count = Math.max(minP, Math.min(maxP, Math.round(targetBytes / 260)));
  const perParagraph = targetBytes / count;
  const paragraphs: string[] = [];
  for (let i = 0; i < count; i++) {
    let p = sentence(r);
    while (p.length < perParagraph) p += ' ' + sentence(r);
    paragraphs.push(p);
  }
  const title = `Bench article ${n}: ${sentence(r).replace(/\.$/, '')}`.slice(0, 180);
  const day = String((n % 28) + 1).padStart(2, '0');
  const feed = ` date 2024-03-${day} Home News ${title}\n ${title}\nRelease time: March ${Number(day)}, 2024\n\n${paragraphs.join('\n\n')}\n`;
  return { externalId: `bench-${n}`, title, paragraphs, feed };
}

/** `count` articles from `seed`. */
export function* corpus(seed: number, count: number, opts?: Parameters<typeof makeArticle>[2]): Generator<CorpusArticle> {
  const r = prng(seed);
  for (let i = 0; i < count; i++) yield makeArticle(r, i, opts);
}

/** Edits `fraction` of the words of `text` (substitutions), deterministically. */
export function editWords(text: string, fraction: number, r: () => number): string {
  return text
    .split(' ')
    .map((w) => (r() < fraction ? (r() < 0.5 ? w.toUpperCase() : `revised${Math.floor(r() * 100)}`) : w))
    .join(' ');
}
