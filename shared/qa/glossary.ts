// The glossary checks. The matching itself (whole-word patterns, overlaps
// resolved to the longest) lives in ../glossaryHits.ts, which the editor also
// runs on unsaved text, so both sides find the same terms.
import { compileGlossaryTerms, findGlossaryHits, termPattern, type CompiledGlossary } from '../glossaryHits';
import { quoteText, type Emit, type QaGlossaryEntry } from './types';

export { termPattern };

/** The glossary's patterns, built once per run. */
export function compileGlossary(entries: readonly QaGlossaryEntry[]): CompiledGlossary {
  return compileGlossaryTerms(entries.filter((e) => e.preferred.trim() !== ''));
}

/** Keeps the capital of a sentence-initial match: "Strike hard" → "Crack down". */
function matchCase(found: string, replacement: string): string {
  return /^\p{Lu}/u.test(found) && /^\p{Ll}/u.test(replacement) ? replacement[0].toUpperCase() + replacement.slice(1) : replacement;
}

/** `glossaryForbidden` and `glossaryPreferred`. */
export function checkGlossary(text: string, source: string | null, glossary: CompiledGlossary, emit: Emit): void {
  // A forbidden variant inside a longer preferred term ("crack down" in "crack down hard") loses to
  // it, and of two overlapping variants ("strike", "strike hard") only the longer is reported.
  const hits = findGlossaryHits(text, glossary, ['preferred', 'forbidden']);
  const forbiddenFound = new Set<number>();
  const preferredFound = new Set<number>();
  for (const h of hits) {
    const entry = glossary.entries[h.entry]!;
    if (h.kind === 'preferred') {
      preferredFound.add(h.entry);
      continue;
    }
    forbiddenFound.add(h.entry);
    emit('glossaryForbidden', h.start, h.end, `${quoteText(h.text)} is not allowed by the glossary (${quoteText(entry.term)}); use ${quoteText(entry.preferred)}.`, matchCase(h.text, entry.preferred));
  }
  if (!source) return;
  // A forbidden variant already points at the spot and suggests the preferred term.
  const inSource = new Set(findGlossaryHits(source, glossary, ['source']).map((h) => h.entry));
  for (const e of inSource) {
    if (forbiddenFound.has(e) || preferredFound.has(e)) continue;
    const entry = glossary.entries[e]!;
    emit('glossaryPreferred', 0, 0, `The source has ${quoteText(entry.sourceTerm ?? '')}, but the text does not use the glossary's ${quoteText(entry.preferred)}.`);
  }
}
