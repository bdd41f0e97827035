import { caseStats, checkCapitals } from './capitals';
import { compileGlossary, checkGlossary } from './glossary';
import { checkNumbers } from './numberChecks';
import { checkNumberStyle } from './numberStyle';
import { checkBrackets, checkQuotes } from './quotes';
import { checkRepeats } from './repeats';
import { checkScript } from './script';
import { checkSentences } from './sentenceChecks';
import { splitSentences } from './sentences';
import { checkPunctuation, checkSpacing } from './spacing';
import type { PosTagger } from './tagger';
import { checkInlineCodes, checkUntranslated } from './inlineCodeChecks';
import { isResolved, NOT_FOR_TITLES, QA_CHECKS, resolveQaConfig, TITLE_INDEX, type Emit, type Finding, type QaConfig, type QaConfigInput, type QaInput } from './types';

/**
 * Runs every enabled check over an article's title and paragraphs and returns
 * the findings ordered by paragraph (the title, -1, first), then position.
 * Without a tagger, `capitals` and the tagged rules of `fragments` and
 * `strayStop` are skipped and a lower-case sentence start is always
 * `sentenceCase`: that is the cheap set a browser bundle can run.
 */
export function runQaChecksWith(input: QaInput, config: QaConfigInput | QaConfig, tagger: PosTagger | null): Finding[] {
  const cfg = isResolved(config) ? config : resolveQaConfig(config);
  const findings: Finding[] = [];
  const glossary = compileGlossary(input.glossary ?? []);
  const cjkTarget = /^(?:zh|ja|ko)\b/i.test(input.targetLang ?? '');
  const emitFor = (index: number): Emit => (check, start, end, message, suggestion) => {
    if (!cfg.checks[check].enabled) return;
    if (index === TITLE_INDEX && NOT_FOR_TITLES.has(check)) return;
    findings.push({ check, severity: cfg.checks[check].severity, paragraphIndex: index, start, end, message, ...(suggestion === undefined ? {} : { suggestion }) });
  };
  const paragraphs = input.paragraphs.map((p) => ({ ...p, sentences: splitSentences(p.text) }));
  const stats = tagger && cfg.checks.capitals.enabled ? caseStats(paragraphs) : null;

  const title = input.title && input.title.text.trim() !== '' ? input.title : null;
  if (title) {
    const emit = emitFor(TITLE_INDEX);
    checkNumbers(title.text, title.mt ?? null, title.source ?? null, emit);
    if (!cjkTarget) checkScript(title.text, emit);
    checkQuotes(title.text, undefined, emit);
    checkBrackets(title.text, emit);
    checkRepeats(title.text, emit);
    checkSpacing(title.text, emit);
    checkPunctuation(title.text, emit);
    checkGlossary(title.text, title.source ?? null, glossary, emit);
  }
  paragraphs.forEach((p, index) => {
    const emit = emitFor(index);
    const text = p.text;
    checkNumbers(text, p.mt ?? null, p.source ?? null, emit);
    if (!cjkTarget) checkScript(text, emit);
    checkQuotes(text, input.paragraphs[index + 1]?.text, emit);
    checkBrackets(text, emit);
    checkRepeats(text, emit);
    checkSpacing(text, emit);
    checkPunctuation(text, emit);
    checkSentences(text, p.sentences, cfg, tagger, emit);
    if (tagger && stats) checkCapitals(text, p.sentences, stats, tagger, emit);
    checkGlossary(text, p.source ?? null, glossary, emit);
    checkInlineCodes(p, emit);
    checkUntranslated(p, emit);
  });
  if (cfg.checks.numberStyle.enabled) {
    const texts = [...(title ? [title.text] : []), ...paragraphs.map((p) => p.text)];
    const offset = title ? 1 : 0;
    checkNumberStyle(texts, (i) => emitFor(i - offset));
  }
  return findings.sort((a, b) => a.paragraphIndex - b.paragraphIndex || a.start - b.start || QA_CHECKS.indexOf(a.check) - QA_CHECKS.indexOf(b.check));
}
