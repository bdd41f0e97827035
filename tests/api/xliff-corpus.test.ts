// Imports the corpus of real XLIFF files written by other tools (tests/fixtures/xliff-corpus,
// origins in SOURCES.md) into a real database, and checks every article against an independent
// reading of its file (tests/helpers/xliffReference.ts): the number of paragraphs, their MT and
// source text, and every inline code, in order, by element and kind.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SYSTEM_ACTOR } from '../../server/services/audit';
import { importPaths, type ImportReport } from '../../server/services/import/importer';
import type { InlineCode } from '../../shared/inlineCodes';
import { createTestContext, type TestContext } from '../helpers/app';
import { referenceReading } from '../helpers/xliffReference';

const CORPUS = path.resolve('tests/fixtures/xliff-corpus');
/** Files the importer refuses, each for a reason docs/formats.md gives. */
const REFUSED: Record<string, RegExp> = {
  // Uses the prefix pgs: without declaring its namespace: not well-formed XML with namespaces.
  'oasis22-Good-pgs_plural.xlf': /:4: malformed XML: unbound namespace prefix: "pgs"/,
};

let t: TestContext;
let report: ImportReport;
const files = readdirSync(CORPUS).filter((n) => n !== 'SOURCES.md').sort();

before(async () => {
  t = await createTestContext();
  report = await importPaths(t.db, files.map((n) => path.join(CORPUS, n)), { maxBytes: 1_000_000, concurrency: 2 }, { ...SYSTEM_ACTOR, ip: 'test' });
});
after(async () => {
  await t.drop();
});

interface Row {
  articleId: number;
  position: number;
  mt: string;
  source: string | null;
  codes: InlineCode[] | null;
}

/** The product's text with each code character written as the reference writes codes. */
function marked(text: string, codes: InlineCode[] | null): string {
  return text.replace(/[\ue100-\uf7ff]/g, (c) => {
    const code = codes?.[c.charCodeAt(0) - 0xe100];
    if (!code) return '⟨?⟩';
    return code.kind === 'close' ? `⟨/${code.element}⟩` : `⟨${code.element}⟩`;
  });
}

async function articlesOf(name: string): Promise<Row[][]> {
  const { rows } = await t.query<Row>(
    `select p."articleId", p.position, p.mt, p.source, p.codes
       from paragraphs p join articles a on a.id = p."articleId"
      where a.metadata ->> 'importedFrom' = $1 order by a.id, p.position`,
    [name],
  );
  const byArticle = new Map<number, Row[]>();
  for (const r of rows) byArticle.set(r.articleId, [...(byArticle.get(r.articleId) ?? []), r]);
  return [...byArticle.values()];
}

describe('the XLIFF corpus', () => {
  test('at least 40 files, and at least 90 % of them import', () => {
    assert.ok(files.length >= 40, `only ${files.length} files`);
    const ok = report.files.filter((f) => f.status === 'ok').length;
    assert.equal(report.files.length, files.length);
    assert.ok(ok / files.length >= 0.9, `${ok} of ${files.length} imported`);
    const failed = report.files.filter((f) => f.status === 'failed').map((f) => path.basename(f.path));
    assert.deepEqual(failed, Object.keys(REFUSED).sort());
  });

  test('each refusal names the file, the line and the reason', () => {
    for (const [name, reason] of Object.entries(REFUSED)) {
      const f = report.files.find((x) => path.basename(x.path) === name);
      assert.ok(f?.error?.includes(name), `${name}: ${f?.error}`);
      assert.match(f?.error ?? '', reason);
    }
  });

  test('no two files of the corpus share an article, though most share a <file> id', async () => {
    assert.equal(report.totals.updated, 0);
    assert.equal(report.totals.conflicts, 0);
    assert.equal(report.totals.skipped, 0);
    const { rows } = await t.query<{ n: string; files: string }>(
      `select count(*) as n, count(distinct metadata ->> 'importedFrom') as files from articles where metadata -> 'xliffFile' ->> 'id' = 'f1'`,
    );
    assert.ok(Number(rows[0].n) >= 20, `${rows[0].n} articles from <file id="f1">`);
    assert.equal(Number(rows[0].files), Number(rows[0].n));
  });

  for (const name of files) {
    if (REFUSED[name]) continue;
    test(`${name}: paragraphs, text and inline codes match an independent reading`, async () => {
      const reference = referenceReading(readFileSync(path.join(CORPUS, name), 'utf8').replace(/^\uFEFF/, '')).filter((f) => f.segments.length > 0);
      const articles = await articlesOf(name);
      assert.equal(articles.length, reference.length, 'articles (one per <file> with text)');
      reference.forEach((file, i) => {
        const expected = file.segments.length > 1 ? file.segments.filter((s) => s.unitId !== 'title') : file.segments;
        const rows = articles[i];
        assert.equal(rows.length, expected.length, `paragraphs of article ${i + 1}`);
        rows.forEach((row, k) => {
          assert.equal(marked(row.mt, row.codes), expected[k].target, `MT of paragraph ${k + 1}`);
          assert.equal(marked(row.source ?? '', row.codes), expected[k].source, `source of paragraph ${k + 1}`);
        });
      });
    });
  }
});
