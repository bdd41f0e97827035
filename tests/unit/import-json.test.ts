import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parseFile } from '../../server/services/import/parseFile';
import { parseJson } from '../../server/services/import/parseJson';
import { parseNdjson } from '../../server/services/import/parseNdjson';
import { ImportInputError, type ParsedArticle } from '../../server/services/import/types';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

async function collect(path: string): Promise<ParsedArticle[]> {
  const articles: ParsedArticle[] = [];
  for await (const article of parseFile(path)) articles.push(article);
  return articles;
}

function jsonError(value: unknown, file = 'drafts.json'): ImportInputError {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  try {
    parseJson(text, file);
  } catch (error) {
    assert.ok(error instanceof ImportInputError, `expected ImportInputError, got ${String(error)}`);
    return error;
  }
  return assert.fail('expected parseJson to throw');
}

async function ndjsonLines(text: string): Promise<ParsedArticle[]> {
  const lines = text.split('\n').map((line, n) => ({ text: line, line: n + 1 }));
  const articles: ParsedArticle[] = [];
  for await (const article of parseNdjson(lines, 'feed.ndjson')) articles.push(article);
  return articles;
}

const valid = {
  title: 'Metro Line 4 opens',
  paragraphs: ['The line has 18 stations.', 'It cost 3.5 ten thousand million yuan.'],
};

describe('JSON', () => {
  test('reads a single article object with body, languages, publishedAt and metadata', async () => {
    const [article, ...rest] = await collect(fixture('single.json'));
    assert.equal(rest.length, 0);
    assert.equal(article.externalId, 'metro-line4-0620');
    assert.equal(article.title, 'Metro Line 4 will open to passengers at the end of the month');
    assert.deepEqual(article.paragraphs, [
      'The reporter learned from the Municipal Rail Transit Group that Metro Line 4 will officially open on June 28.',
      'The whole line has 18 stations, the total investment is about 3.5 ten thousand million yuan. The construction went forward smoothly. smoothly.',
    ]);
    assert.equal(article.sourceLang, 'zh');
    assert.equal(article.targetLang, 'en');
    // 08:00 at +08:00 is midnight UTC.
    assert.equal(article.publishedAt?.toISOString(), '2023-06-20T00:00:00.000Z');
    assert.deepEqual(article.metadata, { desk: 'city', priority: 2 });
    assert.deepEqual(article.location, { file: fixture('single.json'), line: 1, index: 0 });
  });

  test('reads an array, locating each item by index and line, with aligned source text', async () => {
    const articles = await collect(fixture('articles.json'));
    assert.deepEqual(articles.map((a) => a.externalId), ['fishing-0402', 'fair-0518', undefined]);
    assert.deepEqual(articles.map((a) => a.location.line), [2, 20, 25]);
    assert.deepEqual(articles.map((a) => a.location.index), [0, 1, 2]);
    assert.deepEqual(articles[0].source, {
      title: '我市开展严厉打击非法捕捞专项行动',
      paragraphs: ['4月1日，我市召开打击非法捕捞专项行动动员会，行动将持续至10月底。', '副市长张伟表示：“我们绝不姑息。”'],
    });
    assert.equal(articles[0].source?.paragraphs?.length, articles[0].paragraphs.length);
    assert.equal(articles[0].paragraphs[1], 'Deputy mayor Zhang Wei said: ”we will not tolerate it“.');
    assert.equal(articles[0].publishedAt?.toISOString(), '2023-04-02T00:00:00.000Z');
    assert.deepEqual(articles[1].paragraphs, [
      'More than 400 enterprises brought robots and drones. to the exhibition.',
      'The fair will last for four days.',
    ]);
    assert.deepEqual(articles[2].metadata, { desk: 'society' });
  });

  test('source paragraphs that do not align with the MT paragraphs are refused', () => {
    const error = jsonError([valid, { ...valid, source: { paragraphs: ['地铁4号线全线设站18座。'] } }]);
    assert.equal(error.field, '[1].source.paragraphs');
    assert.equal(error.line, 9);
    assert.equal(
      error.message,
      'drafts.json:9: [1].source.paragraphs: has 1 paragraph but the MT text has 2; source and MT paragraphs must align one to one',
    );
    assert.match(jsonError({ ...valid, source: { body: 'a\n\nb\n\nc' } }).message, /source\.body: has 3 paragraphs but the MT text has 2/);
  });

  test('source given as body is split like the MT body; a source with only a title is fine', () => {
    const [article] = parseJson(JSON.stringify({ ...valid, source: { body: '全线设站18座。\n\n总投资约350亿元。' } }), 'a.json');
    assert.deepEqual(article.source, { paragraphs: ['全线设站18座。', '总投资约350亿元。'] });
    const [titled] = parseJson(JSON.stringify({ ...valid, source: { title: '地铁4号线开通' } }), 'a.json');
    assert.deepEqual(titled.source, { title: '地铁4号线开通' });
  });

  test('field errors name the field path and the reason', () => {
    assert.equal(jsonError({ ...valid, title: '  ' }).message, 'drafts.json:1: title: expected a non-empty string');
    assert.equal(jsonError({ paragraphs: valid.paragraphs }).message, 'drafts.json:1: title: is required; expected a non-empty string');
    assert.equal(jsonError({ ...valid, title: 42 }).message, 'drafts.json:1: title: expected a non-empty string, got a number');
    assert.equal(
      jsonError({ ...valid, paragraphs: ['One.', 'Two.', ''] }).message,
      'drafts.json:1: paragraphs.2: expected a non-empty string',
    );
    assert.equal(jsonError({ ...valid, paragraphs: [] }).field, 'paragraphs');
    assert.match(jsonError({ title: 'T' }).message, /^drafts\.json:1: paragraphs: is required; give "paragraphs"/);
    assert.equal(jsonError({ ...valid, body: 'Text.' }).message, 'drafts.json:1: body: give either "paragraphs" or "body", not both');
    assert.match(jsonError({ ...valid, publishedAt: '2023-04-02T10:00:00' }).message, /^drafts\.json:1: publishedAt: expected an ISO date/);
    assert.match(jsonError({ ...valid, publishedAt: '2023-02-29' }).message, /publishedAt: expected an ISO date/);
    assert.match(jsonError({ ...valid, sourceLang: 'Chinese' }).message, /sourceLang: expected a language tag/);
    assert.equal(jsonError({ ...valid, metadata: ['x'] }).message, 'drafts.json:1: metadata: expected an object, got an array');
    assert.equal(jsonError({ ...valid, source: {} }).message, 'drafts.json:1: source: expected title, paragraphs or body');
  });

  test('unknown keys are refused with a suggestion, before the "missing" key they cause', () => {
    const error = jsonError({ titel: 'Metro Line 4 opens', paragraphs: ['x'] });
    assert.equal(error.field, 'titel');
    assert.match(error.reason, /^unknown key \(did you mean "title"\?\); allowed keys are externalId, title, paragraphs, body, /);
    assert.match(error.reason, /\(1 more problem in this article\)$/);
    assert.match(jsonError({ ...valid, source: { paragraph: ['x', 'y'] } }).message, /source\.paragraph: unknown key \(did you mean "paragraphs"\?\)/);
  });

  test('array items are named by index and line', () => {
    const error = jsonError([valid, valid, { ...valid, title: '' }]);
    assert.equal(error.message, 'drafts.json:16: [2].title: expected a non-empty string');
  });

  test('the top level must be an object or a non-empty array', () => {
    assert.equal(jsonError('"just a string"').message, 'drafts.json: expected an article object or an array of article objects at the top level');
    assert.equal(jsonError('[]').message, 'drafts.json: contains an empty array; there are no articles to import');
    assert.equal(jsonError([valid, 'text']).message, 'drafts.json:9: [1]: expected an article object, got a string');
  });

  test('malformed JSON is reported with line and column', async () => {
    const path = fixture('malformed.json');
    await assert.rejects(collect(path), (error: unknown) => {
      assert.ok(error instanceof ImportInputError);
      assert.equal(error.message, `${path}:6: malformed JSON: Expected ',' or ']' after array element (column 3)`);
      return true;
    });
    assert.equal(jsonError('{\n  "title": "x",\n}').message, "drafts.json:3: malformed JSON: Expected double-quoted property name (column 1)");
    assert.equal(
      jsonError('{"title": "x",\n "paragraphs": ["a').message,
      'drafts.json:2: malformed JSON: the input ends too early: Unterminated string',
    );
    assert.equal(
      jsonError('[\n  {"title": "x",\n').message,
      'drafts.json:2: malformed JSON: the input ends too early: Expected double-quoted property name',
    );
    assert.equal(jsonError('[\n\n').message, 'drafts.json:1: malformed JSON: the input ends too early: an object, array or string is left open');
    // V8 gives no position for this one, so there is no line either; the reason is still clear.
    assert.equal(jsonError('{"title": tru}').message, "drafts.json: malformed JSON: Unexpected token '}'");
  });
});

