import nlp from 'compromise/two';
import type { PosTagger, TaggedWord } from '../../../shared/qa/tagger';

interface CompromiseTerm {
  tags: string[];
  offset: { start: number; length: number };
}

/**
 * The part-of-speech tagger of the server and the command line: compromise's
 * tagger (no model download, no Node built-ins), with a small cache since an
 * article repeats its sentences across revisions and re-checks.
 */
export function compromiseTagger(cacheSize = 2000): PosTagger {
  const cache = new Map<string, readonly TaggedWord[]>();
  return {
    tag(sentence: string): readonly TaggedWord[] {
      const hit = cache.get(sentence);
      if (hit) return hit;
      const out: TaggedWord[] = [];
      for (const s of nlp(sentence).json({ offset: true }) as Array<{ terms: CompromiseTerm[] }>) {
        for (const t of s.terms) {
          out.push({ start: t.offset.start, end: t.offset.start + Math.max(1, t.offset.length), tags: new Set(t.tags) });
        }
      }
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
      cache.set(sentence, out);
      return out;
    },
  };
}

/** One shared tagger for the process. */
export const defaultTagger: PosTagger = compromiseTagger();
