import type { Emit } from './types';

const OPENERS = /[\s([{\u2014\u2013\-/“‘"']/u;
const AFTER_CLOSE = /[\s.,;:!?)\]}\u2014\u2013\-…”’"']/u;

type QuoteRole = 'open' | 'close' | 'either';

/** Whether a quote at `i` stands where a quote opens (after space, before a word) or closes. */
function quoteContext(text: string, i: number): QuoteRole {
  const prev = i === 0 ? ' ' : text[i - 1];
  const next = i + 1 >= text.length ? ' ' : text[i + 1];
  const openSide = OPENERS.test(prev) && !/\s/u.test(next);
  const closeSide = !/\s/u.test(prev) && AFTER_CLOSE.test(next) && !OPENERS.test(prev);
  if (openSide && !closeSide) return 'open';
  if (closeSide && !openSide) return 'close';
  return 'either';
}

/**
 * An opening mark after a space and before the sentence's final punctuation
 * (or a space, or the paragraph's end) while a quotation is open: MT's "the Committee “."
 * The span takes the stray space too, so the fix leaves "the Committee”."
 */
function spacedCloser(text: string, i: number): number | null {
  const next = text.slice(i + 1);
  // Before the final punctuation, a space or the paragraph's end: an opening mark is followed by its first word.
  if (next !== '' && !/^(?:[.,;:!?…]|\s)/u.test(next)) return null;
  const lead = /[ \u00A0\t]+$/u.exec(text.slice(0, i))?.[0].length ?? 0;
  return lead > 0 ? i - lead : null;
}

/** `quotes`: curly quotes facing the wrong way, never closed or never opened, and odd straight quotes. */
export function checkQuotes(text: string, next: string | undefined, emit: Emit): void {
  const pairs: Array<{ open: string; close: string }> = [
    { open: '“', close: '”' },
    { open: '‘', close: '’' },
  ];
  for (const { open, close } of pairs) {
    const stack: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c !== open && c !== close) continue;
      const ctx = quoteContext(text, i);
      // ’ is also the apostrophe ("don't", "villagers’"): only an unmistakable opening use is a quote problem.
      if (close === '’' && c === '’') {
        if (ctx === 'close' && stack.length > 0) stack.pop();
        continue;
      }
      let role: 'open' | 'close' = c === open ? 'open' : 'close';
      const spaced = c === open && stack.length > 0 ? spacedCloser(text, i) : null;
      if (c === close && ctx === 'open') {
        emit('quotes', i, i + 1, `The closing quote ${close} is used to open a quotation.`, open);
        role = 'open';
      } else if (spaced !== null) {
        emit('quotes', spaced, i + 1, `${open} used as a closing mark: the quotation is closed with ${close}.`, close);
        role = 'close';
      } else if (c === open && ctx === 'close') {
        emit('quotes', i, i + 1, `${open} used as a closing mark: the quotation is closed with ${close}.`, close);
        role = 'close';
      }
      if (role === 'open') stack.push(i);
      else if (stack.length > 0) stack.pop();
      else if (open === '“') emit('quotes', i, i + 1, `The quote ${c} closes a quotation that was never opened.`);
    }
    // News style: a quotation running into the next paragraph leaves this one open and the next one starts with an opening quote.
    const continues = next !== undefined && next.trimStart().startsWith(open) && stack.length === 1;
    if (!continues) for (const at of stack) emit('quotes', at, at + 1, `The quotation opened here is never closed.`);
  }
  const straight = [...text.matchAll(/"/g)].map((m) => m.index);
  if (straight.length % 2 === 1) {
    const continues = next !== undefined && next.trimStart().startsWith('"');
    if (!continues) {
      const at = straight[straight.length - 1];
      emit('quotes', at, at + 1, 'This paragraph has an odd number of straight double quotes: a quotation is not closed.');
    }
  }
}

const BRACKET_PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** `brackets`: unbalanced or mismatched brackets. */
export function checkBrackets(text: string, emit: Emit): void {
  const stack: Array<{ c: string; at: number }> = [];
  // A list marker such as "1)" or "a)" at the start of a paragraph is not a bracket.
  const listMarker = /^\s*(?:\d{1,2}|[a-z])\)/.exec(text);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') stack.push({ c, at: i });
    else if (c in BRACKET_PAIRS) {
      if (listMarker && i === listMarker[0].length - 1) continue;
      const top = stack[stack.length - 1];
      if (top && top.c === BRACKET_PAIRS[c]) stack.pop();
      else if (top) {
        emit('brackets', i, i + 1, `${c} does not match the ${top.c} opened earlier.`);
        stack.pop();
      } else emit('brackets', i, i + 1, `${c} has no matching ${BRACKET_PAIRS[c]}.`);
    }
  }
  for (const { c, at } of stack) emit('brackets', at, at + 1, `${c} is never closed.`);
}
