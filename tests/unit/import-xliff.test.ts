import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parseFile } from '../../server/services/import/parseFile';
import { parseXliff } from '../../server/services/import/parseXliff';
import { ImportInputError, type ParsedArticle } from '../../server/services/import/types';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

async function collect(path: string): Promise<ParsedArticle[]> {
  const articles: ParsedArticle[] = [];
  for await (const article of parseFile(path)) articles.push(article);
  return articles;
}

async function xliffError(text: string): Promise<ImportInputError> {
  try {
    await parseXliff(text, 'draft.xlf');
  } catch (error) {
    assert.ok(error instanceof ImportInputError, `expected ImportInputError, got ${String(error)}`);
    return error;
  }
  return assert.fail('expected parseXliff to throw');
}

function xliff12(units: string, fileAttributes = 'original="a1" source-language="zh" target-language="en"'): string {
  return `<?xml version="1.0"?>\n<xliff version="1.2">\n<file ${fileAttributes}>\n<body>\n${units}\n</body>\n</file>\n</xliff>\n`;
}

function unit12(id: string, source: string, target: string, attributes = ''): string {
  return `<trans-unit id="${id}"${attributes}><source>${source}</source><target>${target}</target></trans-unit>`;
}

function xliff20(units: string): string {
  return `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh" trgLang="en">\n<file id="f1">\n${units}\n</file>\n</xliff>`;
}

describe('XLIFF 1.2', () => {
  test('reads title, aligned paragraphs, languages and externalId from the file', async () => {
    const [article, ...rest] = await collect(fixture('article-12.xlf'));
    assert.equal(rest.length, 0);
    assert.equal(article.externalId, 'news/2023/fishing-0402.html');
    assert.equal(article.sourceLang, 'zh-CN');
    assert.equal(article.targetLang, 'en');
    assert.equal(article.title, 'Our city launches a special campaign to strike hard against illegal fishing');
    assert.equal(article.source?.title, '我市开展严厉打击非法捕捞专项行动');
    assert.equal(article.paragraphs.length, 3);
    assert.equal(article.source?.paragraphs?.length, 3);
    assert.match(article.paragraphs[0], /^On April 1, our city held/);
    assert.match(article.source?.paragraphs?.[0] ?? '', /^4月1日/);
    assert.deepEqual(article.metadata, { xliffVersion: '1.2' });
    assert.deepEqual(article.location, { file: fixture('article-12.xlf'), line: 3, index: 0 });
  });

  test('flattens inline markup: <g> text kept with the space between tags, <ph> native code dropped', async () => {
    const [article] = await collect(fixture('article-12.xlf'));
    assert.equal(article.paragraphs[1], 'Deputy mayor Zhang Wei said at the meeting: ”we will not tolerate it“.');
    assert.equal(article.source?.paragraphs?.[1], '副市长张伟在会上表示：“我们绝不姑息”。');
    assert.equal(
      article.paragraphs[2],
      'Since this year, the city has seized 1.2 ten thousand meters of illegal nets & released 35 ten thousand fry.',
    );
    assert.deepEqual(article.notes, ['flattened inline markup to plain text in 1 unit']);
  });

  test('keeps document order even for integer-like ids, which JavaScript objects re-sort', async () => {
    const [article] = await parseXliff(
      xliff12([unit12('10', '标题', 'Title'), unit12('3', '一', 'First.'), unit12('1', '二', 'Second.')].join('\n')),
      'order.xlf',
    );
    assert.equal(article.title, 'Title');
    assert.deepEqual(article.paragraphs, ['First.', 'Second.']);
    assert.deepEqual(article.source?.paragraphs, ['一', '二']);
  });

  test('a unit with resname "title" is the title wherever it is', async () => {
    const [article] = await parseXliff(
      xliff12([unit12('p1', '一', 'First.'), unit12('h', '标题', 'The headline', ' resname="title"'), unit12('p2', '二', 'Second.')].join('\n')),
      'a.xlf',
    );
    assert.equal(article.title, 'The headline');
    assert.deepEqual(article.paragraphs, ['First.', 'Second.']);
  });

  test('each <file> is one article', async () => {
    const text = `<xliff version="1.2">
<file original="one" source-language="zh" target-language="en"><body>${unit12('t', '甲', 'One')}${unit12('p', '乙', 'Body one.')}</body></file>
<file original="two" source-language="zh" target-language="en-gb"><body>${unit12('t', '丙', 'Two')}${unit12('p', '丁', 'Body two.')}</body></file>
</xliff>`;
    const articles = await parseXliff(text, 'two.xlf');
    assert.deepEqual(articles.map((a) => [a.externalId, a.title, a.targetLang, a.location.index, a.location.line]), [
      ['one', 'One', 'en', 0, 2],
      ['two', 'Two', 'en-GB', 1, 3],
    ]);
  });

  test('refuses what the library would silently lose', async () => {
    const duplicate = await xliffError(xliff12([unit12('t', 'a', 'T'), unit12('1', 'b', 'One.'), unit12('1', 'c', 'Two.')].join('\n')));
    assert.equal(duplicate.message, 'draft.xlf:7: duplicate unit id "1" (also used at line 6)');

    const group = await xliffError(xliff12(`${unit12('t', 'a', 'T')}\n<group>${unit12('1', 'b', 'One.')}</group>`));
    assert.equal(group.message, 'draft.xlf:6: unit "1" is inside a <group> without an id, which the XLIFF reader skips; give the group an id');

    const noId = await xliffError(xliff12(`${unit12('t', 'a', 'T')}\n<trans-unit><source>b</source><target>B</target></trans-unit>`));
    assert.equal(noId.message, 'draft.xlf:6: a <trans-unit> has no id attribute');
  });

  test('a unit without target or source text is refused, naming the unit', async () => {
    const noTarget = await xliffError(xliff12(`${unit12('t', 'a', 'T')}\n<trans-unit id="p7"><source>没有译文</source></trans-unit>`));
    assert.equal(noTarget.message, 'draft.xlf:6: unit "p7" has no target (MT) text');
    const emptyTarget = await xliffError(xliff12(`${unit12('t', 'a', 'T')}\n${unit12('p8', '空', '  ')}`));
    assert.equal(emptyTarget.message, 'draft.xlf:6: unit "p8" has no target (MT) text');
    const selfClosed = await xliffError(xliff12(`${unit12('t', 'a', 'T')}\n<trans-unit id="p9"/>`));
    assert.equal(selfClosed.message, 'draft.xlf:6: unit "p9" has no target (MT) text');
    const noSource = await xliffError(xliff12(`${unit12('t', 'a', 'T')}\n${unit12('p1', '', 'Text.')}`));
    assert.equal(noSource.message, 'draft.xlf:6: unit "p1" has no source text');
  });

  test('a file with only a title unit has no paragraphs', async () => {
    assert.equal((await xliffError(xliff12(unit12('t', 'a', 'T')))).message, 'draft.xlf:3: has a title but no paragraphs');
  });

  test('malformed XML is reported with the parser reason and line', async () => {
    const path = fixture('malformed.xliff');
    await assert.rejects(collect(path), (error: unknown) => {
      assert.ok(error instanceof ImportInputError);
      assert.equal(error.message, `${path}:12: malformed XML: Unexpected close tag (column 19)`);
      return true;
    });
  });

  test('wrong root, missing or unsupported version and bad language tags are refused', async () => {
    assert.equal((await xliffError('<tmx version="1.4"><body/></tmx>')).message, 'draft.xlf:1: the root element is <tmx>; expected <xliff>');
    assert.equal((await xliffError('<xliff><file/></xliff>')).message, 'draft.xlf:1: the <xliff> element has no version attribute');
    assert.equal(
      (await xliffError('<xliff version="3.0"><file/></xliff>')).message,
      'draft.xlf:1: XLIFF version "3.0" is not supported; expected 1.2 or 2.0',
    );
    assert.equal((await xliffError('<xliff version="1.2"></xliff>')).message, 'draft.xlf:1: has no <file> element');
    assert.equal((await xliffError('<xliff version="1.2"><file original="x"></file></xliff>')).message, 'draft.xlf:1: this <file> has no <body> element');
    const badLanguage = await xliffError(xliff12(`${unit12('t', 'a', 'T')}${unit12('p', 'b', 'P.')}`, 'original="a" source-language="Chinese (PRC)"'));
    assert.equal(badLanguage.field, 'source-language');
    assert.equal(badLanguage.line, 3);
  });
});

