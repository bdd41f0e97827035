import { compileGlossaryTerms, findGlossaryHits, termPattern, type CompiledGlossary } from './glossaryHits';
import { findNumbers, formatNumber, sameNumber, type NumberMention } from './numbers';

/**
 * Quality checks for machine-translated news, run paragraph by paragraph on
 * the current text and, where they exist, against the MT and the source.
 * Pure: no database, no clock. The checks are tuned so that well-formed
 * English news prose yields no warning or error; each finding points at a
 * span of the paragraph so the editor sees exactly what to fix.
 */

export type QaSeverity = 'info' | 'warning' | 'error';

/** Every check, in the order findings are reported within a paragraph span. */
export const QA_CHECKS = [
  'numbers',
  'numberFormat',
  'script',
  'quotes',
  'brackets',
  'repeats',
  'spacing',
  'punctuation',
  'sentenceCase',
  'fragments',
  'glossaryForbidden',
  'glossaryPreferred',
  'length',
] as const;

export type QaCheck = (typeof QA_CHECKS)[number];

/** What each check looks for, for help texts and the admin UI. */
export const QA_CHECK_DESCRIPTIONS: Readonly<Record<QaCheck, string>> = Object.freeze({
  numbers: 'Numbers in the text that are in neither the source nor the MT, and numbers of the source (of the MT when there is no source) missing from the text; compared by value, so 1.2万 = 12,000 = "1.2 ten thousand".',
  numberFormat: 'Numbers written the way MT renders 万/亿 ("1.3 ten thousand", "12.6 hundred million"), with the English form as a suggestion.',
  script: 'Chinese, Japanese or Korean characters (including full-width punctuation) left in a text whose target language is not CJK.',
  quotes: 'Curly quotes facing the wrong way (” used to open) and quotes opened and never closed, or closed and never opened.',
  brackets: 'Unbalanced or mismatched ( ), [ ] and { }.',
  repeats: 'A word or phrase repeated back to back ("the the", "agreed, agreed").',
  spacing: 'Double spaces and spaces before punctuation.',
  punctuation: 'Runs of punctuation such as ". ," or ",," and a doubled full stop.',
  sentenceCase: 'A sentence that starts in lower case after a full stop.',
  fragments: 'A very short sentence with no verb, such as "Proceed smoothly." or "smoothly."',
  glossaryForbidden: 'A term the glossary forbids, with the preferred term as a suggestion.',
  glossaryPreferred: 'The source has a glossary source term, but the text lacks its preferred translation.',
  length: 'Sentences longer than the configured number of words.',
});

/** One problem found. Offsets are UTF-16 indexes into the paragraph's current text; start === end means the paragraph as a whole. */
export interface Finding {
  check: QaCheck;
  severity: QaSeverity;
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
  /** A sentence with at most this many words and no verb is a fragment. */
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
  script: 'error',
  quotes: 'error',
  brackets: 'error',
  repeats: 'warning',
  spacing: 'warning',
  punctuation: 'warning',
  sentenceCase: 'warning',
  fragments: 'warning',
  glossaryForbidden: 'error',
  glossaryPreferred: 'warning',
  length: 'warning',
};

/** The defaults: every check on, 60-word sentences, fragments of up to 3 words. */
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
}

export interface QaInput {
  paragraphs: readonly QaParagraph[];
  glossary?: readonly QaGlossaryEntry[];
  /** BCP-47 tag of the text; the leftover-script check is off for zh, ja and ko targets. */
  targetLang?: string | null;
}

type Emit = (check: QaCheck, start: number, end: number, message: string, suggestion?: string) => void;

/**
 * Runs every enabled check over an article's paragraphs and returns the
 * findings ordered by paragraph, then position. Severities come from the
 * configuration (see `DEFAULT_QA_CONFIG`).
 */
