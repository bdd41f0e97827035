import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { contentHash, searchTextOf } from '../../server/services/revisionData';
import { corpus, type CorpusArticle } from './corpus';
import { commandVsCopy } from './measure';
import { runCli } from './runCli';
import { connect } from './seed';
import { sizesOf } from './sizes';
import type { Bench, BenchContext } from './types';

/** Escapes a value for COPY's text format (\N is NULL). */
export function copyField(v: string | number | null): string {
  if (v === null) return '\\N';
  return String(v).replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}

const copyLine = (fields: Array<string | number | null>) => `${fields.map(copyField).join('\t')}\n`;

/**
 * Bare tables shaped like articles and paragraphs (the columns an import
 * fills from a feed, with the same keys: primary keys, unique identity,
 * unique position per article, the foreign key).
 */
async function createBareTables(c: pg.Client): Promise<void> {
  await c.query(`
    create table if not exists bench_articles (
      id int primary key, external_id varchar(256) unique, content_hash char(64) not null unique,
      title text not null, mt_title text not null, published_at timestamptz, search_text text not null,
      created_at timestamptz not null default now());
    create table if not exists bench_paragraphs (
      id serial primary key, article_id int not null references bench_articles (id) on delete cascade,
      position int not null, mt text not null, text text not null, unique (article_id, position));`);
}

/** COPY of the articles' and paragraphs' rows into the bare tables, in one transaction; milliseconds. */
async function copyArticles(c: pg.Client, articles: readonly CorpusArticle[], firstId: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  await c.query('begin');
  await pipeline(
    Readable.from(
      (function* () {
        for (const [i, a] of articles.entries()) {
          yield copyLine([firstId + i, a.externalId, contentHash(a.title, a.paragraphs), a.title, a.title, '2024-03-01T00:00:00Z', searchTextOf(a)]);
        }
      })(),
    ),
    c.query(copyFrom('copy bench_articles (id, external_id, content_hash, title, mt_title, published_at, search_text) from stdin')),
  );
  await pipeline(
    Readable.from(
      (function* () {
        for (const [i, a] of articles.entries()) {
          for (const [position, p] of a.paragraphs.entries()) yield copyLine([firstId + i, position, p, p]);
        }
      })(),
    ),
    c.query(copyFrom('copy bench_paragraphs (article_id, position, mt, text) from stdin')),
  );
  await c.query('commit');
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Articles per NDJSON file: about 0.6 MB, under the default 1 MB import limit per file. */
const PER_FILE = 100;

/** Writes the articles as NDJSON files of PER_FILE articles into a new folder. */
function writeNdjsonFolder(dir: string, articles: readonly CorpusArticle[]): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f * PER_FILE < articles.length; f++) {
    const lines = articles.slice(f * PER_FILE, (f + 1) * PER_FILE).map((a) => JSON.stringify({ externalId: a.externalId, title: a.title, publishedAt: '2024-03-01T00:00:00Z', paragraphs: a.paragraphs }));
    writeFileSync(path.join(dir, `feed-${String(f).padStart(4, '0')}.ndjson`), lines.join('\n') + '\n');
  }
}

async function importOnce(ctx: BenchContext, dir: string, expected: number): Promise<number> {
  const run = await runCli('import', [dir, '--json', '--batch', `bench ${path.basename(dir)}`], ctx.databaseUrl, ctx.cpuProfDir);
  const report = JSON.parse(run.stdout) as { totals: { imported: number; failedFiles: number } };
  if (report.totals.imported !== expected || report.totals.failedFiles !== 0) {
    throw new Error(`import bench: expected ${expected} imported articles, the report says ${JSON.stringify(report.totals)}`);
  }
  return run.ms;
}

/**
 * `npm run import` of a folder of NDJSON files (the corpus' articles, with
 * external ids) against COPY of the same rows.
 * Each run imports articles no run imported before (a different corpus
 * seed), into the growing database, and the baseline copies that run's rows
 * into the growing bare tables; the two alternate, after a warm-up of each.
 */
export const importBench: Bench = {
  id: 'import',
  needsDb: true,
  async run(ctx) {
    const sizes = sizesOf(ctx);
    const n = sizes.importArticles;
    const c = await connect(ctx.databaseUrl);
    try {
      await createBareTables(c);
      const [{ next }] = (await c.query<{ next: number }>('select coalesce(max(id), 0) + 1 as next from bench_articles')).rows;
      let nextId = next;
      // A different seed and external ids per run: every run imports articles the database has not seen.
      const batch = (r: number, count: number) => [...corpus(ctx.seed + 1000 + r, count)].map((a) => ({ ...a, externalId: `import-${nextId}-${r}-${a.externalId}` }));

      // Warm-up: a small import and COPY, untimed (disk cache, the CLI's first compile by tsx).
      const warm = batch(0, Math.min(n, 100));
      writeNdjsonFolder(path.join(ctx.tmpDir, 'import-warm'), warm);
      await importOnce(ctx, path.join(ctx.tmpDir, 'import-warm'), warm.length);
      await copyArticles(c, warm, nextId);
      nextId += warm.length;

      const ours: number[] = [];
      const theirs: number[] = [];
      let paragraphs = 0;
      for (let r = 1; r <= sizes.importRuns; r++) {
        const articles = batch(r, n);
        paragraphs = articles.reduce((s, a) => s + a.paragraphs.length, 0);
        const dir = path.join(ctx.tmpDir, `import-${r}`);
        writeNdjsonFolder(dir, articles);
        ctx.log(`import run ${r}/${sizes.importRuns}: ${n} articles, ${paragraphs} paragraphs`);
        ours.push(await importOnce(ctx, dir, n));
        theirs.push(await copyArticles(c, articles, nextId));
        nextId += n;
        rmSync(dir, { recursive: true, force: true });
      }
      return commandVsCopy({
        id: 'import',
        measure: `npm run import of ${n.toLocaleString('en-US')} articles (${paragraphs.toLocaleString('en-US')} paragraphs) in NDJSON files of ${PER_FILE}, whole command`,
        baseline: 'COPY of the same article and paragraph rows into bare tables with the same keys, one transaction',
        articles: n,
        ours,
        theirs,
      });
    } finally {
      await c.end();
    }
  },
};
