import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestContext, type TestContext } from '../helpers/app';
import { verifyAuditChain } from '../../server/services/auditVerify';
import { exportBench } from '../../scripts/bench/exportBench';
import { importBench, copyField } from '../../scripts/bench/importBench';
import { listBench } from '../../scripts/bench/listBench';
import { memoryBench, saveBench } from '../../scripts/bench/saveBench';
import { BENCHES } from '../../scripts/bench/registry';
import { tmBench } from '../../scripts/bench/tmBench';
import { scaleBench } from '../../scripts/bench/scaleBench';
import { initialAssets } from '../../scripts/bench/bundleBench';
import type { BenchContext, BenchResult } from '../../scripts/bench/types';

/** The fields every result row of the figures table needs, complete and of the right type. */
function assertComplete(r: BenchResult, id: string): void {
  assert.equal(r.id, id);
  for (const key of ['measure', 'baseline', 'target'] as const) {
    assert.equal(typeof r[key], 'string', `${id}.${key}`);
    assert.ok(r[key].length > 0, `${id}.${key} is empty`);
  }
  assert.equal(typeof r.pass, 'boolean', `${id}.pass`);
  const figures = Object.entries(r.figures);
  assert.ok(figures.length >= 2, `${id} has figures`);
  for (const [k, v] of figures) assert.ok(Number.isFinite(v), `${id}.figures.${k} = ${v}`);
  if (r.ratio !== undefined) assert.ok(Number.isFinite(r.ratio) && r.ratio > 0, `${id}.ratio = ${r.ratio}`);
}

