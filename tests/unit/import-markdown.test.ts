import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parseFile } from '../../server/services/import/parseFile';
import { parseMarkdown } from '../../server/services/import/parseMarkdown';
import { ImportInputError, type ParsedArticle } from '../../server/services/import/types';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

function markdownError(text: string): ImportInputError {
  try {
    parseMarkdown(text, 'draft.md');
  } catch (error) {
    assert.ok(error instanceof ImportInputError, `expected ImportInputError, got ${String(error)}`);
    return error;
  }
  return assert.fail('expected parseMarkdown to throw');
}

describe('markdown', () => {
  test('reads front matter, the # title and paragraphs, keeping other markdown as written', async () => {
    const articles: ParsedArticle[] = [];
    for await (const article of parseFile(fixture('article.md'))) articles.push(article);
    assert.equal(articles.length, 1);
    const [article] = articles;
    assert.equal(article.externalId, 'md-flood-relief-0415');
    assert.equal(article.sourceLang, 'zh');
    assert.equal(article.targetLang, 'en');
    assert.equal(article.publishedAt?.toISOString(), '2023-04-15T00:00:00.000Z');
    assert.equal(article.title, 'Flood-relief drive collects 2.6 ten thousand items in three days');
    assert.deepEqual(article.paragraphs, [
      'Since the flood-relief drive was launched on April 12, citizens have donated quilts, drinking water and instant noodles at 12 collection points. smoothly.',
      'The Red Cross said ”every bit of love counts“, and the volunteers will deliver the goods to the affected villages before the weekend.',
      '**Donation hotline:** 12345 (open 24 hours)',
    ]);
    assert.deepEqual(article.location, { file: fixture('article.md'), line: 8, index: 0 });
    assert.deepEqual(article.metadata, {});
  });

  test('front matter is optional; id and date are accepted spellings; closing hashes are dropped', () => {
    const plain = parseMarkdown('\n# Metro Line 4 opens #\n\nThe line has 18 stations.\n', 'a.md');
    assert.equal(plain.title, 'Metro Line 4 opens');
    assert.equal(plain.externalId, undefined);
    assert.equal(plain.location.line, 2);

    const aliased = parseMarkdown(
      '---\nid: "metro-4"\ndate: 2023-06-28T09:00:00Z\nsourceLang: ZH_cn\n---\n# Metro Line 4 opens\nThe line has 18 stations.',
      'b.md',
    );
    assert.equal(aliased.externalId, 'metro-4');
    assert.equal(aliased.publishedAt?.toISOString(), '2023-06-28T09:00:00.000Z');
    assert.equal(aliased.sourceLang, 'zh-CN');
  });

  test('the first non-empty line must be a level-1 ATX heading', () => {
    assert.equal(
      markdownError('\n\n## Metro Line 4 opens\n\nText.').message,
      'draft.md:3: expected a "# Title" heading (a "#", a space, then the title) as the first non-empty line, found "## Metro Line 4 opens"',
    );
    assert.equal(markdownError('---\nid: x\n---\n#Metro\n\nText.').line, 4);
    assert.equal(markdownError('Metro Line 4 opens\n==================\n\nText.').line, 1);
  });

  test('front matter is strict: unknown keys, duplicates, bad values and a missing end are refused', () => {
    const unknown = markdownError('---\nsourceLnag: zh\n---\n# T\n\nP.');
    assert.equal(unknown.line, 2);
    assert.equal(unknown.field, 'sourceLnag');
    assert.match(unknown.message, /^draft\.md:2: sourceLnag: unknown front-matter key \(did you mean "sourceLang"\?\); expected one of externalId, id, /);

    assert.equal(markdownError('---\nid: a\nexternalId: b\n---\n# T\n\nP.').message, 'draft.md:3: externalId: externalId is already set by "id:" above');
    assert.match(markdownError('---\ndate: 2023-04-31\n---\n# T\n\nP.').message, /^draft\.md:2: date: expected an ISO date/);
    assert.match(markdownError('---\ndate: 2023-04-02T09:00:00\n---\n# T\n\nP.').message, /with a time zone/);
    assert.match(markdownError('---\ntargetLang: English!\n---\n# T\n\nP.').message, /^draft\.md:2: targetLang: expected a language tag/);
    assert.equal(markdownError('---\nid:\n---\n# T\n\nP.').message, 'draft.md:2: id: has no value');
    assert.equal(markdownError('---\njust text\n---\n# T\n\nP.').message, 'draft.md:2: expected "key: value" in the front matter, found "just text"');
    assert.equal(
      markdownError('---\nid: a\n# T\n\nP.').message,
      'draft.md:1: the front matter that starts here is never closed by a "---" line',
    );
  });

  test('a heading without paragraphs is refused', () => {
    assert.equal(markdownError('# Metro Line 4 opens\n\n\n').message, 'draft.md:1: has a title but no paragraphs');
  });
});
