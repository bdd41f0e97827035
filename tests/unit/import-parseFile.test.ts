import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectFormat, parseFile } from '../../server/services/import/parseFile';
import { ImportInputError, type ParsedArticle, type ParseFileOptions } from '../../server/services/import/types';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));
const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'copydesk-import-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function collect(path: string, opts?: ParseFileOptions): Promise<ParsedArticle[]> {
  const articles: ParsedArticle[] = [];
  for await (const article of parseFile(path, opts)) articles.push(article);
  return articles;
}

async function failure(path: string, opts?: ParseFileOptions): Promise<ImportInputError> {
  try {
    await collect(path, opts);
  } catch (error) {
    assert.ok(error instanceof ImportInputError, `expected ImportInputError, got ${String(error)}`);
    return error;
  }
  return assert.fail('expected parseFile to throw');
}

const article = (n: number): string =>
  JSON.stringify({ externalId: `wire-${n}`, title: `Wire story ${n}`, paragraphs: [`Paragraph of story ${n}, 1.2 ten thousand words.`] });

describe('detectFormat', () => {
  test('goes by the extension, ignoring case', () => {
    const text = Buffer.from('Just a title\n\nAnd a paragraph.\n');
    assert.equal(detectFormat('a/b/draft.txt', text), 'feed');
    assert.equal(detectFormat('draft.md', text), 'markdown');
    assert.equal(detectFormat('DRAFT.MARKDOWN', text), 'markdown');
    assert.equal(detectFormat('drafts.json', Buffer.from('{\n  "title": "x"\n}')), 'json');
    assert.equal(detectFormat('drafts.ndjson', Buffer.from(article(1))), 'ndjson');
    assert.equal(detectFormat('drafts.jsonl', Buffer.from(`${article(1)}\n${article(2)}`)), 'ndjson');
    assert.equal(detectFormat('draft.xlf', Buffer.from('<?xml version="1.0"?><xliff version="1.2"/>')), 'xliff');
    assert.equal(detectFormat('draft.XLIFF', Buffer.from('')), 'xliff');
  });

  test('refuses unknown and missing extensions', () => {
    assert.throws(() => detectFormat('report.docx', Buffer.from('PK')), {
      name: 'ImportInputError',
      message: 'report.docx: unknown extension ".docx"; expected one of .txt, .md, .markdown, .json, .ndjson, .jsonl, .xlf, .xliff, .sdlxliff, .mqxliff',
    });
    assert.throws(() => detectFormat('README', Buffer.from('x')), { message: /^README: has no file extension; expected one of \.txt/ });
  });

  test('content corrects the extension', () => {
    // One object per line in a .json file is NDJSON, also behind a BOM.
    assert.equal(detectFormat('a.json', Buffer.from(`${article(1)}\n\n${article(2)}\n`)), 'ndjson');
    assert.equal(detectFormat('a.json', Buffer.from(`\uFEFF${article(1)}\r\n${article(2)}`)), 'ndjson');
    // A single object on one line, or a pretty-printed one, stays JSON.
    assert.equal(detectFormat('a.json', Buffer.from(article(1))), 'json');
    assert.equal(detectFormat('a.ndjson', Buffer.from('{\n  "title": "x"\n}')), 'json');
    assert.equal(detectFormat('a.jsonl', Buffer.from('[\n  {"title": "x"}\n]')), 'json');
    // A head that ends inside a very long first line proves nothing either way.
    const cutOff = Buffer.from(`{"title": "x", "body": "${'y'.repeat(70_000)}`).subarray(0, 64 * 1024);
    assert.equal(detectFormat('a.ndjson', cutOff), 'ndjson');
    assert.equal(detectFormat('a.json', cutOff), 'json');
    // An XLIFF root element wins over any extension.
    assert.equal(detectFormat('a.txt', Buffer.from('<?xml version="1.0"?>\n<!-- export -->\n<xliff version="2.0">')), 'xliff');
    // Ordinary text that merely starts with a bracket or angle stays what the extension says.
    assert.equal(detectFormat('a.txt', Buffer.from('[Exclusive] Metro Line 4 opens\n\nText.')), 'feed');
    assert.equal(detectFormat('a.md', Buffer.from('<b>Metro</b>\n')), 'markdown');
    assert.equal(detectFormat('a.txt', Buffer.from('{Photo} Metro Line 4 opens\n\nText.')), 'feed');
  });
});