export function runQaChecks(input: QaInput, config: QaConfigInput | QaConfig = {}): Finding[] {
  const cfg = isResolved(config) ? config : resolveQaConfig(config);
  const findings: Finding[] = [];
  const glossary = compileGlossary(input.glossary ?? []);
  const cjkTarget = /^(?:zh|ja|ko)\b/i.test(input.targetLang ?? '');
  input.paragraphs.forEach((p, index) => {
    const emit: Emit = (check, start, end, message, suggestion) => {
      if (!cfg.checks[check].enabled) return;
      findings.push({ check, severity: cfg.checks[check].severity, paragraphIndex: index, start, end, message, ...(suggestion === undefined ? {} : { suggestion }) });
    };
    const text = p.text;
    const next = input.paragraphs[index + 1]?.text;
    const sentences = splitSentences(text);
    checkNumbers(text, p.mt ?? null, p.source ?? null, emit);
    if (!cjkTarget) checkScript(text, emit);
    checkQuotes(text, next, emit);
    checkBrackets(text, emit);
    checkRepeats(text, emit);
    checkSpacing(text, emit);
    checkPunctuation(text, emit);
    checkSentences(text, sentences, cfg, emit);
    checkGlossary(text, p.source ?? null, glossary, emit);
  });
  return findings.sort((a, b) => a.paragraphIndex - b.paragraphIndex || a.start - b.start || QA_CHECKS.indexOf(a.check) - QA_CHECKS.indexOf(b.check));
}

function isResolved(c: QaConfigInput | QaConfig): c is QaConfig {
  return c.checks !== undefined && QA_CHECKS.every((k) => (c.checks as Record<string, unknown>)[k] && typeof (c.checks as Record<string, QaCheckConfig>)[k].enabled === 'boolean' && typeof (c.checks as Record<string, QaCheckConfig>)[k].severity === 'string') && typeof c.maxSentenceWords === 'number' && typeof c.fragmentMaxWords === 'number';
}

function quoteText(s: string): string {
  return `“${s}”`;
}

// ---------------------------------------------------------------- numbers

function checkNumbers(text: string, mt: string | null, source: string | null, emit: Emit): void {
  const mine = findNumbers(text);
  for (const n of mine) {
    if (n.garbled) emit('numberFormat', n.start, n.end, `${quoteText(n.raw)} is MT's rendering of 万/亿; in English write ${formatNumber(n.value, n.percent)}.`, formatNumber(n.value, n.percent));
  }
  const others: Array<{ label: string; numbers: NumberMention[] }> = [];
  if (mt !== null && mt !== text) others.push({ label: 'MT', numbers: findNumbers(mt) });
  if (source !== null && source.trim() !== '') others.push({ label: 'source', numbers: findNumbers(source) });
  if (others.length === 0) return;
  const has = (list: NumberMention[], v: number) => list.some((m) => sameNumber(m.value, v));
  const reported = new Set<number>();
  for (const n of mine) {
    if (!n.explicit || reported.has(n.value)) continue;
    if (others.some((o) => has(o.numbers, n.value))) continue;
    reported.add(n.value);
    emit('numbers', n.start, n.end, `${quoteText(n.raw)} (${formatNumber(n.value, n.percent)}) is not in the ${others.map((o) => o.label).join(' or the ')}.`);
  }
  // What the text must state: the source's numbers when there is a source (an editor who
  // corrects a wrong MT number to the source's must not be told the MT's is missing), else the MT's.
  const authority = others.find((o) => o.label === 'source') ?? others[0];
  const missing = new Map<number, { raw: string; labels: string[] }>();
  for (const n of authority.numbers) {
    if (!n.explicit || has(mine, n.value) || [...missing.keys()].some((k) => sameNumber(k, n.value))) continue;
    missing.set(n.value, { raw: n.raw, labels: others.filter((o) => has(o.numbers, n.value)).map((o) => o.label) });
  }
  for (const [value, { raw, labels }] of missing) {
    emit('numbers', 0, 0, `The ${labels.join(' and the ')} ${labels.length > 1 ? 'have' : 'has'} ${quoteText(raw)} (${formatNumber(value)}), which is not in the text.`);
  }
}

