import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { runQaChecks, TITLE_INDEX, type Finding } from '../../server/policy/qa';

/**
 * Precision of the QA checks on well-edited English news prose gathered from
 * public, reusable sources (tests/fixtures/qa-prose/SOURCES.md): at most one
 * warning per 2,000 words and no error. Every finding is listed on failure so
 * a regression names the sentence that set it off.
 */
interface ProseArticle {
  date: string;
  title: string;
  paragraphs: string[];
}

const corpus = JSON.parse(readFileSync(new URL('../fixtures/qa-prose/current-events-2025-03-04.json', import.meta.url), 'utf8')) as ProseArticle[];
const wordCount = (s: string): number => s.split(/\s+/u).filter(Boolean).length;

describe('precision on edited news prose', () => {
  const words = corpus.reduce((n, a) => n + wordCount(a.title) + a.paragraphs.reduce((m, p) => m + wordCount(p), 0), 0);
  const findings: Array<{ article: ProseArticle; f: Finding }> = [];
  for (const article of corpus) {
    for (const f of runQaChecks({ title: { text: article.title }, paragraphs: article.paragraphs.map((text) => ({ text })) })) findings.push({ article, f });
  }
  const describeFinding = ({ article, f }: { article: ProseArticle; f: Finding }): string => {
    const text = f.paragraphIndex === TITLE_INDEX ? article.title : article.paragraphs[f.paragraphIndex];
    return `${article.date} ${f.severity} ${f.check}: ${f.message} [${text.slice(Math.max(0, f.start - 30), f.end + 30)}]`;
  };

  test('the corpus holds at least 20,000 words', () => {
    assert.ok(words >= 20_000, `only ${words} words`);
  });

  test('no error findings', () => {
    assert.deepEqual(findings.filter(({ f }) => f.severity === 'error').map(describeFinding), []);
  });

  test('at most one warning per 2,000 words', () => {
    const warnings = findings.filter(({ f }) => f.severity === 'warning');
    const allowed = Math.floor(words / 2000);
    assert.ok(warnings.length <= allowed, `${warnings.length} warnings in ${words} words (allowed ${allowed}):\n${warnings.map(describeFinding).join('\n')}`);
  });
});