describe('NDJSON', () => {
  test('reads one article per line, skipping blank lines, with line numbers', async () => {
    const articles = await collect(fixture('articles.ndjson'));
    assert.deepEqual(articles.map((a) => a.externalId), ['nd-1', 'nd-2', 'nd-3']);
    assert.deepEqual(articles.map((a) => a.location.line), [1, 3, 4]);
    assert.deepEqual(articles.map((a) => a.location.index), [0, 1, 2]);
    assert.deepEqual(articles[0].source, { paragraphs: ['行动将持续至10月底。'] });
    assert.deepEqual(articles[1].paragraphs, ['The line has 18 stations.', 'The investment is 3.5 ten thousand million yuan.']);
    assert.equal(articles[2].paragraphs[0], 'The Red Cross said ”every bit of love counts“.');
    assert.equal(articles[2].publishedAt?.toISOString(), '2023-04-15T00:00:00.000Z');
  });

  test('an invalid field fails the file on its line, after the articles before it', async () => {
    const path = fixture('bad-field.ndjson');
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const article of parseFile(path)) seen.push(article.externalId ?? '');
      })(),
      (error: unknown) => {
        assert.ok(error instanceof ImportInputError);
        assert.equal(error.message, `${path}:4: title: expected a non-empty string`);
        assert.equal(error.line, 4);
        assert.equal(error.field, 'title');
        return true;
      },
    );
    assert.deepEqual(seen, ['ok-1', 'ok-2']);
  });

  test('a malformed line is reported with its line and column', async () => {
    await assert.rejects(ndjsonLines(`${JSON.stringify(valid)}\n{"title": "x", paragraphs: []}`), {
      message: 'feed.ndjson:2: malformed JSON: Expected double-quoted property name (column 16)',
    });
    await assert.rejects(ndjsonLines('{\n  "title": "x"\n}'), {
      message:
        "feed.ndjson:1: malformed JSON: the input ends too early: Expected property name or '}'; in NDJSON each line must hold one complete JSON object",
    });
  });

  test('a line that is not an object, and a file with only blank lines, are refused', async () => {
    await assert.rejects(ndjsonLines(`${JSON.stringify(valid)}\n[1, 2]`), {
      message: 'feed.ndjson:2: expected an article object, got an array',
    });
    await assert.rejects(ndjsonLines('\n  \n'), { message: 'feed.ndjson: contains no articles (only blank lines)' });
  });
});
