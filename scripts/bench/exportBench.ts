import { createWriteStream, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { corpus } from './corpus';
import { commandVsCopy } from './measure';
import { runCli } from './runCli';
import { connect, ensureUser, seedArticles } from './seed';
import { sizesOf } from './sizes';
import type { Bench } from './types';

/** COPY of the approved revisions' title and paragraphs of `ids` to one file; milliseconds. */
async function copyOut(c: pg.Client, ids: readonly number[], file: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  // The id list is bound through a temporary table: COPY takes no parameters.
  await c.query('begin');
  await c.query('create temporary table bench_export_ids (id int primary key) on commit drop');
  await c.query('insert into bench_export_ids select unnest($1::int[])', [ids]);
  await pipeline(
    c.query(
      copyTo(`copy (select a.id, r.title, r.paragraphs from articles a join bench_export_ids i on i.id = a.id
                     join revisions r on r.id = a."approvedRevisionId" where a.status = 'approved' order by a.id) to stdout`),
    ),
    createWriteStream(file),
  );
  await c.query('commit');
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Puts exported articles back to approved, so the next run exports them again. */
async function reapprove(c: pg.Client, ids: readonly number[]): Promise<void> {
  await c.query(`update articles set status = 'approved', "exportedAt" = null where id = any($1::int[])`, [ids]);
}

/**
 * `npm run export --format json` of N approved articles (one file each plus
 * the manifest, the batch, the status changes and the audit events) against
 * COPY … TO of the same approved revisions to one file. Between runs the
 * articles are put back to approved and each run writes to a new folder.
 */
export const exportBench: Bench = {
  id: 'export',
  needsDb: true,
  async run(ctx) {
    const sizes = sizesOf(ctx);
    const n = sizes.exportArticles;
    const c = await connect(ctx.databaseUrl);
    try {
      const reviewer = await ensureUser(c, 'bench-reviewer', 'reviewer');
      ctx.log(`export: seeding ${n} approved articles`);
      const ids = await seedArticles(c, [...corpus(ctx.seed + 2000, n)], { status: 'approved', approvedById: reviewer, tag: `export-${Date.now()}` });
      await c.query('analyze');
      // The timed runs export every approved article, as an operator would: these are the only ones.
      const exportOnce = async (run: string, only?: readonly number[]) => {
        const out = path.join(ctx.tmpDir, `export-${run}`);
        const expected = only?.length ?? ids.length;
        const r = await runCli('export', ['--out', out, '--format', 'json', ...(only ? ['--ids', only.join(',')] : []), '--json'], ctx.databaseUrl, ctx.cpuProfDir);
        const report = JSON.parse(r.stdout) as { exported: unknown[] };
        const files = readdirSync(out).filter((f) => f.endsWith('.json') && f !== 'manifest.json').length;
        if (report.exported.length !== expected || files !== expected) throw new Error(`export bench: expected ${expected} files, got ${report.exported.length} in the report and ${files} on disk`);
        rmSync(out, { recursive: true, force: true });
        return r.ms;
      };

      // Warm-up: the whole pipeline once on a few articles, and one COPY.
      const few = ids.slice(0, Math.min(50, ids.length));
      await exportOnce('warm', few);
      await reapprove(c, few);
      await copyOut(c, ids, path.join(ctx.tmpDir, 'export-warm.copy'));

      const ours: number[] = [];
      const theirs: number[] = [];
      for (let r = 1; r <= sizes.exportRuns; r++) {
        ctx.log(`export run ${r}/${sizes.exportRuns}: ${n} articles`);
        theirs.push(await copyOut(c, ids, path.join(ctx.tmpDir, `export-${r}.copy`)));
        rmSync(path.join(ctx.tmpDir, `export-${r}.copy`), { force: true });
        ours.push(await exportOnce(String(r)));
        await reapprove(c, ids);
      }
      return commandVsCopy({
        id: 'export',
        measure: `npm run export --format json of ${n.toLocaleString('en-US')} approved articles (a file each, manifest, batch, status changes, audit), whole command`,
        baseline: 'COPY (select the approved revisions’ title and paragraphs) TO STDOUT into one file',
        articles: n,
        ours,
        theirs,
      });
    } finally {
      await c.end();
    }
  },
};