describe('parseFile input checks', () => {
  test('a missing path gives the OS reason', async () => {
    const path = join(dir, 'nope.txt');
    assert.equal((await failure(path)).message, `${path}: cannot read the file: no such file or directory (ENOENT)`);
  });

  test('a directory is not a file', async () => {
    const path = join(dir, 'folder.txt');
    await mkdir(path);
    assert.equal((await failure(path)).message, `${path}: is a directory, not a file`);
  });

  test('an unknown extension is refused before the file is read, unless a format is given', async () => {
    const path = fixture('unknown.docx');
    assert.equal((await failure(path)).reason, 'unknown extension ".docx"; expected one of .txt, .md, .markdown, .json, .ndjson, .jsonl, .xlf, .xliff, .sdlxliff, .mqxliff');
    assert.equal((await failure(join(dir, 'missing.docx'))).reason, 'unknown extension ".docx"; expected one of .txt, .md, .markdown, .json, .ndjson, .jsonl, .xlf, .xliff, .sdlxliff, .mqxliff');
    const [read] = await collect(path, { format: 'feed' });
    assert.equal(read.title, 'This is not really a Word document');
    assert.deepEqual(read.paragraphs, ['It is plain text that was given the wrong extension.']);
  });

  test('a file over maxBytes is refused with its size and the limit, for every format', async () => {
    const txt = fixture('feed-plain.txt');
    const txtSize = (await stat(txt)).size;
    assert.equal((await failure(txt, { maxBytes: 100 })).message, `${txt}: is ${txtSize} bytes, over the limit of 100 bytes`);
    const ndjson = fixture('articles.ndjson');
    assert.equal((await failure(ndjson, { maxBytes: 50 })).message, `${ndjson}: is ${(await stat(ndjson)).size} bytes, over the limit of 50 bytes`);
    // The limit itself is allowed.
    assert.equal((await collect(txt, { maxBytes: txtSize })).length, 1);
    // The default limit is 1,000,000 bytes.
    const big = await write('big.txt', `Title\n\n${'word '.repeat(200_001)}\n`);
    assert.match((await failure(big)).reason, /^is 1,000,013 bytes, over the limit of 1,000,000 bytes$/);
  });

  test('empty and whitespace-only files are refused', async () => {
    const empty = fixture('empty.txt');
    assert.equal((await failure(empty)).message, `${empty}: is empty`);
    const blank = await write('blank.md', ' \n\t\r\n  \n');
    assert.equal((await failure(blank)).message, `${blank}: contains only whitespace`);
  });

  test('binary files are refused: NUL bytes, many control characters, UTF-16', async () => {
    const binary = await write('binary.txt', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    assert.equal((await failure(binary)).message, `${binary}: looks like a binary file, not text (NUL byte at byte offset 8)`);
    const controls = await write('controls.txt', Buffer.from('Title\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10 body'));
    assert.match((await failure(controls)).message, /controls\.txt: looks like a binary file, not text \(52% of its first 21 bytes are control characters\)$/);
    const utf16 = await write('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Title\n\nBody', 'utf16le')]));
    assert.equal((await failure(utf16)).reason, 'is UTF-16 encoded (it starts with a UTF-16 byte-order mark); save it as UTF-8');
  });

  test('invalid UTF-8 is refused naming the line of the first bad byte', async () => {
    // Latin-1 "é" (0xE9) on line 3, as a mis-saved file would have it.
    const latin1 = await write('invalid-utf8.txt', Buffer.concat([Buffer.from('Cafe owners help\n\nThe caf'), Buffer.from([0xe9]), Buffer.from(' on Harbour Road.\n')]));
    const error = await failure(latin1);
    assert.equal(error.line, 3);
    assert.equal(error.message, `${latin1}:3: is not valid UTF-8 (bad byte 0xE9 at byte offset 25); save the file as UTF-8`);

    // A multi-byte character cut short by a line break is blamed on its first byte, on its own line.
    const cut = await write('cut.md', Buffer.concat([Buffer.from('# Title\n\nPrice 5'), Buffer.from([0xe2, 0x82]), Buffer.from('\nmore\n')]));
    assert.equal((await failure(cut)).message, `${cut}:3: is not valid UTF-8 (bad byte 0xE2 at byte offset 16); save the file as UTF-8`);

    const ndjson = await write('bad.ndjson', Buffer.concat([Buffer.from(`${article(1)}\n${article(2)}\n{"title":"caf`), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    const ndError = await failure(ndjson);
    assert.equal(ndError.line, 3);
    assert.match(ndError.reason, /^is not valid UTF-8 \(bad byte 0xE9 at byte offset \d+\)/);
  });

  test('a NUL byte deep inside an NDJSON file is reported with its line', async () => {
    const lines = Array.from({ length: 1000 }, (_, n) => article(n + 1));
    const path = await write('nul.ndjson', `${lines.join('\n')}\n{"title":"x\u0000"}\n`);
    const error = await failure(path);
    assert.equal(error.line, 1001);
    assert.match(error.reason, /^looks like a binary file, not text \(NUL byte at byte offset \d+\)$/);
  });

  test('invalid options are programming errors, not input errors', async () => {
    await assert.rejects(collect(fixture('feed-plain.txt'), { maxBytes: 0 }), RangeError);
    await assert.rejects(collect(fixture('feed-plain.txt'), { sourceLang: 'Chinese' }), RangeError);
  });
});

describe('parseFile behaviour', () => {
  test('language options fill in only what an article does not say', async () => {
    const articles = await collect(fixture('articles.ndjson'), { sourceLang: 'zh-hans', targetLang: 'en' });
    assert.deepEqual(articles.map((a) => [a.sourceLang, a.targetLang]), [
      ['zh', 'en'],
      ['zh-Hans', 'en'],
      ['zh-Hans', 'en'],
    ]);
    const [feed] = await collect(fixture('feed-plain.txt'));
    assert.equal(feed.sourceLang, undefined);
  });

  test('an explicit format skips detection; a format chosen from content is noted', async () => {
    const path = await write('wire.json', `${article(1)}\n${article(2)}\n`);
    const articles = await collect(path);
    assert.deepEqual(articles.map((a) => a.externalId), ['wire-1', 'wire-2']);
    assert.deepEqual(articles[0].notes, ['read as ndjson because of its content, although the extension says json']);
    const plain = await write('story.text', 'Metro Line 4 opens\n\nThe line has 18 stations.\n');
    const [read] = await collect(plain, { format: 'feed' });
    assert.equal(read.title, 'Metro Line 4 opens');
    assert.deepEqual(read.notes, []);
  });

  test('the same externalId twice in one file is refused', async () => {
    const path = await write('dupes.ndjson', `${article(1)}\n${article(2)}\n${article(1)}\n`);
    assert.equal((await failure(path)).message, `${path}:3: externalId: duplicate externalId "wire-1" (first used at line 1)`);
  });

  test('NDJSON with 5,000 lines streams every article in order', async () => {
    // Long enough lines that many of them straddle the 64 KiB read chunks.
    const lines = Array.from({ length: 5000 }, (_, n) =>
      JSON.stringify({ externalId: `wire-${n}`, title: `Wire story ${n} “quoted”`, body: `Line one of ${n}.\n\nLine two ${'x'.repeat(n % 150)}.` }),
    );
    const path = await write('many.ndjson', `\uFEFF${lines.join('\r\n')}\r\n`);
    let expected = 0;
    for await (const parsed of parseFile(path)) {
      assert.equal(parsed.externalId, `wire-${expected}`);
      assert.equal(parsed.title, `Wire story ${expected} “quoted”`);
      assert.equal(parsed.paragraphs[1], `Line two ${'x'.repeat(expected % 150)}.`);
      assert.deepEqual(parsed.location, { file: path, line: expected + 1, index: expected });
      expected += 1;
    }
    assert.equal(expected, 5000);
  });

  test('NDJSON is streamed: articles come before the end of the file has been read', async () => {
    const lines = Array.from({ length: 4999 }, (_, n) => article(n));
    const path = await write('late-error.ndjson', `${lines.join('\n')}\n`);
    const iterator = parseFile(path);
    const first = await iterator.next();
    assert.equal(first.done, false);
    assert.equal(first.value?.externalId, 'wire-0');
    // A reader that had loaded the whole file up front would never see this line.
    await appendFile(path, '{"title": "Broken", "paragraphs": [""]}\n');
    let count = 1;
    await assert.rejects(
      (async () => {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) count += 1;
      })(),
      { message: `${path}:5000: paragraphs.0: expected a non-empty string` },
    );
    assert.equal(count, 4999);
  });
});

