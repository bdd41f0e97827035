import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseFile } from '../../server/services/import/parseFile';
import { parseFeed } from '../../server/services/import/parseFeed';
import { ImportInputError, type ParsedArticle } from '../../server/services/import/types';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

async function only(path: string): Promise<ParsedArticle> {
  const articles: ParsedArticle[] = [];
  for await (const article of parseFile(path)) articles.push(article);
  assert.equal(articles.length, 1);
  return articles[0];
}

function feedError(text: string, file = 'draft.txt'): ImportInputError {
  try {
    parseFeed(text, file);
  } catch (error) {
    assert.ok(error instanceof ImportInputError, `expected ImportInputError, got ${String(error)}`);
    return error;
  }
  return assert.fail('expected parseFeed to throw');
}

describe('news-feed plain text', () => {
  test('reads the breadcrumb, the title, a metadata line and the paragraphs', async () => {
    const article = await only(fixture('feed-with-breadcrumb.txt'));
    assert.equal(article.title, 'Our city launches a special campaign to strike hard against illegal fishing');
    assert.equal(article.publishedAt?.toISOString(), '2023-04-02T00:00:00.000Z');
    assert.deepEqual(article.metadata, {
      breadcrumb: 'Home News',
      releaseTime: 'April 2, 2023',
      source: 'Municipal Agriculture and Rural Affairs Bureau',
    });
    assert.equal(article.paragraphs.length, 3);
    assert.equal(
      article.paragraphs[0],
      'On April 1, our city held a mobilization meeting for the special campaign to strike hard against illegal fishing, and the campaign will last until the end of October across every district. smoothly.',
    );
    // Two lines of one paragraph are joined with a single space.
    assert.equal(
      article.paragraphs[1],
      'Deputy mayor Zhang Wei said at the meeting: ”we will not tolerate it“, and the fishing ban will be implemented in place without discount. Law enforcement teams will patrol the river sections day and night.',
    );
    assert.match(article.paragraphs[2], /seized 1\.2 ten thousand meters of illegal nets/);
    assert.deepEqual(article.location, { file: fixture('feed-with-breadcrumb.txt'), line: 2, index: 0 });
    assert.equal(article.externalId, undefined);
    assert.equal(article.source, undefined);
    assert.deepEqual(article.notes, []);
  });

  test('a file without breadcrumb or metadata starts with its title', async () => {
    const article = await only(fixture('feed-plain.txt'));
    assert.equal(article.title, 'Metro Line 4 will open to passengers at the end of the month');
    assert.equal(article.publishedAt, undefined);
    assert.deepEqual(article.metadata, {});
    assert.equal(article.paragraphs.length, 3);
    assert.equal(article.location.line, 1);
  });

  test('collapses runs of spaces inside a paragraph and says so', async () => {
    const article = await only(fixture('feed-plain.txt'));
    assert.equal(
      article.paragraphs[0],
      'The reporter learned from the Municipal Rail Transit Group that Metro Line 4 will officially open to passengers on June 28. The whole line has 18 stations, and the ride from end to end takes 41 minutes.',
    );
    assert.deepEqual(article.notes, ['collapsed repeated spaces in 1 paragraph']);
  });

  test('keeps typographic quotes, apostrophes and MT defects exactly', async () => {
    const plain = await only(fixture('feed-plain.txt'));
    assert.equal(
      plain.paragraphs[2],
      'Citizens can use the ‘Metro Pass’ app to enter the station by scanning the code, the staff said “please queue in an orderly manner”.',
    );
    assert.match(plain.paragraphs[1], /3\.5 ten thousand million yuan, and the construction went forward smoothly\. smoothly\.$/);
    const withCrumb = await only(fixture('feed-with-breadcrumb.txt'));
    assert.ok(withCrumb.paragraphs[1].includes('”we will not tolerate it“'));
  });

  test('handles a UTF-8 BOM and CRLF line endings', async () => {
    const bytes = await readFile(fixture('feed-crlf-bom.txt'));
    // Guard against the fixture being "fixed" by an editor or a checkout setting.
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(bytes.includes('\r\n'));

    const article = await only(fixture('feed-crlf-bom.txt'));
    assert.equal(article.title, 'Tech trade fair opens with 2.3 ten thousand visitors on the first day');
    assert.equal(article.metadata.breadcrumb, 'Home Economy');
    assert.equal(article.metadata.releaseTime, '2023-05-18 09:30');
    assert.equal(article.publishedAt?.toISOString(), '2023-05-18T00:00:00.000Z');
    assert.deepEqual(article.paragraphs, [
      'The 5th Digital Economy Trade Fair opened at the International Expo Center yesterday, attracting 2.3 ten thousand visitors.',
      'More than 400 enterprises brought robots, drones and smart home products. to the exhibition.',
    ]);
    for (const text of [article.title, ...article.paragraphs]) assert.ok(!/[\r\uFEFF]/.test(text));
  });

  test('trims stray leading spaces and tabs, and a whitespace-only line separates paragraphs', async () => {
    const article = await only(fixture('feed-leading-spaces.txt'));
    assert.equal(article.title, 'Flood-relief drive collects quilts and drinking water for the affected villages');
    assert.deepEqual(article.paragraphs, [
      'Since the flood-relief drive was launched on Monday, citizens have brought quilts, drinking water and instant noodles to the 12 collection points in the city.',
      'The Red Cross said the goods will be sent to the affected villages in batches. in time.',
    ]);
    assert.deepEqual(article.notes, []);
  });

  test('normalises decomposed characters to NFC and notes it', () => {
    const decomposed = 'Cafe\u0301 owners join the flood-relief drive';
    const article = parseFeed(`${decomposed}\n\nThe cafe\u0301 on Harbour Road collected 300 quilts.\n`, 'nfc.txt');
    assert.equal(article.title, 'Caf\u00e9 owners join the flood-relief drive');
    assert.equal(article.paragraphs[0], 'The caf\u00e9 on Harbour Road collected 300 quilts.');
    assert.ok(!article.paragraphs[0].includes('\u0301'));
    assert.deepEqual(article.notes, ['normalised the title to Unicode NFC', 'normalised 1 paragraph to Unicode NFC']);
  });

  test('reads several metadata keys on one line, full-width colons and later lines', () => {
    const article = parseFeed(
      [
        'Metro Line 4 opens',
        'Release time：2023-06-28 10:00 Source: Binhai Daily',
        'Author: Li Ming',
        '',
        'Editor: Zhou Min',
        '',
        'Resources: the line cost 3.5 ten thousand million yuan.',
      ].join('\n'),
      'meta.txt',
    );
    assert.deepEqual(article.metadata, {
      releaseTime: '2023-06-28 10:00',
      source: 'Binhai Daily',
      author: 'Li Ming',
      editor: 'Zhou Min',
    });
    assert.equal(article.publishedAt?.toISOString(), '2023-06-28T00:00:00.000Z');
    // "Resources:" is not the key "source", so it stays a paragraph.
    assert.deepEqual(article.paragraphs, ['Resources: the line cost 3.5 ten thousand million yuan.']);
  });

  test('a metadata date never overrides the breadcrumb date, and the conflict is noted', () => {
    const article = parseFeed(
      'date 2023-04-02 Home News\nFishing ban starts\nPublication date: April 3, 2023\n\nThe ban starts today.',
      'dates.txt',
    );
    assert.equal(article.publishedAt?.toISOString(), '2023-04-02T00:00:00.000Z');
    assert.equal(article.metadata.breadcrumb, 'Home News');
    assert.equal(article.metadata.publicationDate, 'April 3, 2023');
    assert.deepEqual(article.notes, [
      'publication date "April 3, 2023" differs from the date already read (2023-04-02); kept 2023-04-02',
    ]);
  });

  test('reads the date styles feeds use for release time, as UTC midnight of that day', () => {
    const cases: Array<[string, string]> = [
      ['April 2, 2023', '2023-04-02'],
      ['Apr. 2, 2023', '2023-04-02'],
      ['2 April 2023', '2023-04-02'],
      ['2023/4/2 08:15', '2023-04-02'],
      ['2023年4月2日 10:30', '2023-04-02'],
      ['Sept 30, 2023', '2023-09-30'],
    ];
    for (const [written, day] of cases) {
      const article = parseFeed(`Fair opens\nRelease time: ${written}\n\nThe fair opened.`, 'x.txt');
      assert.equal(article.publishedAt?.toISOString(), `${day}T00:00:00.000Z`, written);
    }
    assert.equal(parseFeed('Fair opens\nRelease time: February 30, 2023\n\nText.', 'x.txt').publishedAt, undefined);
  });

  test('an unreadable release time is kept as text and noted', () => {
    const article = parseFeed('Fair opens\nRelease time: last Tuesday\n\nThe fair opened.', 'x.txt');
    assert.equal(article.metadata.releaseTime, 'last Tuesday');
    assert.equal(article.publishedAt, undefined);
    assert.deepEqual(article.notes, ['could not read release time "last Tuesday" as a date']);
  });

  test('removes control characters and notes them', () => {
    const article = parseFeed('Fair opens\n\nThe fair\u0007 opened\u001b today.', 'ctl.txt');
    assert.equal(article.paragraphs[0], 'The fair opened today.');
    assert.deepEqual(article.notes, ['removed 2 control characters from 1 paragraph']);
  });

  test('a title without paragraphs is refused, naming the file and line', async () => {
    const path = fixture('title-only.txt');
    await assert.rejects(collectAll(path), (error: unknown) => {
      assert.ok(error instanceof ImportInputError);
      assert.equal(error.message, `${path}:1: has a title but no paragraphs`);
      assert.equal(error.line, 1);
      return true;
    });
  });

  test('a breadcrumb with an impossible date is refused on its line', () => {
    const error = feedError('\n date 2023-02-30 Home News\nTitle\n\nBody.');
    assert.equal(error.message, 'draft.txt:2: the breadcrumb date "2023-02-30" is not a real date');
  });

  test('a breadcrumb followed by nothing is refused', () => {
    assert.equal(feedError('date 2023-04-02 Home News\n\n').message, 'draft.txt:1: has a breadcrumb line but no title');
  });
});

async function collectAll(path: string): Promise<ParsedArticle[]> {
  const articles: ParsedArticle[] = [];
  for await (const article of parseFile(path)) articles.push(article);
  return articles;
}
