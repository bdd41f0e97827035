// The database half of the import fuzzing (the parser half is tests/unit/fuzz-import.test.ts):
// hostile files through the real importer must leave only whole articles.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const SEED = Number(process.env.COPYDESK_FUZZ_SEED ?? 20261121);

test('importer: 40 hostile files imported as one folder leave only whole articles (paragraphs, revision 1, status change)', async () => {
  const { default: fc } = await import('fast-check');
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { fuzzCaseArbitrary } = await import('../../scripts/fuzz');
  const { createTestDatabase } = await import('../helpers/db');
  const { importPaths } = await import('../../server/services/import/importer');
  const { SYSTEM_ACTOR } = await import('../../server/services/audit');
  const tdb = await createTestDatabase();
  const dir = mkdtempSync(path.join(tmpdir(), 'copydesk-fuzz-import-'));
  try {
    const cases = fc.sample(fuzzCaseArbitrary(), { numRuns: 40, seed: SEED });
    cases.forEach((c, i) => writeFileSync(path.join(dir, `case-${i}${c.ext || '.txt'}`), c.bytes));
    const report = await importPaths(tdb.db, [dir], { sourceLang: 'fr', targetLang: 'en' }, SYSTEM_ACTOR);
    assert.equal(report.files.length, 40);
    for (const f of report.files) if (f.status === 'failed') assert.ok(f.error && f.error.length > 0, `${f.path} failed without a reason`);
    assert.ok(report.files.some((f) => f.status === 'failed'), 'hostile inputs were all accepted');
    assert.ok(report.totals.imported > 0, 'no input was imported, so the partial-row check would prove nothing');
    const broken = await tdb.query(`
      select a.id, 'no paragraphs' as why from articles a where not exists (select 1 from paragraphs p where p."articleId" = a.id)
      union all select a.id, 'no revision 1' from articles a where not exists (select 1 from revisions r where r."articleId" = a.id and r.number = 1)
      union all select a.id, 'revisionCount differs' from articles a where a."revisionCount" <> (select count(*) from revisions r where r."articleId" = a.id)`);
    assert.deepEqual(broken.rows, []);
    const n = (await tdb.query<{ n: number }>(`select count(*)::int n from articles`)).rows[0].n;
    assert.equal(n, report.totals.imported, 'the articles in the database are exactly those the report says were imported');
    const batch = (await tdb.query<{ status: string }>(`select status::text from import_batches`)).rows;
    assert.deepEqual(batch, [{ status: 'completed' }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await tdb.drop();
  }
});
