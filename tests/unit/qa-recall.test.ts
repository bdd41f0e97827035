import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runQaChecks, TITLE_INDEX, type QaParagraph } from '../../server/policy/qa';
import { RECALL_CASES, type RecallCase } from '../fixtures/qa-recall/cases';

/**
 * Recall of the QA checks on MT-style defects written for the project
 * (tests/fixtures/qa-recall/cases.ts): every case must be found, on the
 * expected span, with the expected fix. A miss prints the findings the
 * case did produce.
 */
const GLOSSARY = [{ term: 'crack down', preferred: 'crack down', forbidden: ['strike hard'] }];
const asParagraph = (p: string | QaParagraph): QaParagraph => (typeof p === 'string' ? { text: p } : p);

function outcome(c: RecallCase): { found: boolean; got: string[] } {
  const title = c.title === undefined ? undefined : asParagraph(c.title);
  const paragraphs = c.paragraphs.map(asParagraph);
  const findings = runQaChecks({ title, paragraphs, glossary: GLOSSARY });
  const textOf = (i: number) => (i === TITLE_INDEX ? (title?.text ?? '') : paragraphs[i].text);
  const found = findings.some((f) => f.paragraphIndex === c.at && f.check === c.check && textOf(f.paragraphIndex).slice(f.start, f.end) === c.span && (c.suggestion === undefined || f.suggestion === c.suggestion));
  return { found, got: findings.map((f) => `¶${f.paragraphIndex} ${f.check} [${textOf(f.paragraphIndex).slice(f.start, f.end)}] → ${String(f.suggestion)}`) };
}

describe('recall on constructed MT defects', () => {
  for (const [name, cases] of Object.entries(RECALL_CASES)) {
    test(`${name}: ${cases.length} cases, all found`, () => {
      assert.ok(cases.length >= 10, `${name} has only ${cases.length} cases`);
      const misses = cases.map((c) => ({ c, ...outcome(c) })).filter((r) => !r.found);
      assert.deepEqual(misses.map((m) => `${m.c.check} “${m.c.span}” in ${JSON.stringify(m.c.title ?? '')} ${JSON.stringify(m.c.paragraphs)}; got: ${m.got.join('; ') || 'nothing'}`), []);
    });
  }
});