describe('database benchmarks on a tiny corpus', () => {
  let t: TestContext;
  let ctx: BenchContext;
  let tmpDir: string;

  before(async () => {
    t = await createTestContext();
    tmpDir = mkdtempSync(path.join(os.tmpdir(), 'copydesk-bench-test-'));
    chmodSync(tmpDir, 0o755);
    ctx = {
      quick: true,
      seed: 7,
      databaseUrl: t.url,
      db: t.db,
      config: t.config,
      tmpDir,
      log: () => undefined,
      sizes: {
        importArticles: 5,
        importRuns: 1,
        exportArticles: 5,
        exportRuns: 1,
        listArticles: 50,
        listRequests: 8,
        saveConnections: 2,
        saveArticlesPerConnection: 6,
        saveSeconds: 1,
        saveRounds: 1,
        tmParagraphs: 60,
        tmRequests: 6,
        scaleSteps: [70, 210],
        scaleRequests: 4,
      },
    };
  });
  after(async () => {
    await t.drop();
    rmSync(tmpDir, { recursive: true, force: true });
  });

  test('every database bench is registered', () => {
    const ids = BENCHES.map((b) => b.id);
    for (const id of ['import', 'export', 'list', 'tm', 'save', 'memory', 'scale', 'bundle']) assert.ok(ids.includes(id), id);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('import: the real command imports the articles and COPY loads the same rows', async () => {
    const r = await importBench.run(ctx);
    assertComplete(r, 'import');
    assert.equal(r.figures.articles, 5);
    // Warm-up (5) and one timed run (5), through the CLI and through COPY alike.
    const {
      rows: [{ imported, copied, copiedParagraphs, paragraphs }],
    } = await t.query(
      `select (select count(*)::int from articles where "externalId" like 'import-%') as imported,
              (select count(*)::int from bench_articles) as copied,
              (select count(*)::int from bench_paragraphs) as "copiedParagraphs",
              (select count(*)::int from paragraphs p join articles a on a.id = p."articleId" where a."externalId" like 'import-%') as paragraphs`,
    );
    assert.equal(imported, 10);
    assert.equal(copied, 10);
    assert.equal(copiedParagraphs, paragraphs);
  });

  test('export: the real command exports every approved article, and they are approved again afterwards', async () => {
    const r = await exportBench.run(ctx);
    assertComplete(r, 'export');
    assert.equal(r.figures.articles, 5);
    const {
      rows: [{ approved, batches }],
    } = await t.query(
      `select (select count(*)::int from articles where status = 'approved') as approved, (select count(*)::int from export_batches) as batches`,
    );
    assert.equal(approved, 5);
    assert.equal(batches, 2); // the warm-up and the timed run
  });

  test('tm: fills the memory through the approval statement and finds every close edit over HTTP', async () => {
    const r = await tmBench.run(ctx);
    assertComplete(r, 'tm');
    assert.equal(r.figures.segments, 60);
    assert.equal(r.figures.requests, 6);
    assert.equal(r.figures.close_edits, 3);
    assert.equal(r.figures.close_edits_found, 3);
  });

  test('list: pages through the seeded articles over HTTP and in raw SQL', async () => {
    const r = await listBench.run(ctx);
    assertComplete(r, 'list');
    assert.ok(r.figures.articles >= 50);
    assert.equal(r.figures.requests, 8);
  });

  test('save and memory: saves go through the API and the raw transaction, and the audit chain stays intact', async () => {
    const save = await saveBench.run(ctx);
    assertComplete(save, 'save');
    assert.equal(save.figures.failed, 0);
    assert.ok(save.figures.saves > 0);
    const mem = await memoryBench.run(ctx);
    assertComplete(mem, 'memory');
    assert.ok(mem.figures.rss_mb > 10);
    // The child server can collect its garbage on request: the live heap is a figure of its own, below the heap in use before.
    assert.ok(mem.figures.heap_live_after_gc_mb > 1 && mem.figures.heap_live_after_gc_mb <= mem.figures.heap_total_mb, JSON.stringify(mem.figures));
    const {
      rows: [{ edits }],
    } = await t.query(`select count(*)::int as edits from revisions where kind = 'edit'`);
    assert.ok(edits > save.figures.saves, 'both the API and the raw baseline wrote revisions');
    const verdict = await verifyAuditChain(t.db);
    assert.equal(verdict.ok, true, JSON.stringify(verdict).slice(0, 500));
  });

  test('scale: grows its own corpus through every size, measures each operation at each, and drops its database', async () => {
    const before = await t.query(`select count(*)::int as n from pg_database where datname like 'copydesk_scale_%'`);
    const r = await scaleBench.run(ctx);
    assertComplete(r, 'scale');
    assert.equal(r.figures.articles_70, 70);
    assert.equal(r.figures.articles_210, 210);
    // Two in seven approved, three paragraphs each, all in the memory.
    assert.equal(r.figures.segments_210, 60 * 3);
    for (const op of ['list_status', 'list_status_editrate', 'list_assignee', 'list_search', 'save', 'tm']) {
      assert.ok(r.figures[`${op}_p50_ms_210`] > 0, op);
      assert.ok(r.figures[`${op}_p50_growth`] > 0, op);
    }
    const after = await t.query(`select count(*)::int as n from pg_database where datname like 'copydesk_scale_%'`);
    assert.equal(after.rows[0].n, before.rows[0].n);
  });

  test('the bundle bench follows the entry script, modulepreloads and stylesheets of index.html, each once', () => {
    const html = `<script type="module" crossorigin src="/assets/index-AAAAAAAA.js"></script>
      <link rel="modulepreload" crossorigin href="/assets/a-BBBBBBBB.js"><link rel="stylesheet" href="/assets/index-CCCCCCCC.css">
      <link rel="modulepreload" href="/assets/a-BBBBBBBB.js"><link rel="icon" href="/favicon.ico">`;
    assert.deepEqual(initialAssets(html), { js: ['/assets/index-AAAAAAAA.js', '/assets/a-BBBBBBBB.js'], css: ['/assets/index-CCCCCCCC.css'] });
  });

  test('COPY text fields are escaped', () => {
    assert.equal(copyField(null), '\\N');
    assert.equal(copyField('a\tb\nc\\d\r'), 'a\\tb\\nc\\\\d\\r');
    assert.equal(copyField(12), '12');
  });
});
