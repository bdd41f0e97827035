/**
 * QA of what a translation file brought with a paragraph: its inline codes (tags, placeholders)
 * must all be in the edited text, once each and in the MT's order, and a paragraph the file left
 * untranslated must get a text. Pure, like every QA check; registered in runChecks.ts.
 */
import { codeChar, compareCodes, type InlineCode } from '../inlineCodes';

export interface CodeCheckParagraph {
  text: string;
  mt?: string | null;
  source?: string | null;
  codes?: readonly InlineCode[] | null;
  /** The imported file had no target for it: the MT is empty, the paragraph is to be translated. */
  emptyTarget?: boolean;
}

type Emit = (check: 'inlineCodes' | 'untranslated', start: number, end: number, message: string, suggestion?: string) => void;

const EDITABLE_LABEL = /⟦\d{1,4}⟧/g;

const nameOf = (codes: readonly InlineCode[] | null | undefined, k: number): string => {
  const code = codes?.[k];
  return code ? `code ${k + 1} (${code.label})` : `code ${k + 1}`;
};

/** Missing, extra, repeated and reordered inline codes against the MT (the source when the MT is empty), and bracketed code labels left as typed text. */
export function checkInlineCodes(p: CodeCheckParagraph, emit: Emit): void {
  const reference = p.mt ? p.mt : (p.source ?? '');
  const found = compareCodes(reference, p.text);
  for (const k of found.missing) emit('inlineCodes', 0, 0, `${nameOf(p.codes, k)} of the ${p.mt ? 'MT' : 'source'} is missing: the exported file would lose it.`);
  for (const k of found.extra) {
    const at = p.text.indexOf(codeChar(k));
    emit('inlineCodes', at, at + 1, `${nameOf(p.codes, k)} is not in the ${p.mt ? 'MT' : 'source'} of this paragraph.`, '');
  }
  for (const k of found.duplicated) {
    const at = p.text.indexOf(codeChar(k), p.text.indexOf(codeChar(k)) + 1);
    emit('inlineCodes', at, at + 1, `${nameOf(p.codes, k)} appears more often than in the ${p.mt ? 'MT' : 'source'}.`, '');
  }
  if (found.reordered) emit('inlineCodes', 0, 0, `The inline codes are not in the order of the ${p.mt ? 'MT' : 'source'}; check that each tag still encloses the right words.`);
  for (const m of p.text.matchAll(EDITABLE_LABEL)) {
    emit('inlineCodes', m.index, m.index + m[0].length, `"${m[0]}" is typed text, not a code: a code label was mangled or copied by hand.`);
  }
}

/** A paragraph the file left without target, and still without text. */
export function checkUntranslated(p: CodeCheckParagraph, emit: Emit): void {
  if (p.emptyTarget && p.text.trim() === '') emit('untranslated', 0, 0, 'Still to be translated: the imported file had no target for this paragraph.');
}