describe('examples/', () => {
  test('every example draft parses', async () => {
    const names = (await readdir(examplesDir)).sort();
    assert.ok(names.length >= 4, `expected at least 4 examples, found ${names.length}`);
    const formats = new Set<string>();
    for (const name of names) {
      const path = join(examplesDir, name);
      formats.add(detectFormat(path, Buffer.alloc(0)));
      const articles = await collect(path);
      assert.ok(articles.length >= 1, `${name} has no articles`);
      for (const parsed of articles) {
        assert.ok(parsed.title.length > 0 && parsed.paragraphs.length > 0, name);
        if (parsed.source?.paragraphs) assert.equal(parsed.source.paragraphs.length, parsed.paragraphs.length, name);
      }
    }
    assert.deepEqual([...formats].sort(), ['feed', 'json', 'markdown', 'xliff']);
  });

  test('the JSON example has two zh→en articles with aligned Chinese source paragraphs', async () => {
    const articles = await collect(join(examplesDir, 'trade-fair-and-donations.json'));
    assert.equal(articles.length, 2);
    for (const parsed of articles) {
      assert.equal(parsed.sourceLang, 'zh');
      assert.equal(parsed.targetLang, 'en');
      assert.equal(parsed.source?.paragraphs?.length, parsed.paragraphs.length);
      assert.ok(parsed.source?.paragraphs?.every((p) => p !== null && /\p{Script=Han}/u.test(p)));
    }
  });

  test('the breadcrumb feed example reads its breadcrumb and release time', async () => {
    const [parsed] = await collect(join(examplesDir, 'fishing-crackdown.txt'));
    assert.equal(parsed.metadata.breadcrumb, 'Home News Local News');
    assert.equal(parsed.metadata.releaseTime, 'March 28, 2024');
    assert.equal(parsed.publishedAt?.toISOString(), '2024-03-28T00:00:00.000Z');
  });
});
