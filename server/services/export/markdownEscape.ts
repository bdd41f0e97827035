/**
 * Markdown escaping for the Markdown export, and its inverse for re-importing
 * that export. Pure: the importer runs the inverse too.
 */

// Characters that open a construct anywhere in a line: escapes, code spans and
// fences, emphasis, links and images, HTML and autolinks, entities, headings
// (also a closing "#" sequence), tables, strikethrough and "~~~" fences.
// CommonMark renders a backslash before any ASCII punctuation as that character.
const MD_INLINE = /[\\`*_[\]<>&#|~]/g;
// At the start of a line: list items, thematic breaks and setext underlines.
const MD_LINE_START = /^[-+=]/;
// Line starts CommonMark reads as an ordered list item: up to nine digits then "." or ")".
const ORDERED_MARKER = /^(\d{1,9})([.)])/;

/**
 * Escapes text so that a CommonMark renderer shows exactly it, as one
 * paragraph: ASCII punctuation that could open a construct is
 * backslash-escaped (entities such as `&amp;` included); spaces and tabs at
 * the start or end, which CommonMark would strip or read as indentation,
 * and line breaks, which could start a new block, become character
 * references, so each paragraph is one line. U+0000, which
 * CommonMark replaces by U+FFFD, is the one character it cannot show.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(MD_INLINE, '\\$&')
    .replace(MD_LINE_START, '\\$&')
    .replace(ORDERED_MARKER, '$1\\$2')
    // Renderers strip leading and trailing whitespace (commonmark.js any Unicode whitespace, not only spaces and tabs).
    .replace(/^\s+|\s+$/g, (ws) => [...ws].map((c) => `&#${c.codePointAt(0)};`).join(''))
    .replace(/[\r\n]/g, (c) => (c === '\n' ? '&#10;' : '&#13;'));
}

/** Undoes {@link escapeMarkdown} (for re-importing a Copydesk Markdown export): backslash escapes and numeric character references. */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])|&#(\d{1,7});|&#[xX]([0-9a-fA-F]{1,6});/g, (_whole, esc: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (esc !== undefined) return esc;
    const cp = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\uFFFD';
  });
}
