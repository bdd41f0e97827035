// Tokenizing for the word diff and the edit statistics: which runs of a text
// count as tokens (words, marks, ideographs) and where each one starts.

/*
 * Tokens. jsdiff's own word tokenizers are not used: its word class covers Latin
 * script only, so Cyrillic, Greek, Arabic, Devanagari or Hangul words are split into
 * single letters; `diffWords` also cannot always give back the old text's whitespace,
 * and `diffWordsWithSpace` aligns on whitespace tokens, yielding perverse diffs.
 * Instead we tokenize here and diff the token arrays with `diffArrays`; whitespace
 * lives in the gaps between tokens and is reinstated when building parts.
 */

// Scripts written without spaces between words: each character is its own token, the
// usual convention for CJK edit rates. Script_Extensions also catches marks such as ー and 々.
const IDEOGRAPHIC = '\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Bopomofo}';
// Soft hyphen and ZWNJ/ZWJ occur inside words (Persian, Indic scripts, hyphenation hints).
const WORD_CHAR = `(?:(?![${IDEOGRAPHIC}])[\\p{L}\\p{M}\\p{N}_\\u00AD\\u200C\\u200D])`;
// Keeps "state-owned", "don't", "1,000.5" and "10:30" as one token each.
const JOINER = `(?:['\\u2019\\u2010\\u2011-]|(?<=\\p{N})[.,:/](?=\\p{N}))`;
// Invisible separators are not tokens; like whitespace they stay in the gaps.
const TOKEN = new RegExp(
  [
    `(?=[${IDEOGRAPHIC}])[\\p{L}\\p{N}]\\p{M}*`,
    `${WORD_CHAR}+(?:${JOINER}${WORD_CHAR}+)*`,
    `(?![\\u200B\\u2060\\uFEFF])\\S\\p{M}*`,
  ].join('|'),
  'gu',
);

/**
 * A tokenized text: token `i` is `texts[i]`, found at offset `starts[i]` of the text.
 * Parallel arrays rather than one object per token: the diff needs only the strings,
 * and the offsets are read once when building parts.
 */
export interface Tokens {
  texts: string[];
  starts: number[];
}

/*
 * The same tokenizer for "plain" text: ASCII plus non-ASCII characters that are
 * neither letters, marks, digits, word joiners, invisible separators nor
 * surrogates (typographic quotes, dashes, no-break spaces…). On such text the
 * Unicode alternatives above reduce to ASCII classes (no ideographs, no marks,
 * only ASCII digits and letters), i.e. to the regex
 *
 *     [A-Za-z0-9_]+(?:(?:['-]|(?<=[0-9])[.,:/](?=[0-9]))[A-Za-z0-9_]+)*|\S
 *
 * which `scanPlain` implements as a character loop: a regex match allocates an
 * array per token, and this runs on every paragraph of every save. Equivalence with
 * TOKEN is checked by property tests (tests/unit/diff-tokenize.test.ts and
 * tests/unit/diff-equivalence.test.ts).
 */
// ZWJ (U+200D) comes last: between two other members the class would read as a joined sequence.
const NOT_PLAIN = /[\p{L}\p{M}\p{N}\u00AD\u200B\u200C\u2019\u2010\u2011\u2060\uFEFF\u200D]/u;
const SPACE = /\s/u;

const enum Kind {
  Unknown = 0,
  Word = 1,
  Space = 2,
  /** A plain character that is a token by itself (punctuation, symbol). */
  Mark = 3,
  /** Rules the plain scanner out: the text goes to TOKEN. */
  NotPlain = 4,
}

// Per UTF-16 code unit, filled on first sight (64 KB); ASCII up front, as the hot
// loops read it without a call. Only ASCII is ever Word.
const KIND = new Uint8Array(0x10000);

function classify(code: number): Kind {
  const ch = String.fromCharCode(code);
  if (code >= 0xd800 && code <= 0xdfff) return Kind.NotPlain;
  if (code < 0x80) return /[A-Za-z0-9_]/.test(ch) ? Kind.Word : SPACE.test(ch) ? Kind.Space : Kind.Mark;
  if (NOT_PLAIN.test(ch)) return Kind.NotPlain;
  return SPACE.test(ch) ? Kind.Space : Kind.Mark;
}

function kindOf(code: number): Kind {
  const kind = KIND[code]!;
  return kind !== Kind.Unknown ? kind : (KIND[code] = classify(code));
}

for (let code = 0; code < 0x80; code++) KIND[code] = classify(code);

function isWordChar(code: number): boolean {
  return code < 0x80 && KIND[code] === Kind.Word;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Tokens of plain text, or undefined when the text is not plain. */
function scanPlain(text: string): Tokens | undefined {
  const texts: string[] = [];
  const starts: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    const kind = code < 0x80 ? KIND[code]! : kindOf(code);
    if (kind === Kind.Space) {
      i++;
      continue;
    }
    if (kind === Kind.NotPlain) return undefined;
    const start = i++;
    if (kind === Kind.Word) {
      // The word and any joiner + word that follows: ' or - before a word
      // character, . , : or / between two digits.
      for (;;) {
        while (i < n && isWordChar(text.charCodeAt(i))) i++;
        if (i + 1 >= n) break;
        const joiner = text.charCodeAt(i);
        const next = text.charCodeAt(i + 1);
        const joins =
          joiner === 0x27 || joiner === 0x2d // ' -
            ? isWordChar(next)
            : (joiner === 0x2e || joiner === 0x2c || joiner === 0x3a || joiner === 0x2f) && isDigit(text.charCodeAt(i - 1)) && isDigit(next); // . , : /
        if (!joins) break;
        i += 2;
      }
    }
    texts.push(text.slice(start, i));
    starts.push(start);
  }
  return { texts, starts };
}

function scanUnicode(text: string): Tokens {
  const texts: string[] = [];
  const starts: number[] = [];
  for (const match of text.matchAll(TOKEN)) {
    texts.push(match[0]);
    starts.push(match.index);
  }
  return { texts, starts };
}

function scan(text: string): Tokens {
  return scanPlain(text) ?? scanUnicode(text);
}

// A save compares each paragraph's new text with its MT and with its previous
// text, and the two often coincide: the last few tokenizations are reused.
// Tokens are never mutated after they are made.
const TOKEN_CACHE_SIZE = 4;
const tokenCache: Array<{ text: string; tokens: Tokens }> = [];

export function tokensOf(text: string): Tokens {
  for (const entry of tokenCache) if (entry.text === text) return entry.tokens;
  const tokens = scan(text);
  if (tokenCache.length >= TOKEN_CACHE_SIZE) tokenCache.shift();
  tokenCache.push({ text, tokens });
  return tokens;
}

/**
 * Splits text into the tokens that edit statistics count: words (letters, marks,
 * digits, with internal apostrophes/hyphens and digit separators), each punctuation
 * mark or symbol, and each Han/Kana/Bopomofo character. Whitespace is never a token.
 * Scripts without spaces other than CJK (Thai, Lao, Khmer…) come out one token per
 * space-separated run.
 */
export function tokenizeWords(text: string): string[] {
  return scan(text).texts;
}

// JavaScript's \s, by UTF-16 code unit (none of it is outside the BMP). U+FEFF is
// whitespace too but NOT_PLAIN claims it first.
export function isSpace(code: number): boolean {
  return kindOf(code) === Kind.Space || code === 0xfeff;
}
