import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';
import { verifyExport } from '../../server/services/export/manifest';
import { prng, runCli } from './crashHelpers';

// SIGKILL the export CLI at seeded random moments against a real database,
// then check with SQL and the file system that nothing half-done is visible,
// and that a rerun completes with no duplicates. (The import CLI: crash-safety.test.ts.)

const SEED = Number(process.env.COPYDESK_CRASH_SEED ?? 1121);
const TRIALS = 10;
const ARTICLES = 200;

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

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('export killed with SIGKILL at random moments', () => {
  test(`${TRIALS} trials of ${ARTICLES} approved articles: nothing marked exported unless fully written; a rerun completes without duplicates`, async () => {
    const reviewer = await t.makeUser('rita', 'reviewer');
    for (let i = 0; i < ARTICLES; i++) {
      await makeArticle(t.db, { title: `Crash export ${i}`, paragraphs: [`First paragraph of ${i}.`, `Second paragraph of ${i}.`], status: 'approved', approvedById: reviewer });
    }
    const random = prng(SEED);
    const outcomes: string[] = [];
    let orphanManifests = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      // Every trial starts from all articles approved and never exported, in a fresh folder.
      await t.query(`delete from export_items`);
      await t.query(`delete from export_batches`);
      await t.query(`update articles set status = 'approved', "exportedAt" = null`);
      const out = mkdtempSync(path.join(tmpdir(), 'copydesk-crash-export-'));
      dirs.push(out);
      // Kill points spread over the whole run: after k files are in the folder (k random), or when the manifest appears.
      const target = random() < 0.25 ? 'manifest' : Math.floor(random() * (ARTICLES + 1));
      const killed = await cli(['scripts/export.ts', '--out', out, '--json'], () => {
        if (target === 'manifest') return existsSync(path.join(out, 'manifest.json'));
        return readdirSync(out).filter((n) => !n.startsWith('.')).length >= target;
      });
      outcomes.push(`${trial}:${target}:${killed.signal ?? `exit ${killed.code}`}`);

      // 1. The database: every exported article has its item in a committed batch, and its file is complete.
      const rows = (
        await t.query<{ id: number; status: string; file: string | null; sha256: string | null; batch: number | null }>(
          `select a.id, a.status::text as status, i.path as file, i.sha256, b.id as batch
             from articles a left join export_items i on i."articleId" = a.id left join export_batches b on b.id = i."batchId"
            where a.status = 'exported' or i.id is not null`,
        )
      ).rows;
      for (const r of rows) {
        assert.equal(r.status, 'exported', `trial ${trial}: article ${r.id} has an export item but is ${r.status}`);
        assert.ok(r.batch !== null && r.file !== null, `trial ${trial}: article ${r.id} is exported without a committed batch item`);
        const file = path.isAbsolute(r.file!) ? r.file! : path.join(out, r.file!);
        assert.ok(existsSync(file), `trial ${trial}: article ${r.id} is marked exported but ${r.file} is missing`);
        assert.equal(sha256(file), r.sha256, `trial ${trial}: ${r.file} is not the complete file the database vouches for`);
      }
      const exportedAfterKill = rows.length;
      // 2. The folder: no partial file under a final name; a manifest, if any, lists only complete files.
      const manifestPath = path.join(out, 'manifest.json');
      if (existsSync(manifestPath)) {
        const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { batchId: number; files: Array<{ file: string; sha256: string }> };
        for (const f of manifest.files) assert.equal(sha256(path.join(out, f.file)), f.sha256, `trial ${trial}: the manifest vouches for an incomplete ${f.file}`);
        const committed = (await t.query(`select 1 from export_batches where id = $1`, [manifest.batchId])).rowCount;
        // Killed between the manifest's rename and the database commit: the manifest names a batch that never committed.
        if (!committed) orphanManifests++;
      } else {
        assert.equal(exportedAfterKill, 0, `trial ${trial}: articles are marked exported but the folder has no manifest`);
      }
      for (const name of readdirSync(out).filter((n) => !n.startsWith('.') && n !== 'manifest.json')) {
        // Every file under a final name parses completely (the renderer writes JSON).
        assert.doesNotThrow(() => JSON.parse(readFileSync(path.join(out, name), 'utf8')), `trial ${trial}: ${name} is a partial file`);
      }

      // 3. A rerun completes: every article exported exactly once, manifest verified, no temporary files.
      const rerun = await cli(['scripts/export.ts', '--out', out, '--json']);
      assert.equal(rerun.code, 0, `trial ${trial} rerun: ${rerun.stderr}`);
      const counts = (await t.query<{ exported: number; items: number; distinct_items: number; batches: number }>(
        `select (select count(*) from articles where status = 'exported')::int exported,
                (select count(*) from export_items)::int items,
                (select count(distinct "articleId") from export_items)::int distinct_items,
                (select count(*) from export_batches)::int batches`,
      )).rows[0];
      assert.equal(counts.exported, ARTICLES, `trial ${trial}: ${counts.exported} exported after the rerun`);
      assert.equal(counts.items, ARTICLES, `trial ${trial}: duplicate export items`);
      assert.equal(counts.distinct_items, ARTICLES);
      const verify = await verifyExport(out);
      assert.ok(verify.ok, `trial ${trial}: verify failed: ${JSON.stringify(verify)}`);
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { batchId: number; files: unknown[] };
      assert.equal(manifest.files.length, ARTICLES);
      assert.equal((await t.query(`select 1 from export_batches where id = $1`, [manifest.batchId])).rowCount, 1, `trial ${trial}: the final manifest names an uncommitted batch`);
      assert.deepEqual(readdirSync(out).filter((n) => n.startsWith('.')), [], `trial ${trial}: temporary files left behind`);
    }
    console.log(`# export kill points (trial:target:outcome): ${outcomes.join(' ')}; manifests left for an uncommitted batch: ${orphanManifests}`);
    assert.ok(outcomes.filter((o) => o.endsWith('SIGKILL')).length >= TRIALS / 2, `most trials must really be killed: ${outcomes.join(' ')}`);
  });
});
