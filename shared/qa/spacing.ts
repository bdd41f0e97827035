import { isAbbreviation } from './sentences';
import { quoteText, type Emit } from './types';

/** `spacing`: double spaces and spaces before punctuation. */
export function checkSpacing(text: string, emit: Emit): void {
  for (const m of text.matchAll(/(?<=\S)[ \u00A0\t]{2,}(?=\S)/gu)) {
    emit('spacing', m.index, m.index + m[0].length, 'Double space.', ' ');
  }
  // A spaced ellipsis (" ... " or " …") is a style, not a stray space; ".5" is a decimal.
  for (const m of text.matchAll(/(?<=[\p{L}\p{N}”’")\]])[ \u00A0\t]+(?=[,;:!?]|\.(?![.\d]))/gu)) {
    const mark = text[m.index + m[0].length];
    emit('spacing', m.index, m.index + m[0].length, `Space before ${quoteText(mark)}.`, '');
  }
}

/** `punctuation`: runs of punctuation such as ", ." and a doubled full stop. */
export function checkPunctuation(text: string, emit: Emit): void {
  const patterns: RegExp[] = [
    /[,;:][ \u00A0]*[,;:]/gu, // ",,"  ", ;"
    /[,;:][ \u00A0]*\.(?!\.)/gu, // ", ."
    /(?<!\.)[.!?][ \u00A0]+[,;:]/gu, // ". ,"
    /(?<![.\s])\.[ \u00A0]+\.(?![ \u00A0]*\.)/gu, // "word. ." but not ". . ."
    /(?<![.\s])\.\.(?!\.)/gu, // "word.." but not "..."
    /[!?],/gu,
  ];
  const seen: Array<[number, number]> = [];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (seen.some(([a, b]) => start < b && end > a)) continue;
      seen.push([start, end]);
      emit('punctuation', start, end, `Run of punctuation ${quoteText(m[0])}.`);
    }
  }
  // ".," is right after an abbreviation ("the U.S., China") and wrong after a word ("smoothly.,").
  for (const m of text.matchAll(/(\S+)\.,/gu)) {
    if (isAbbreviation(m[1])) continue;
    const start = m.index + m[1].length;
    if (seen.some(([a, b]) => start < b && start + 2 > a)) continue;
    emit('punctuation', start, start + 2, 'Run of punctuation “.,”.', ',');
  }
}
