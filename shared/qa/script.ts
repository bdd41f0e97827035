import { quoteText, type Emit } from './types';

const CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\p{scx=Bopomofo}\u3000-\u303F\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65]+/gu;

/** `script`: source-script text left in a non-CJK translation. */
export function checkScript(text: string, emit: Emit): void {
  for (const m of text.matchAll(CJK)) {
    emit('script', m.index, m.index + m[0].length, `Untranslated source-script text ${quoteText(m[0])} is left in the translation.`);
  }
}
