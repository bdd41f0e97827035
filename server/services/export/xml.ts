import { createHash } from 'node:crypto';

/**
 * The small XML writer behind the XLIFF exports. XML 1.0 can carry neither the
 * C0 controls other than tab, LF and CR, nor U+FFFE/U+FFFF, nor an unpaired
 * surrogate, not even as a character reference; callers decide how such a
 * character is represented (see {@link splitXmlInvalid}).
 */

/** Escapes element content: `&`, `<`, `>` (so `]]>` cannot occur) and CR, which a parser would turn into LF. */
export function escapeText(text: string): string {
  return text.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;'));
}

/**
 * Escapes an attribute value for double quotes. Tab, LF and CR are written as
 * character references, which attribute-value normalisation leaves alone.
 * Characters XML cannot carry are replaced by U+FFFD: attributes hold ids and
 * names, where a control character has no meaning to keep.
 */
export function escapeAttr(value: string): string {
  return value
    .replace(XML_INVALID, '\uFFFD')
    .replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c]);
}

const ATTR_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };

/** One character XML 1.0 cannot carry: C0 controls but tab/LF/CR, U+FFFE, U+FFFF, and unpaired surrogates. */
export const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A piece of text: either characters XML can carry, or ONE character it cannot (as its UTF-16 code unit). */
export type TextPiece = { text: string } | { invalid: number };

/** Splits `text` into runs XML can carry and single characters it cannot. */
export function splitXmlInvalid(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let last = 0;
  for (const m of text.matchAll(XML_INVALID)) {
    if (m.index > last) pieces.push({ text: text.slice(last, m.index) });
    pieces.push({ invalid: m[0].charCodeAt(0) });
    last = m.index + 1;
  }
  if (last < text.length) pieces.push({ text: text.slice(last) });
  return pieces;
}

/** Four upper-case hex digits (an even count, as xs:hexBinary wants). */
export const hex4 = (code: number): string => code.toString(16).toUpperCase().padStart(4, '0');

/** `name="value"` pairs for the attributes that are set, in the given order. */
export function attrs(values: ReadonlyArray<readonly [string, string | number | undefined | null]>): string {
  return values
    .filter((v): v is readonly [string, string | number] => v[1] !== undefined && v[1] !== null)
    .map(([name, value]) => ` ${name}="${escapeAttr(String(value))}"`)
    .join('');
}

// Only ASCII name characters are kept as they are: every XML parser agrees on
// them, whatever edition of the XML 1.0 name rules it implements.
const SAFE_NMTOKEN = /^[A-Za-z0-9._-]+$/;

/**
 * An xs:NMTOKEN for `value`: the value itself when it is made only of ASCII
 * letters, digits, `.`, `_` and `-`; otherwise the value with every other
 * character replaced by `_`, then `-` and 8 hex digits of its sha256, so two
 * different values never share a token. Deterministic, so re-exports hash identically.
 */
export function toNmtoken(value: string): string {
  if (SAFE_NMTOKEN.test(value)) return value;
  const base = value.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64);
  const hash = createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 8);
  return base ? `${base}-${hash}` : `id-${hash}`;
}
