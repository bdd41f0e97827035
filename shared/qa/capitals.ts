import type { Sentence } from './sentences';
import { NAME_TAGS, type PosTagger, type TaggedWord } from './tagger';
import { quoteText, type Emit } from './types';

/** How an article writes each word: in lower case, or capitalised inside a sentence. */
export interface CaseStats {
  lower: Map<string, number>;
  capitalised: Map<string, number>;
}

interface Token {
  word: string;
  start: number;
  end: number;
}

const TOKEN = /\p{L}[\p{L}\p{M}'’]*/gu;
/** Small words inside title-case names: "Fifth Plenary Session of the Party". */
const CONNECTORS = new Set(['of', 'the', 'and', 'for', 'on', 'in', 'de', 'la', 'du', 'von', 'van', 'al', 'el', 'bin']);
/** A capital after these starts a quotation, a list item or a clause of its own. */
const OPENING = /[:“"‘'([{—–\-/.!?…]\s*$/u;

const isTitleCase = (w: string): boolean => /^\p{Lu}\p{Ll}[\p{Ll}'’]*$/u.test(w);
const isCapital = (w: string): boolean => /^\p{Lu}/u.test(w);

function tokens(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
}

/** Counts, over the article's paragraphs, each word in lower case and capitalised mid-sentence. */
export function caseStats(paragraphs: ReadonlyArray<{ text: string; sentences: readonly Sentence[] }>): CaseStats {
  const stats: CaseStats = { lower: new Map(), capitalised: new Map() };
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const p of paragraphs) {
    for (const s of p.sentences) {
      tokens(s.text).forEach((t, i) => {
        if (/^\p{Ll}/u.test(t.word)) bump(stats.lower, t.word);
        else if (i > 0 && isTitleCase(t.word)) bump(stats.capitalised, t.word.toLowerCase());
      });
    }
  }
  return stats;
}

function joined(text: string, a: Token, b: Token): boolean {
  return /^(?:[ \u00A0-]+|\s*&\s*)$/u.test(text.slice(a.end, b.start));
}

/** Tokens i and j (i < j) separated by a comma only: "Boac, Marinduque, Philippines". */
function listed(text: string, a: Token, b: Token): boolean {
  return /^,\s+$/u.test(text.slice(a.end, b.start));
}

/** Adjective and noun endings of peoples, places and faiths ("Turkish", "Alawite", "Islamic", "Western"). */
/** As written, only these are trusted: the tagger calls many capitalised phrases an Organization. */
const WRITTEN_NAME_TAGS = ['Place', 'Person', 'FirstName', 'LastName', 'Demonym'];
const PROPER_ADJECTIVE = /(?:an|ian|ish|ese|ic|i|ite|ern|ch|ss)$/u;

/** Whether token i is part of a run of capitalised words (a name), possibly linked by "of", "the"… */
function inNameRun(text: string, ts: Token[], i: number): boolean {
  const capAt = (j: number): boolean => j >= 0 && j < ts.length && (isCapital(ts[j].word) || /^\d/.test(ts[j].word));
  const near = (j: number, k: number): boolean => j >= 0 && k < ts.length && joined(text, ts[j], ts[k]);
  if ((capAt(i - 1) && near(i - 1, i)) || (capAt(i + 1) && near(i, i + 1))) return true;
  // Compounds such as "Russian-backed" and "India-administered" are built on a name.
  if (/^[-\u2010\u2011]\p{L}/u.test(text.slice(ts[i].end, ts[i].end + 2)) || /\p{L}[-\u2010\u2011]$/u.test(text.slice(Math.max(0, ts[i].start - 2), ts[i].start))) return true;
  // Up to two connectors inside a name: "Song of the Year", "Bank of China".
  for (const dir of [1, -1]) {
    for (let gap = 1; gap <= 2; gap++) {
      const far = i + dir * (gap + 1);
      const between = Array.from({ length: gap }, (_, g) => i + dir * (g + 1));
      if (!capAt(far) || !between.every((j) => j >= 0 && j < ts.length && CONNECTORS.has(ts[j].word.toLowerCase()))) continue;
      const chain = [i, ...between, far].sort((a, b) => a - b);
      if (chain.every((j, n) => n === 0 || near(chain[n - 1], j))) return true;
    }
  }
  // Places listed by comma: "in Sagaing, Myanmar", "Boac, Marinduque, Philippines".
  if ((i + 1 < ts.length && capAt(i + 1) && listed(text, ts[i], ts[i + 1])) || (i > 0 && capAt(i - 1) && listed(text, ts[i - 1], ts[i]))) return true;
  // "19th Central Committee", "XIX Congress": a number before the capital makes it a name too.
  return i > 0 && /\d(?:st|nd|rd|th)?\s+$/u.test(text.slice(Math.max(0, ts[i].start - 8), ts[i].start));
}

/**
 * `capitals`: a lone capitalised ordinary word inside a sentence. Names stay
 * quiet: words in a title-case run, words that are names once lower-cased
 * (per the tagger), and common nouns the article capitalises more often than
 * not ("the Party"). Verbs, adjectives and adverbs fire; so do nouns the
 * article also writes in lower case at least as often.
 */
export function checkCapitals(_text: string, sentences: readonly Sentence[], stats: CaseStats, tagger: PosTagger, emit: Emit): void {
  for (const s of sentences) {
    const ts = tokens(s.text);
    const candidates: number[] = [];
    for (let i = 1; i < ts.length; i++) {
      const t = ts[i];
      if (!isTitleCase(t.word) || OPENING.test(s.text.slice(0, t.start))) continue;
      if (inNameRun(s.text, ts, i)) continue;
      candidates.push(i);
    }
    if (candidates.length === 0) continue;
    let lowered = s.text;
    for (const i of candidates) lowered = lowered.slice(0, ts[i].start) + ts[i].word.toLowerCase() + lowered.slice(ts[i].end);
    const tagged = tagger.tag(lowered);
    const asWritten = tagger.tag(s.text);
    const at = (list: readonly TaggedWord[], t: Token) => list.find((w) => w.start <= t.start && w.end > t.start)?.tags;
    for (const i of candidates) {
      const t = ts[i];
      const tags = at(tagged, t);
      if (!tags || NAME_TAGS.some((n) => tags.has(n))) continue;
      // As written, the tagger may know the word as a place, a person or an organisation ("in Simmering district").
      const written = at(asWritten, t);
      if (written && WRITTEN_NAME_TAGS.some((n) => written.has(n))) continue;
      const key = t.word.toLowerCase();
      const lower = stats.lower.get(key) ?? 0;
      if (!tags.has('Verb') && lower === 0 && PROPER_ADJECTIVE.test(key)) continue;
      const capital = stats.capitalised.get(key) ?? 0;
      const ordinary = !tags.has('Noun') && (tags.has('Verb') || tags.has('Adjective') || tags.has('Adverb'));
      if (ordinary ? lower === 0 && capital >= 3 : lower === 0 || lower < capital) continue;
      emit('capitals', s.start + t.start, s.start + t.end, `${quoteText(t.word)} is capitalised in the middle of a sentence${lower > 0 ? ` (the article writes ${quoteText(key)} elsewhere)` : ''}.`, key);
    }
  }
}
