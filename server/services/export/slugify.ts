// Letters that NFKD does not decompose into an ASCII base letter plus marks.
const TRANSLITERATION: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  þ: 'th',
  Þ: 'th',
  ł: 'l',
  Ł: 'l',
  ı: 'i',
  ħ: 'h',
  Ħ: 'h',
};

/** Longest slug kept, so that `<id>-<slug>.<ext>` stays well under file-system name limits. */
export const MAX_SLUG_LENGTH = 60;

/**
 * An ASCII file-name slug of a title: accents dropped, other letters
 * transliterated where a plain spelling exists, everything else collapsed to
 * single hyphens, lower case, at most MAX_SLUG_LENGTH characters (cut at a
 * hyphen when possible). A title with no Latin letters or digits gives
 * "article". The result depends on the title alone, so it is stable across runs.
 */
export function slugify(title: string): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    // "Don't" → "dont", not "don-t".
    .replace(/['’]/g, '')
    .replace(/[^\u0000-\u007f]/g, (ch) => TRANSLITERATION[ch] ?? ' ')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (ascii === '') return 'article';
  if (ascii.length <= MAX_SLUG_LENGTH) return ascii;
  const cut = ascii.slice(0, MAX_SLUG_LENGTH);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen >= MAX_SLUG_LENGTH / 2 ? cut.slice(0, lastHyphen) : cut).replace(/-+$/, '');
}
