import { quoteDepths, sentenceWords, type Sentence } from './sentences';
import { hasVerb, type PosTagger } from './tagger';
import { quoteText, type Emit, type QaConfig } from './types';

const VERBS = new Set(
  (
    'is are was were be been being am has have had do does did will would can could may might must shall should ' +
    'said says say go goes went gone come comes came get gets got make makes made take takes took give gives gave see sees saw ' +
    'know knew think thought tell told become became leave left feel felt put bring brought begin began keep kept hold held ' +
    'stand stood run ran win won lose lost meet met pay paid rise rose fall fell grow grew set let cut hit hurt quit read lead led ' +
    'send sent spend spent build built sell sold buy bought fight fought find found speak spoke agreed freed guaranteed need ' +
    'want try ask seem help show hear play move live believe happen continue remain stay wait thank thanks stop look'
  ).split(' '),
);

/** Prepositions a verbless MT leftover often starts with ("to the exhibition.", "In time."). */
const FRAGMENT_STARTS = new Set(['to', 'in', 'at', 'on', 'for', 'with', 'from', 'by', 'of', 'and', 'or', 'but']);

/** A verb by its form alone, for the short-fragment rule that runs without a tagger. */
function isVerbLike(word: string): boolean {
  const w = word.toLowerCase();
  if (VERBS.has(w)) return true;
  if (/['’](?:t|s|re|ll|ve|d|m)$/u.test(w)) return true;
  if (/ed$/.test(w) && !/eed$/.test(w)) return true;
  if (/ing$/.test(w) && w.length > 4) return true;
  // Third-person verbs and plural subjects both end in -s; either way the sentence is probably whole.
  if (/[^su]s$/.test(w) && w.length > 3) return true;
  return false;
}

/** Longer verbless sentences than this are left alone: a list or a caption, not a leftover. */
const TAGGED_FRAGMENT_MAX_WORDS = 14;
/** Tags of a word that cannot end a sentence: a full stop after it splits one. */
const DANGLING = ['Determiner', 'Preposition', 'Conjunction', 'Ordinal', 'Possessive'];
/** Tags of a first word that continues the sentence before it. */
const CONTINUING = ['Adjective', 'Preposition', 'Conjunction'];

/**
 * `fragments`, `strayStop`, `sentenceCase` and `length` over one paragraph's
 * sentences. With a tagger, verbless sentences of any length up to
 * TAGGED_FRAGMENT_MAX_WORDS are fragments, and a lower-case start tells a
 * stray full stop (join) from a real boundary (capitalise).
 */
export function checkSentences(text: string, sentences: Sentence[], cfg: QaConfig, tagger: PosTagger | null, emit: Emit): void {
  const depthAt = quoteDepths(text, sentences.map((s) => s.start));
  const strays = new Set<number>();
  for (const [k, s] of sentences.entries()) {
    const firstLetter = /\p{L}/u.exec(s.text);
    const firstWord = /^\p{L}+/u.exec(s.text.slice(firstLetter?.index ?? 0))?.[0] ?? '';
    const lowerStart = s.after !== null && s.after.mark === '.' && !s.after.closed && firstLetter !== null && firstLetter.index === 0 && /^\p{Ll}+$/u.test(firstWord);
    if (!lowerStart) continue;
    const prev = sentences[k - 1];
    // A leftover such as "smoothly." is a fragment to delete, not half of a sentence to join.
    const leftover = s.text.endsWith('.') && isShortFragment(s, sentenceWords(s.text), cfg);
    if (leftover && cfg.checks.fragments.enabled) continue;
    if (tagger && !leftover && isStrayStop(prev, s, tagger)) {
      strays.add(k);
      strays.add(k - 1);
      const stop = prev.end - 1;
      emit('strayStop', stop, s.start, `This full stop splits one sentence (${quoteText(`${lastWords(prev.text)} ${firstWord}`)}); remove it.`, ' ');
    } else {
      emit('sentenceCase', s.start, s.start + firstWord.length, `The sentence starts in lower case after a full stop.`, firstWord[0].toUpperCase() + firstWord.slice(1));
    }
  }
  for (const [k, s] of sentences.entries()) {
    const words = sentenceWords(s.text);
    const inQuote = /^[“‘"'([]/u.test(s.text) || /[”’"')\]]$/u.test(s.text.replace(/[.!?]+$/u, '')) || depthAt[k] > 0;
    if (cfg.checks.fragments.enabled && !strays.has(k) && !inQuote && s.text.endsWith('.') && words.length > 0) {
      const fragment = isShortFragment(s, words, cfg) || (tagger !== null && isTaggedFragment(sentences, k, words, tagger));
      if (fragment) {
        // When deleting the fragment, take the space before it too.
        const lead = s.after ? (/\s*$/u.exec(text.slice(0, s.start))?.[0].length ?? 0) : 0;
        emit('fragments', s.start - lead, s.end, `${quoteText(s.text)} is a sentence fragment with no verb${s.after ? ' (often an MT leftover; delete it or join it to the previous sentence)' : ''}.`, s.after ? '' : undefined);
      }
    }
    if (words.length > cfg.maxSentenceWords) {
      emit('length', s.start, s.end, `This sentence has ${words.length} words (limit ${cfg.maxSentenceWords}): ${quoteText(`${words.slice(0, 6).join(' ')} …`)}; consider splitting it.`);
    }
  }
}

function lastWords(text: string): string {
  return text.split(/\s+/u).slice(-2).join(' ');
}

/** MT leftovers look like "smoothly.", "Proceed smoothly." or "in time."; a capitalised verbless answer such as "Demand." or "Not yet." is a style, so it needs one of these marks. */
function isShortFragment(s: Sentence, words: string[], cfg: QaConfig): boolean {
  const leftoverShape = /^\p{Ll}/u.test(s.text) || words.some((w) => /\p{L}{3,}ly$/u.test(w)) || FRAGMENT_STARTS.has(words[0]?.toLowerCase() ?? '');
  return words.length <= cfg.fragmentMaxWords && !/\d/.test(s.text) && leftoverShape && !words.some(isVerbLike);
}

/**
 * A verbless sentence of three or more words standing between sentences
 * ("Across the whole province."). A paragraph of one sentence is a headline,
 * a caption or a dateline, never a leftover, and so is a first sentence
 * opening with a capitalised dateline.
 */
function isTaggedFragment(sentences: readonly Sentence[], k: number, words: string[], tagger: PosTagger): boolean {
  if (sentences.length < 2 || words.length < 3 || words.length > TAGGED_FRAGMENT_MAX_WORDS) return false;
  const s = sentences[k];
  if (k === 0 && /^\p{Lu}{2,}\b/u.test(s.text)) return false;
  if (/[:;—–]|\s-\s/u.test(s.text)) return false;
  // The tagger misreads some verbs in context ("the rate rose to"); a common verb form vetoes it.
  if (words.some((w) => VERBS.has(w.toLowerCase()))) return false;
  // A capital misleads the tagger ("Under the leadership" reads as a verb); the first word is tagged as if mid-sentence.
  const lowered = s.text[0].toLowerCase() + s.text.slice(1);
  const tagged = tagger.tag(lowered);
  // "The campaign runs from…", "Russia and Ukraine blame each other…": a word that is a verb on its own, right after a noun, is read as one.
  const afterSubject = (i: number): boolean => i > 0 && ['Noun', 'Pronoun'].some((t) => tagged[i - 1].tags.has(t)) && !tagged[i - 1].tags.has('Value');
  const sVerb = tagged.some((w, i) => afterSubject(i) && tagger.tag(s.text.slice(w.start, w.end).toLowerCase()).some((x) => x.tags.has('Verb')));
  return !sVerb && !hasVerb(tagger, lowered, tagged);
}

/** Whether the full stop between `prev` and the lower-case `next` splits one sentence rather than ending one. */
function isStrayStop(prev: Sentence, next: Sentence, tagger: PosTagger): boolean {
  const prevWords = tagger.tag(prev.text);
  const last = prevWords[prevWords.length - 1];
  if (last && DANGLING.some((t) => last.tags.has(t))) return true;
  const nextWords = tagger.tag(next.text);
  // A new sentence opens with its subject; one that opens with a modifier or a link word continues the last.
  if (nextWords[0] && CONTINUING.some((t) => nextWords[0].tags.has(t)) && !nextWords[0].tags.has('Pronoun')) return true;
  return !hasVerb(tagger, next.text, nextWords) || !hasVerb(tagger, prev.text, prevWords);
}
