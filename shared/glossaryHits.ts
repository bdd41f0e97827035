/**
 * Where glossary terms occur in a text. Pure (no Node, no database): the
 * editor runs it on the unsaved source and MT before any save, and the QA
 * glossary checks run it on the saved text, so both sides agree on what a
 * "hit" is.
 */

/** A glossary entry as the matcher needs it (the shape `GET /api/glossary` returns carries these fields). */
export interface GlossaryTerms {
  term: string;
  preferred: string;
  forbidden: readonly string[];
  sourceTerm?: string | null;
}

/**
 * What matched: the entry's headword (`term`), its preferred rendering, one of
 * its forbidden variants, or its source-language term.
 */
export type GlossaryHitKind = 'term' | 'preferred' | 'forbidden' | 'source';

/** One occurrence. Offsets are UTF-16 indexes into the text searched; `entry` is the index into the list given. */
export interface GlossaryHit {
  start: number;
  end: number;
  /** The text as it appears (its case may differ from the glossary's). */
  text: string;
  kind: GlossaryHitKind;
  entry: number;
  /** The glossary text that matched (the variant, the term…). */
  matched: string;
}

const HAS_CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;

/**
 * A whole-word, case-insensitive pattern for a term; spaces match any run of
 * spaces or a hyphen. CJK terms match as substrings (CJK text has no spaces
 * between words).
 */
export function termPattern(term: string): RegExp {
  const parts = term.trim().split(/[\s\u00A0]+/u).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const body = parts.join(String.raw`[\s\u00A0\-]+`);
  if (HAS_CJK.test(term)) return new RegExp(body, 'giu');
  return new RegExp(String.raw`(?<![\p{L}\p{N}])${body}(?![\p{L}\p{N}])`, 'giu');
}

interface CompiledPattern {
  kind: GlossaryHitKind;
  entry: number;
  matched: string;
  re: RegExp;
}

/** Patterns built once for a glossary; pass to `findGlossaryHits` for every paragraph. */
export interface CompiledGlossary {
  readonly entries: readonly GlossaryTerms[];
  readonly patterns: readonly CompiledPattern[];
}

/** Compiles every non-empty term, preferred rendering, forbidden variant and source term. */
export function compileGlossaryTerms(entries: readonly GlossaryTerms[]): CompiledGlossary {
  const patterns: CompiledPattern[] = [];
  entries.forEach((e, entry) => {
    const add = (kind: GlossaryHitKind, s: string | null | undefined) => {
      if (s && s.trim() !== '') patterns.push({ kind, entry, matched: s, re: termPattern(s) });
    };
    // For the same span, a forbidden variant wins over the headword: it is what the editor must change.
    for (const f of e.forbidden) add('forbidden', f);
    add('preferred', e.preferred);
    if (e.term.trim().toLowerCase() !== e.preferred.trim().toLowerCase()) add('term', e.term);
    add('source', e.sourceTerm);
  });
  return { entries, patterns };
}

/**
 * Every occurrence of the given kinds in `text`, in text order, with overlaps
 * resolved to the longest: when two matches overlap ("strike" and "strike
 * hard", or a forbidden variant inside the preferred term "crack down hard"),
 * the longer one is kept and the shorter dropped; equal lengths keep the one
 * that starts first, then the earlier entry, then the kind (forbidden before
 * preferred before term). So a span of text is never claimed by two hits.
 */
export function findGlossaryHits(text: string, glossary: CompiledGlossary, kinds: readonly GlossaryHitKind[]): GlossaryHit[] {
  const all: GlossaryHit[] = [];
  glossary.patterns.forEach((p) => {
    if (!kinds.includes(p.kind)) return;
    for (const m of text.matchAll(p.re)) {
      if (m[0].length === 0) continue;
      all.push({ start: m.index, end: m.index + m[0].length, text: m[0], kind: p.kind, entry: p.entry, matched: p.matched });
    }
  });
  return longestFirst(all);
}

/** Keeps the longest of overlapping spans (ties: earliest start, then the order given); returns them in text order. */
export function longestFirst<T extends { start: number; end: number }>(spans: readonly T[]): T[] {
  const order = spans.map((s, i) => ({ s, i }));
  order.sort((a, b) => b.s.end - b.s.start - (a.s.end - a.s.start) || a.s.start - b.s.start || a.i - b.i);
  const kept: T[] = [];
  for (const { s } of order) {
    if (kept.some((k) => s.start < k.end && s.end > k.start)) continue;
    kept.push(s);
  }
  return kept.sort((a, b) => a.start - b.start);
}
