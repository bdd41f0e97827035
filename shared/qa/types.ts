/**
 * The vocabulary of the QA checks: check names, severities, configuration
 * and the shapes of their input and findings. Pure: imports nothing but the inline-code types.
 */

import type { InlineCode } from '../inlineCodes';

export type QaSeverity = 'info' | 'warning' | 'error';

/** Every check, in the order findings are reported within a paragraph span. */
export const QA_CHECKS = [
  'numbers',
  'numberFormat',
  'numberStyle',
  'script',
  'quotes',
  'brackets',
  'repeats',
  'spacing',
  'punctuation',
  'strayStop',
  'sentenceCase',
  'capitals',
  'fragments',
  'glossaryForbidden',
  'glossaryPreferred',
  'length',
  'inlineCodes',
  'untranslated',
] as const;

export type QaCheck = (typeof QA_CHECKS)[number];

/** Checks that do not apply to a headline (headlines are verbless, title-case and single sentences by design). */
export const NOT_FOR_TITLES: ReadonlySet<QaCheck> = new Set<QaCheck>(['fragments', 'sentenceCase', 'strayStop', 'capitals', 'length']);

/** The paragraphIndex of findings on the article's title. */
export const TITLE_INDEX = -1;

/** One problem found. Offsets are UTF-16 indexes into the paragraph's current text; start === end means the paragraph as a whole. */
export interface Finding {
  check: QaCheck;
  severity: QaSeverity;
  /** 0-based paragraph, or TITLE_INDEX (-1) for the article's title. */
  paragraphIndex: number;
  start: number;
  end: number;
  message: string;
  /** Replacement text for [start, end), when there is an obvious one ('' deletes). */
  suggestion?: string;
}

export interface QaCheckConfig {
  enabled: boolean;
  severity: QaSeverity;
}

export interface QaConfig {
  checks: Record<QaCheck, QaCheckConfig>;
  /** A sentence with more words than this is reported by `length`. */
  maxSentenceWords: number;
  /** A sentence with at most this many words and no verb is a fragment even without a part-of-speech tagger. */
  fragmentMaxWords: number;
}

/** A partial configuration: any check or limit left out takes its default. */
export interface QaConfigInput {
  checks?: Partial<Record<QaCheck, Partial<QaCheckConfig>>>;
  maxSentenceWords?: number;
  fragmentMaxWords?: number;
}

const DEFAULT_SEVERITY: Record<QaCheck, QaSeverity> = {
  numbers: 'warning',
  numberFormat: 'warning',
  numberStyle: 'warning',
  script: 'error',
  quotes: 'error',
  brackets: 'error',
  repeats: 'warning',
  spacing: 'warning',
  punctuation: 'warning',
  strayStop: 'warning',
  sentenceCase: 'warning',
  capitals: 'warning',
  fragments: 'warning',
  glossaryForbidden: 'error',
  glossaryPreferred: 'warning',
  length: 'warning',
  inlineCodes: 'error',
  untranslated: 'error',
};

/** The defaults: every check on, 60-word sentences, untagged fragments of up to 3 words. */
export const DEFAULT_QA_CONFIG: Readonly<QaConfig> = Object.freeze({
  checks: Object.fromEntries(QA_CHECKS.map((c) => [c, { enabled: true, severity: DEFAULT_SEVERITY[c] }])) as Record<QaCheck, QaCheckConfig>,
  maxSentenceWords: 60,
  fragmentMaxWords: 3,
});

/** Fills a partial configuration with the defaults; throws RangeError on a bad limit or an unknown check. */
export function resolveQaConfig(input: QaConfigInput = {}): QaConfig {
  const checks = {} as Record<QaCheck, QaCheckConfig>;
  for (const name of Object.keys(input.checks ?? {})) {
    if (!(QA_CHECKS as readonly string[]).includes(name)) throw new RangeError(`unknown QA check "${name}"; checks: ${QA_CHECKS.join(', ')}`);
  }
  for (const c of QA_CHECKS) {
    checks[c] = { ...DEFAULT_QA_CONFIG.checks[c], ...(input.checks?.[c] ?? {}) };
    if (!['info', 'warning', 'error'].includes(checks[c].severity)) throw new RangeError(`${c}.severity must be info, warning or error, got "${String(checks[c].severity)}"`);
    if (typeof checks[c].enabled !== 'boolean') throw new RangeError(`${c}.enabled must be true or false`);
  }
  const limit = (name: 'maxSentenceWords' | 'fragmentMaxWords', v: number | undefined): number => {
    const value = v ?? DEFAULT_QA_CONFIG[name];
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive whole number, got ${String(value)}`);
    return value;
  };
  return { checks, maxSentenceWords: limit('maxSentenceWords', input.maxSentenceWords), fragmentMaxWords: limit('fragmentMaxWords', input.fragmentMaxWords) };
}

/** Whether a configuration is already resolved (every check and limit present). */
export function isResolved(c: QaConfigInput | QaConfig): c is QaConfig {
  const checks = c.checks as Record<string, Partial<QaCheckConfig> | undefined> | undefined;
  return checks !== undefined && QA_CHECKS.every((k) => typeof checks[k]?.enabled === 'boolean' && typeof checks[k]?.severity === 'string') && typeof c.maxSentenceWords === 'number' && typeof c.fragmentMaxWords === 'number';
}

/** A glossary entry as the checks need it. */
export interface QaGlossaryEntry {
  term: string;
  preferred: string;
  forbidden: readonly string[];
  sourceTerm?: string | null;
}

export interface QaParagraph {
  /** The current text (the MT itself for an unedited draft or an import file). */
  text: string;
  /** The MT of this paragraph; omit when `text` is the MT. */
  mt?: string | null;
  source?: string | null;
  /** Inline-code table of a translation file's paragraph. */
  codes?: readonly InlineCode[] | null;
  /** The imported file had no target for this paragraph. */
  emptyTarget?: boolean;
}

export interface QaInput {
  paragraphs: readonly QaParagraph[];
  /** The article's headline: checked like a paragraph, less the checks in NOT_FOR_TITLES; its findings have paragraphIndex -1. */
  title?: QaParagraph | null;
  glossary?: readonly QaGlossaryEntry[];
  /** BCP-47 tag of the text; the leftover-script check is off for zh, ja and ko targets. */
  targetLang?: string | null;
}

/** Reports one finding of the paragraph being checked; checks that are off are dropped here. */
export type Emit = (check: QaCheck, start: number, end: number, message: string, suggestion?: string) => void;

/** “text”, for messages. */
export function quoteText(s: string): string {
  return `“${s}”`;
}
