/**
 * What the checks need from a part-of-speech tagger. The checks stay pure and
 * small: the server passes a tagger (server/policy/qa/compromiseTagger.ts), and a caller
 * without one (a browser bundle that must stay small) still gets every check
 * except those that need it.
 */

/** One word of a tagged text. */
export interface TaggedWord {
  /** UTF-16 offsets into the tagged text. */
  start: number;
  end: number;
  /** Tags such as Verb, Noun, Adjective, Adverb, ProperNoun, Place, Person, Organization, Value. */
  tags: ReadonlySet<string>;
}

export interface PosTagger {
  /** Tags the words of one sentence in context. */
  tag(sentence: string): readonly TaggedWord[];
}

const isVerb = (w: TaggedWord): boolean => w.tags.has('Verb') || w.tags.has('Copula') || w.tags.has('Modal') || w.tags.has('Auxiliary');
const FUNCTION_WORD = ['Preposition', 'Conjunction', 'Determiner', 'Adverb', 'Adjective'];

/**
 * Whether a sentence has a verb (auxiliaries and participles included). A
 * word read as a verb in context but as a function word on its own ("under
 * the leadership", where "under" alone is an adjective) is a misreading and does not count.
 */
export function hasVerb(tagger: PosTagger, sentence: string, words: readonly TaggedWord[] = tagger.tag(sentence)): boolean {
  return words.some((w) => {
    if (!isVerb(w)) return false;
    const alone = tagger.tag(sentence.slice(w.start, w.end).toLowerCase())[0];
    return !(alone && !isVerb(alone) && FUNCTION_WORD.some((t) => alone.tags.has(t)));
  });
}

/** Tags that mark a name rather than an ordinary word. */
export const NAME_TAGS: readonly string[] = ['ProperNoun', 'Place', 'Person', 'Organization', 'Demonym', 'Date', 'Acronym', 'Honorific', 'FirstName', 'LastName'];
