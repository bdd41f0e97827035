import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkStorable,
  classifyArticle,
  conflictReason,
  isUntouched,
  NoteCollector,
  type KnownArticle,
} from '../../server/services/import/classifyArticle';
import { checkImportOptions, collectImportFiles, importExitCode } from '../../server/services/import/importer';
import { ImportInputError, type ParsedArticle } from '../../server/services/import/types';

const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);

function known(over: Partial<KnownArticle> = {}): KnownArticle {
  return { id: 7, externalId: 'wire-1', contentHash: H1, status: 'mt_draft', edited: false, revisionCount: 1, ...over };
}

function parsed(over: Partial<ParsedArticle> = {}): ParsedArticle {
  return { title: 'A title', paragraphs: ['One.'], metadata: {}, location: { file: 'feed.ndjson', line: 4, index: 3 }, notes: [], ...over };
}

describe('classifyArticle', () => {
  test('a new article is imported', () => {
    assert.deepEqual(classifyArticle({ externalId: 'wire-1', contentHash: H1 }, undefined, undefined), { action: 'import' });
    assert.deepEqual(classifyArticle({ contentHash: H1 }, undefined, undefined), { action: 'import' });
  });

  test('the same externalId with the same text is skipped', () => {
    const d = classifyArticle({ externalId: 'wire-1', contentHash: H1 }, known(), known());
    assert.equal(d.action, 'skip');
    assert.equal(d.action === 'skip' && d.articleId, 7);
    assert.match(d.action === 'skip' ? d.reason : '', /already imported as article #7 \(externalId "wire-1"\)/);
  });

  test('without an externalId, the same text is skipped', () => {
    const d = classifyArticle({ contentHash: H1 }, undefined, known({ externalId: null }));
    assert.deepEqual(d, { action: 'skip', articleId: 7, reason: 'same MT text as article #7' });
  });

  test('the same text under another externalId is skipped as a duplicate, naming the existing article', () => {
    const d = classifyArticle({ externalId: 'wire-2', contentHash: H1 }, undefined, known());
    assert.deepEqual(d, { action: 'skip', articleId: 7, reason: 'same MT text as article #7 (externalId "wire-1")' });
  });

  test('new text for an untouched draft is an update', () => {
    assert.deepEqual(classifyArticle({ externalId: 'wire-1', contentHash: H2 }, known(), undefined), { action: 'update', articleId: 7 });
    // Untouched also after earlier MT updates (system revisions only).
    assert.deepEqual(classifyArticle({ externalId: 'wire-1', contentHash: H2 }, known({ revisionCount: 3 }), undefined), { action: 'update', articleId: 7 });
  });

  test('new text for an edited article is a conflict that says why', () => {
    const edited = classifyArticle({ externalId: 'wire-1', contentHash: H2 }, known({ edited: true }), undefined);
    assert.equal(edited.action, 'conflict');
    assert.match(edited.action === 'conflict' ? edited.reason : '', /article #7 \(externalId "wire-1"\).*editors have saved revisions/);
    const moved = classifyArticle({ externalId: 'wire-1', contentHash: H2 }, known({ status: 'in_review' }), undefined);
    assert.match(moved.action === 'conflict' ? moved.reason : '', /its status is in_review/);
    assert.doesNotMatch(moved.action === 'conflict' ? moved.reason : '', /editors/);
  });

  test('an edited article with unchanged text is skipped, not a conflict', () => {
    assert.equal(classifyArticle({ externalId: 'wire-1', contentHash: H1 }, known({ edited: true, status: 'approved' }), known()).action, 'skip');
  });

  test('new text identical to another article is a conflict (content hashes are unique)', () => {
    const other = known({ id: 9, externalId: 'wire-9', contentHash: H2 });
    const d = classifyArticle({ externalId: 'wire-1', contentHash: H2 }, known(), other);
    assert.equal(d.action, 'conflict');
    assert.match(d.action === 'conflict' ? d.reason : '', /identical to article #9 \(externalId "wire-9"\)/);
  });

  test('would-be articles of a dry run are named by their origin', () => {
    const virtual = known({ id: null, origin: 'a.ndjson:3' });
    const d = classifyArticle({ externalId: 'wire-2', contentHash: H1 }, undefined, virtual);
    assert.match(d.action === 'skip' ? d.reason : '', /the article from a\.ndjson:3/);
    assert.deepEqual(classifyArticle({ externalId: 'wire-1', contentHash: H2 }, virtual, undefined), { action: 'update', articleId: null });
  });
});

describe('isUntouched / conflictReason', () => {
  test('only an MT draft without editor revisions is untouched', () => {
    assert.equal(isUntouched(known()), true);
    assert.equal(isUntouched(known({ edited: true })), false);
    for (const status of ['in_edit', 'in_review', 'changes_requested', 'approved', 'exported', 'archived'] as const) {
      assert.equal(isUntouched(known({ status })), false, status);
    }
    assert.equal(conflictReason(known()), undefined);
    assert.match(conflictReason(known({ status: 'exported', edited: true })) ?? '', /its status is exported and editors have saved revisions/);
  });
});

describe('checkStorable', () => {
  test('accepts ordinary text', () => {
    checkStorable(parsed({ externalId: 'x'.repeat(256), sourceLang: 'zh-Hant-TW', metadata: { desk: 'economy', tags: ['a', { b: 'c' }] } }));
  });

  test('refuses what the database cannot store, naming file, line and field', () => {
    const cases: Array<[Partial<ParsedArticle>, RegExp]> = [
      [{ externalId: 'x'.repeat(257) }, /^feed\.ndjson:4: externalId: is longer than 256 characters$/],
      [{ externalId: 'a\u0000b' }, /^feed\.ndjson:4: externalId: contains a NUL character$/],
      [{ title: 'broken \ud800 escape' }, /^feed\.ndjson:4: title: contains an unpaired UTF-16 surrogate/],
      [{ paragraphs: ['fine', 'bad \udc00'] }, /^feed\.ndjson:4: paragraphs\.1: contains an unpaired/],
      [{ metadata: { tags: ['ok', 'nul\u0000'] } }, /^feed\.ndjson:4: metadata\.tags\.1: contains a NUL character$/],
      [{ source: { paragraphs: ['\ud83d'] } }, /^feed\.ndjson:4: source\.paragraphs\.0: contains an unpaired/],
      [{ sourceLang: 'en-abcdefgh-ijklmn' }, /^feed\.ndjson:4: sourceLang: "en-abcdefgh-ijklmn" is longer than 16 characters$/],
    ];
    for (const [over, message] of cases) {
      assert.throws(() => checkStorable(parsed(over)), (e: unknown) => e instanceof ImportInputError && message.test(e.message), String(message));
    }
    // A well-formed pair (an emoji) is fine.
    checkStorable(parsed({ title: 'Fireworks \ud83c\udf86' }));
  });
});

describe('NoteCollector', () => {
  test('keeps the first notes with their line and counts the rest', () => {
    const c = new NoteCollector(2);
    c.add({ notes: ['collapsed repeated spaces in 2 paragraphs'], location: { file: 'f', line: 3 } });
    c.add({ notes: ['normalised the title to Unicode NFC', 'x'], location: { file: 'f', index: 4 } });
    c.add({ notes: ['y'], location: { file: 'f' } });
    assert.deepEqual(c.list(), ['line 3: collapsed repeated spaces in 2 paragraphs', 'article 5: normalised the title to Unicode NFC', '… and 2 more notes']);
  });
});

describe('checkImportOptions', () => {
  test('refuses bad options before any work', () => {
    assert.throws(() => checkImportOptions({ format: 'docx' as 'json' }), /--format must be auto or one of feed, markdown, json, ndjson, xliff, got "docx"/);
    assert.throws(() => checkImportOptions({ sourceLang: 'chinese!' }), /--source-lang must be a language tag/);
    assert.throws(() => checkImportOptions({ targetLang: '1x' }), /--target-lang must be a language tag/);
    assert.throws(() => checkImportOptions({ maxBytes: 0 }), RangeError);
    checkImportOptions({ format: 'auto', sourceLang: 'zh_CN', targetLang: 'en' });
  });
});

describe('importExitCode', () => {
  const totals = { files: 3, failedFiles: 0, articles: 5, imported: 1, updated: 1, skipped: 1, conflicts: 2 };
  test('conflicts are not failures; a failed file is', () => {
    assert.equal(importExitCode({ totals }), 0);
    assert.equal(importExitCode({ totals: { ...totals, failedFiles: 1 } }), 1);
  });
});

describe('collectImportFiles', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'copydesk-collect-'));
    await mkdir(join(dir, 'b', 'deep'), { recursive: true });
    await mkdir(join(dir, '.git'));
    await writeFile(join(dir, 'a.txt'), 'x');
    await writeFile(join(dir, 'b', 'c.json'), 'x');
    await writeFile(join(dir, 'b', 'deep', 'd.docx'), 'x');
    await writeFile(join(dir, '.env.txt'), 'x');
    await writeFile(join(dir, '.git', 'config.txt'), 'x');
    await symlink(dir, join(dir, 'b', 'loop'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('walks folders in order, skips dot names and loops, lists unknown extensions, reports missing paths', async () => {
    const files = await collectImportFiles([dir, join(dir, 'a.txt'), join(dir, 'missing.ndjson')]);
    assert.deepEqual(
      files.map((f) => f.path.slice(dir.length + 1)),
      ['a.txt', 'b/c.json', 'b/deep/d.docx', 'b/loop', 'missing.ndjson'],
    );
    assert.equal(files[3].ignored, 'a symbolic link inside a folder is not followed');
    assert.equal(files[4].error, `${join(dir, 'missing.ndjson')}: cannot read: no such file or directory (ENOENT)`);
    assert.equal(files.slice(0, 3).every((f) => f.error === undefined && f.ignored === undefined), true);
  });
});

describe('malformed JSON positions (parseJson fix made with the importer)', () => {
  test('a long input quoted by V8 without a position still gets its line and column, and no raw snippet', async () => {
    const { parseJson } = await import('../../server/services/import/parseJson');
    const text = '[\n  {"title": "aaaaaaaaaaaaaaaaaaaaaaaaa", "paragraphs": ["x"]},\n  {"title": "b", "paragraphs": ["y",]}\n]\n';
    assert.throws(() => parseJson(text, 'f.json'), { message: "f.json:3: malformed JSON: Unexpected token ']' (column 37)" });
  });
});

describe('characters reserved for inline codes', () => {
  test('any format refuses U+E100..U+F7FF outside a code table, naming the field', async () => {
    const { checkStorable } = await import('../../server/services/import/classifyArticle');
    const article = { title: 'T', paragraphs: ['ok', 'bad \ue100 char'], metadata: {}, location: { file: 'f.json', line: 3 }, notes: [] };
    assert.throws(() => checkStorable(article), { message: 'f.json:3: paragraphs.1: contains the private-use character U+E100, which Copydesk reserves for inline codes; remove it' });
    assert.throws(() => checkStorable({ ...article, paragraphs: ['ok'], title: 'x\uf7ff' }), /title: contains the private-use character U\+F7FF/);
    const withTable = { ...article, paragraphs: ['a \ue100'], details: [{ codes: [{ id: '1', kind: 'standalone' as const, element: 'x', family: '1' as const, xml: '<x id="1"/>', label: 'x' }], meta: null }] };
    assert.doesNotThrow(() => checkStorable(withTable));
  });
});
