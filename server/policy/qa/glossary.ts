import { quoteText, type Emit, type QaGlossaryEntry } from './types';

export interface CompiledEntry {
  entry: QaGlossaryEntry;
  preferred: RegExp;
  forbidden: Array<{ term: string; re: RegExp }>;
  source: RegExp | null;
}

const HAS_CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;

/** A whole-word, case-insensitive pattern for a term; spaces match any run of spaces or a hyphen. CJK terms match as substrings. */
export function termPattern(term: string): RegExp {
  const parts = term.trim().split(/[\s\u00A0]+/u).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const body = parts.join(String.raw`[\s\u00A0\-]+`);
  if (HAS_CJK.test(term)) return new RegExp(body, 'giu');
  return new RegExp(String.raw`(?<![\p{L}\p{N}])${body}(?![\p{L}\p{N}])`, 'giu');
}

/** The glossary's patterns, built once per run. */
export function compileGlossary(entries: readonly QaGlossaryEntry[]): CompiledEntry[] {
  return entries
    .filter((e) => e.preferred.trim() !== '')
    .map((entry) => ({
      entry,
      preferred: termPattern(entry.preferred),
      forbidden: entry.forbidden.filter((f) => f.trim() !== '').map((term) => ({ term, re: termPattern(term) })),
      source: entry.sourceTerm && entry.sourceTerm.trim() !== '' ? termPattern(entry.sourceTerm) : null,
    }));
}

/** Keeps the capital of a sentence-initial match: "Strike hard" → "Crack down". */
function matchCase(found: string, replacement: string): string {
  return /^\p{Lu}/u.test(found) && /^\p{Ll}/u.test(replacement) ? replacement[0].toUpperCase() + replacement.slice(1) : replacement;
}

/** `glossaryForbidden` and `glossaryPreferred`. */
export function checkGlossary(text: string, source: string | null, glossary: CompiledEntry[], emit: Emit): void {
  for (const g of glossary) {
    const preferredSpans = [...text.matchAll(g.preferred)].map((m) => [m.index, m.index + m[0].length] as const);
    let forbiddenFound = false;
    for (const f of g.forbidden) {
      for (const m of text.matchAll(f.re)) {
        const start = m.index;
        const end = start + m[0].length;
        // A forbidden variant inside the preferred term itself ("crack down" in "crack down hard") is fine.
        if (preferredSpans.some(([a, b]) => start >= a && end <= b)) continue;
        forbiddenFound = true;
        emit('glossaryForbidden', start, end, `${quoteText(m[0])} is not allowed by the glossary (${quoteText(g.entry.term)}); use ${quoteText(g.entry.preferred)}.`, matchCase(m[0], g.entry.preferred));
      }
    }
    // search() ignores the global flag and lastIndex, so the shared pattern stays reusable.
    // A forbidden variant already points at the spot and suggests the preferred term.
    if (g.source && source && !forbiddenFound && source.search(g.source) >= 0 && preferredSpans.length === 0) {
      emit('glossaryPreferred', 0, 0, `The source has ${quoteText(g.entry.sourceTerm ?? '')}, but the text does not use the glossary's ${quoteText(g.entry.preferred)}.`);
    }
  }
}
