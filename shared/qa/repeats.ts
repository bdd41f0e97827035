import { quoteText, type Emit } from './types';

const WORD = String.raw`\p{L}+(?:['’]\p{L}+)?`;
const REPEAT = new RegExp(String.raw`(?<![\p{L}\p{N}'’-])(${WORD}(?:\s+${WORD}){0,3})(?:\s*,\s*|\s+)\1(?![\p{L}\p{N}'’-])`, 'giu');
/** Grammatical doubles ("that that", "had had") and intensifiers doubled in speech ("very, very"). */
const ALLOWED_DOUBLES = new Set(['that', 'had', 'is']);
const INTENSIFIERS = new Set(['very', 'many', 'much', 'far', 'really', 'so', 'more', 'again', 'no', 'yes', 'bye', 'ha', 'long']);

/** `repeats`: a word or phrase repeated back to back. */
export function checkRepeats(text: string, emit: Emit): void {
  for (const m of text.matchAll(REPEAT)) {
    const unit = m[1];
    const lower = unit.toLowerCase();
    if (!unit.includes(' ') && ((ALLOWED_DOUBLES.has(lower) && !m[0].includes(',')) || INTENSIFIERS.has(lower))) continue;
    const start = m.index;
    // "Latakia, Latakia Governorate": a place named after its capital, not a doubled word.
    if (/^\p{Lu}/u.test(unit) && m[0].includes(',') && /^\s+\p{Lu}/u.test(text.slice(start + m[0].length))) continue;
    emit('repeats', start, start + m[0].length, `${quoteText(unit)} is repeated.`, unit);
  }
}