describe('XLIFF 2.0', () => {
  test('the first unit is the title; <pc> and <mrk> text is kept, <ph/> dropped, groups read', async () => {
    const [article] = await collect(fixture('article-20.xliff'));
    assert.equal(article.externalId, 'metro-line4-0620');
    assert.equal(article.sourceLang, 'zh');
    assert.equal(article.targetLang, 'en');
    assert.equal(article.title, 'Metro Line 4 will open to passengers at the end of the month');
    assert.equal(article.source?.title, '地铁4号线月底开通运营');
    assert.deepEqual(article.paragraphs, [
      'The reporter learned from the Municipal Rail Transit Group that Metro Line 4 will officially open on June 28. smoothly.',
      'The total investment is about 3.5 ten thousand million yuan, the whole line has 18 stations.',
    ]);
    assert.deepEqual(article.source?.paragraphs, ['记者从市轨道交通集团获悉，地铁4号线将于6月28日正式开通运营。', '项目总投资约350亿元，全线设站18座。']);
    assert.deepEqual(article.metadata, { xliffVersion: '2.0' });
    assert.deepEqual(article.notes, ['flattened inline markup to plain text in 2 units']);
  });

  test('a unit with a segment but no target is refused, naming the unit and line', async () => {
    const path = fixture('no-target.xliff');
    await assert.rejects(collect(path), { message: `${path}:16: unit "p2" has no target (MT) text` });
  });

  test('a unit with several segments is refused rather than losing all but the last', async () => {
    const error = await xliffError(
      xliff20(
        '<unit id="t"><segment><source>标题</source><target>Title</target></segment></unit>\n' +
          '<unit id="u1"><segment><source>一。</source><target>One.</target></segment><segment><source>二。</source><target>Two.</target></segment></unit>',
      ),
    );
    assert.equal(error.message, 'draft.xlf:4: unit "u1" has 2 segments; one segment per unit (one paragraph) is supported, so merge them');
  });

  test('a unit named "title" is the title; whitespace inside a target is normalised', async () => {
    const [article] = await parseXliff(
      xliff20(
        '<unit id="u1"><segment><source>一</source><target>First\n      line   wrapped.</target></segment></unit>\n' +
          '<unit id="u0" name="title"><segment><source>标题</source><target>Headline</target></segment></unit>',
      ),
      'named.xliff',
    );
    assert.equal(article.title, 'Headline');
    assert.deepEqual(article.paragraphs, ['First line wrapped.']);
    assert.deepEqual(article.notes, ['collapsed repeated spaces in 1 paragraph']);
  });
});
