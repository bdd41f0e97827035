/**
 * Checks a language tag and returns its canonical BCP-47 form ('ZH-cn' → 'zh-CN'), or undefined
 * when it is not a tag. An underscore is read as a hyphen because translation tools often write
 * 'zh_CN'; anything else odd is refused rather than guessed.
 */
export function normaliseLanguageTag(tag: string): string | undefined {
  const candidate = tag.trim().replace(/_/g, '-');
  if (!/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(candidate)) return undefined;
  try {
    return Intl.getCanonicalLocales(candidate)[0];
  } catch {
    return undefined;
  }
}

/** The reason given when a language tag is refused. */
export const LANGUAGE_TAG_HINT = 'expected a language tag such as "zh", "en" or "en-GB"';
