import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestContext, type TestContext } from '../helpers/app';
import { prng, runCli } from './crashHelpers';

// SIGKILL the import CLI at seeded random moments against a real database,
// then check with SQL that no article is half-written, and that a rerun
// completes with no duplicates. (The export CLI: crash-safety-export.test.ts.)

const SEED = Number(process.env.COPYDESK_CRASH_SEED ?? 1121);

let t: TestContext;
const dirs: string[] = [];

before(async () => {
  t = await createTestContext();
});

after(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await t.drop();
});

const cli = (args: string[], killWhen?: () => boolean) => runCli(t.url, args, killWhen);

describe('import killed with SIGKILL at random moments', () => {
  const FILES = 200;
  const IMPORT_TRIALS = 10;

  /** A folder of FILES news-feed files, each one distinct article of trial `trial`. */
  function feedFolder(trial: number): string {
    const dir = mkdtempSync(path.join(tmpdir(), `copydesk-crash-import-${trial}-`));
    dirs.push(dir);
    for (let i = 0; i < FILES; i++) {
      const body = [`Trial ${trial} article ${i}: the council approves the harbour plan`, '', `The council approved plan number ${i} of trial ${trial} on Monday.`, '', `Residents of district ${i} welcomed the decision.`, ''].join('\n');
      writeFileSync(path.join(dir, `article-${String(i).padStart(3, '0')}.txt`), body);
    }
    return dir;
  }

  async function assertConsistent(label: string): Promise<void> {
    const broken = await t.query(`
      select a.id, 'no paragraphs' as why from articles a where not exists (select 1 from paragraphs p where p."articleId" = a.id)
      union all select a.id, 'no revision 1' from articles a where not exists (select 1 from revisions r where r."articleId" = a.id and r.number = 1)
      union all select a.id, 'revisionCount differs from max(number)' from articles a where a."revisionCount" <> (select coalesce(max(number), 0) from revisions r where r."articleId" = a.id)
      union all select a.id, 'revision numbers not contiguous' from articles a where a."revisionCount" <> (select count(*) from revisions r where r."articleId" = a.id)
      union all select a.id, 'no initial status change' from articles a where not exists (select 1 from status_changes s where s."articleId" = a.id and s."fromStatus" is null)`);
    assert.deepEqual(broken.rows, [], `${label}: inconsistent articles`);
  }

  test(`${IMPORT_TRIALS} trials of ${FILES} feed files: no partial article after a kill; a rerun completes without duplicates`, async () => {
    const random = prng(SEED + 1);
    const outcomes: string[] = [];
    for (let trial = 0; trial < IMPORT_TRIALS; trial++) {
      const dir = feedFolder(trial);
      const before = (await t.query<{ n: number }>(`select count(*)::int n from articles`)).rows[0].n;
      assert.equal(before, trial * FILES);
      const target = Math.floor(random() * FILES);
      let last = 0;
      let polling = false;
      let reached = false;
      const killed = await cli(['scripts/import.ts', dir, '--json'], () => {
        // Poll the article count at most every 20 ms; kill once `target` articles of this trial are in.
        if (polling || Date.now() - last < 20) return false;
        polling = true;
        last = Date.now();
        void t
          .query<{ n: number }>(`select count(*)::int n from articles`)
          .then((r) => (reached = r.rows[0].n - before >= target))
          .finally(() => (polling = false));
        return reached;
      });
      const afterKill = (await t.query<{ n: number }>(`select count(*)::int n from articles`)).rows[0].n - before;
      outcomes.push(`${trial}:${target}→${afterKill}:${killed.signal ?? `exit ${killed.code}`}`);
      await assertConsistent(`trial ${trial} after the kill`);

      const rerun = await cli(['scripts/import.ts', dir, '--json']);
      assert.equal(rerun.code, 0, `trial ${trial} rerun: ${rerun.stderr.slice(-2000)}`);
      const report = JSON.parse(rerun.stdout) as { totals: { imported: number; skipped: number; failedFiles: number } };
      assert.equal(report.totals.failedFiles, 0);
      assert.equal(report.totals.imported + report.totals.skipped, FILES);
      assert.equal(report.totals.imported, FILES - afterKill, `trial ${trial}: the rerun imported ${report.totals.imported}, expected the ${FILES - afterKill} missing`);
      await assertConsistent(`trial ${trial} after the rerun`);
      const counts = (await t.query<{ n: number; distinct_hash: number; revisions: number }>(
        `select count(*)::int n, count(distinct "contentHash")::int distinct_hash, (select count(*) from revisions)::int revisions from articles`,
      )).rows[0];
      assert.equal(counts.n, (trial + 1) * FILES, `trial ${trial}: duplicates or losses`);
      assert.equal(counts.distinct_hash, counts.n);
      assert.equal(counts.revisions, counts.n, 'each imported article has exactly its revision 1');
    }
    // A killed run cannot mark its own batch; the next import on this host closes it as failed. Every rerun's batch completed.
    const batches = (await t.query<{ status: string; n: number }>(`select status::text, count(*)::int n from import_batches group by status order by status`)).rows;
    const byStatus = Object.fromEntries(batches.map((b) => [b.status, b.n]));
    assert.equal(byStatus.completed, IMPORT_TRIALS + outcomes.filter((o) => o.includes('exit 0')).length);
    assert.equal(byStatus.running ?? 0, 0, 'the reruns closed the batches of the killed imports');
    const abandoned = (await t.query<{ n: number }>(`select count(*)::int n from audit_events where action = 'import.batch' and data->>'abandoned' = 'true'`)).rows[0].n;
    assert.equal(abandoned, byStatus.failed ?? 0, 'each closed batch is audited');
    console.log(`# import kill points (trial:target→articles in:outcome): ${outcomes.join(' ')}; batches by status: ${JSON.stringify(byStatus)}`);
    assert.ok(outcomes.filter((o) => o.endsWith('SIGKILL')).length >= IMPORT_TRIALS / 2, `most trials must really be killed: ${outcomes.join(' ')}`);
  });
});