// ---------------------------------------------------------------- script

const CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\p{scx=Bopomofo}\u3000-\u303F\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65]+/gu;

function checkScript(text: string, emit: Emit): void {
  for (const m of text.matchAll(CJK)) {
    emit('script', m.index, m.index + m[0].length, `Untranslated source-script text ${quoteText(m[0])} is left in the translation.`);
  }
}

// ---------------------------------------------------------------- quotes and brackets

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

function checkQuotes(text: string, next: string | undefined, emit: Emit): void {
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
      if (c === close && ctx === 'open') {
        emit('quotes', i, i + 1, `The closing quote ${close} is used to open a quotation.`, open);
        role = 'open';
      } else if (c === open && ctx === 'close') {
        emit('quotes', i, i + 1, `The opening quote ${open} is used to close a quotation.`, close);
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

function checkBrackets(text: string, emit: Emit): void {
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

// ---------------------------------------------------------------- repeats

const WORD = String.raw`\p{L}+(?:['’]\p{L}+)?`;
const REPEAT = new RegExp(String.raw`(?<![\p{L}\p{N}'’-])(${WORD}(?:\s+${WORD}){0,3})(?:\s*,\s*|\s+)\1(?![\p{L}\p{N}'’-])`, 'giu');
/** Grammatical doubles ("that that", "had had") and intensifiers doubled in speech ("very, very"). */
const ALLOWED_DOUBLES = new Set(['that', 'had', 'is']);
const INTENSIFIERS = new Set(['very', 'many', 'much', 'far', 'really', 'so', 'more', 'again', 'no', 'yes', 'bye', 'ha', 'long']);

function checkRepeats(text: string, emit: Emit): void {
  for (const m of text.matchAll(REPEAT)) {
    const unit = m[1];
    const lower = unit.toLowerCase();
    if (!unit.includes(' ') && ((ALLOWED_DOUBLES.has(lower) && !m[0].includes(',')) || INTENSIFIERS.has(lower))) continue;
    const start = m.index;
    emit('repeats', start, start + m[0].length, `${quoteText(unit)} is repeated.`, unit);
  }
}

// ---------------------------------------------------------------- spacing and punctuation

function checkSpacing(text: string, emit: Emit): void {
  for (const m of text.matchAll(/(?<=\S)[ \u00A0\t]{2,}(?=\S)/gu)) {
    emit('spacing', m.index, m.index + m[0].length, 'Double space.', ' ');
  }
  // A spaced ellipsis (" ... " or " …") is a style, not a stray space; ".5" is a decimal.
  for (const m of text.matchAll(/(?<=[\p{L}\p{N}”’")\]])[ \u00A0\t]+(?=[,;:!?]|\.(?![.\d]))/gu)) {
    const mark = text[m.index + m[0].length];
    emit('spacing', m.index, m.index + m[0].length, `Space before ${quoteText(mark)}.`, '');
  }
}

function checkPunctuation(text: string, emit: Emit): void {
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

// ---------------------------------------------------------------- sentences

const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep st jr sr inc corp co ltd llc plc no nos vs etc approx ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun dept est fig mt ft rev hon pres ' +
    'univ ave blvd rd hwy vol pp cf al min max gov’t govt'
  ).split(' '),
);

/** A token before a full stop that is an abbreviation, not a sentence end: "Mr", "U.S", "a.m", "J". */
function isAbbreviation(token: string): boolean {
  const t = token.replace(/^[("“‘'[]+/u, '');
  if (/^\p{L}$/u.test(t)) return true;
  if (/^(?:\p{L}{1,3}\.)+\p{L}{1,3}\.?$/u.test(t)) return true;
  return ABBREVIATIONS.has(t.toLowerCase().replace(/\.$/, ''));
}

export interface Sentence {
  start: number;
  end: number;
  text: string;
  /** What ended the previous sentence: '.', '!' or '?', and whether a closing quote or bracket followed it. */
  after: { mark: string; closed: boolean } | null;
}

/**
 * Splits a paragraph into sentences at ".", "!" and "?" followed by
 * whitespace, except after abbreviations ("Mr.", "U.S.", "a.m.", initials)
 * and ellipses, which may continue a sentence.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  let after: Sentence['after'] = null;
  for (const m of text.matchAll(/([.!?]+)([”’"')\]]*)(?=\s)/gu)) {
    const marks = m[1];
    if (marks.length > 1 && /^\.+$/.test(marks)) continue; // "..." continues
    const end = m.index + m[0].length;
    if (marks === '.') {
      const before = /(\S+)$/u.exec(text.slice(start, m.index))?.[1] ?? '';
      if (before === '' || isAbbreviation(before)) continue;
      if (/\d$/.test(before) && /^\s*\d/.test(text.slice(end))) continue;
    }
    pushSentence(out, text, start, end, after);
    after = { mark: marks[marks.length - 1], closed: m[2] !== '' };
    start = end;
  }
  if (start < text.length) pushSentence(out, text, start, text.length, after);
  return out;
}

function pushSentence(out: Sentence[], text: string, start: number, end: number, after: Sentence['after']): void {
  const raw = text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const trimmed = raw.trim();
  if (trimmed === '') return;
  out.push({ start: start + lead, end: start + lead + trimmed.length, text: trimmed, after });
}

const VERBS = new Set(
  (
    'is are was were be been being am has have had do does did will would can could may might must shall should ' +
    'said says say go goes went gone come comes came get gets got make makes made take takes took give gives gave see sees saw ' +
    'know knew think thought tell told become became leave left feel felt put bring brought begin began keep kept hold held ' +
    'stand stood run ran win won lose lost meet met pay paid rise rose fall fell grow grew set let cut hit hurt quit read lead led ' +
    'send sent spend spent build built sell sold buy bought fight fought find found speak spoke agreed freed guaranteed need ' +
    'want try ask seem help show hear play move live believe happen continue remain stay wait thank thanks stop look'
  ).split(' '),
);

/** Prepositions a verbless MT leftover often starts with ("to the exhibition.", "In time."). */
const FRAGMENT_STARTS = new Set(['to', 'in', 'at', 'on', 'for', 'with', 'from', 'by', 'of', 'and', 'or', 'but']);

function isVerbLike(word: string): boolean {
  const w = word.toLowerCase();
  if (VERBS.has(w)) return true;
  if (/['’](?:t|s|re|ll|ve|d|m)$/u.test(w)) return true;
  if (/ed$/.test(w) && !/eed$/.test(w)) return true;
  if (/ing$/.test(w) && w.length > 4) return true;
  // Third-person verbs and plural subjects both end in -s; either way the sentence is probably whole.
  if (/[^su]s$/.test(w) && w.length > 3) return true;
  return false;
}

function checkSentences(text: string, sentences: Sentence[], cfg: QaConfig, emit: Emit): void {
  const depthAt = quoteDepths(text, sentences.map((s) => s.start));
  for (const [k, s] of sentences.entries()) {
    const words = [...s.text.matchAll(/[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu)].map((m) => m[0]);
    const inQuote = /^[“‘"'(\[]/u.test(s.text) || /[”’"')\]]$/u.test(s.text.replace(/[.!?]+$/u, '')) || depthAt[k] > 0;
    // MT leftovers look like "smoothly.", "Proceed smoothly." or "in time."; a capitalised
    // verbless answer such as "Demand." or "Not yet." is a style, so it needs one of these marks.
    const leftoverShape = /^\p{Ll}/u.test(s.text) || words.some((w) => /\p{L}{3,}ly$/u.test(w)) || FRAGMENT_STARTS.has(words[0]?.toLowerCase() ?? '');
    const fragment =
      words.length > 0 &&
      words.length <= cfg.fragmentMaxWords &&
      s.text.endsWith('.') &&
      !inQuote &&
      !/\d/.test(s.text) &&
      leftoverShape &&
      !words.some(isVerbLike);
    const firstLetter = /\p{L}/u.exec(s.text);
    const firstWord = /^\p{L}+/u.exec(s.text.slice(firstLetter?.index ?? 0))?.[0] ?? '';
    const lowerStart =
      s.after !== null &&
      s.after.mark === '.' &&
      !s.after.closed &&
      firstLetter !== null &&
      firstLetter.index === 0 &&
      /^\p{Ll}+$/u.test(firstWord);
    if (fragment && cfg.checks.fragments.enabled) {
      // When deleting the fragment, take the space before it too.
      const lead = s.after ? (/\s*$/u.exec(text.slice(0, s.start))?.[0].length ?? 0) : 0;
      emit('fragments', s.start - lead, s.end, `${quoteText(s.text)} is a sentence fragment with no verb${s.after ? ' (often an MT leftover; delete it or join it to the previous sentence)' : ''}.`, s.after ? '' : undefined);
    } else if (lowerStart) {
      const at = s.start;
      emit('sentenceCase', at, at + firstWord.length, `The sentence starts in lower case after a full stop.`, firstWord[0].toUpperCase() + firstWord.slice(1));
    }
    if (words.length > cfg.maxSentenceWords) {
      emit('length', s.start, s.end, `This sentence has ${words.length} words (limit ${cfg.maxSentenceWords}); consider splitting it.`);
    }
  }
}

/** How many curly or straight double quotations are open at each of the ascending offsets, in one pass. */
function quoteDepths(text: string, offsets: readonly number[]): number[] {
  const out: number[] = [];
  let depth = 0;
  let straight = 0;
  let i = 0;
  for (const at of offsets) {
    for (; i < at; i++) {
      const c = text[i];
      if (c === '“') depth++;
      else if (c === '”') depth = Math.max(0, depth - 1);
      else if (c === '"') straight ^= 1;
    }
    out.push(depth + straight);
  }
  return out;
}

// ---------------------------------------------------------------- glossary

// The matching itself (patterns, overlaps resolved to the longest) lives in glossaryHits.ts,
// which the editor also runs before a save.
export { termPattern };

function compileGlossary(entries: readonly QaGlossaryEntry[]): CompiledGlossary {
  return compileGlossaryTerms(entries.filter((e) => e.preferred.trim() !== ''));
}

/** Keeps the capital of a sentence-initial match: "Strike hard" → "Crack down". */
function matchCase(found: string, replacement: string): string {
  return /^\p{Lu}/u.test(found) && /^\p{Ll}/u.test(replacement) ? replacement[0].toUpperCase() + replacement.slice(1) : replacement;
}

function checkGlossary(text: string, source: string | null, glossary: CompiledGlossary, emit: Emit): void {
  // A forbidden variant inside a longer preferred term ("crack down" in "crack down hard") loses to
  // it, and of two overlapping variants ("strike", "strike hard") only the longer is reported.
  const hits = findGlossaryHits(text, glossary, ['preferred', 'forbidden']);
  const forbiddenFound = new Set<number>();
  const preferredFound = new Set<number>();
  for (const h of hits) {
    const entry = glossary.entries[h.entry];
    if (h.kind === 'preferred') {
      preferredFound.add(h.entry);
      continue;
    }
    forbiddenFound.add(h.entry);
    emit('glossaryForbidden', h.start, h.end, `${quoteText(h.text)} is not allowed by the glossary (${quoteText(entry.term)}); use ${quoteText(entry.preferred)}.`, matchCase(h.text, entry.preferred));
  }
  if (!source) return;
  // A forbidden variant already points at the spot and suggests the preferred term.
  const inSource = new Set(findGlossaryHits(source, glossary, ['source']).map((h) => h.entry));
  for (const e of inSource) {
    if (forbiddenFound.has(e) || preferredFound.has(e)) continue;
    const entry = glossary.entries[e];
    emit('glossaryPreferred', 0, 0, `The source has ${quoteText(entry.sourceTerm ?? '')}, but the text does not use the glossary's ${quoteText(entry.preferred)}.`);
  }
}
