import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { judgeSoak, type SoakReport } from '../../scripts/soak';
import { createTestDatabase } from '../helpers/db';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

// The judgement itself is tested on synthetic figures in tests/unit/soak.test.ts.
test('npm run soak -- --duration 5 --json runs the whole path and reports its figures', async () => {
  // A clone of the run's migrated template, so the test skips the soak's own create-and-migrate step.
  const tdb = await createTestDatabase();
  await tdb.db.$disconnect();
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/soak.ts', '--duration', '5', '--articles', '40', '--json', '--database-url', tdb.url], {
    cwd: ROOT,
    env: process.env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  await tdb.drop();
  assert.ok(res.status === 0 || res.status === 1, `exit ${res.status}: ${res.stderr}`);
  const report = JSON.parse(res.stdout) as SoakReport;
  assert.equal(report.durationS, 5);
  assert.equal(report.connections, 16);
  assert.equal(report.articles, 40);
  assert.ok(report.requests.total > 0);
  assert.equal(report.requests.total, report.requests.list + report.requests.get + report.requests.save);
  assert.ok(report.requests.save > 0, 'no save was made');
  for (const k of ['errors', 'timeouts', 'status5xx', 'conflicts'] as const) assert.equal(typeof report[k], 'number');
  for (const k of ['p50', 'p90', 'p99', 'max', 'mean'] as const) assert.equal(typeof report.latencyMs[k], 'number');
  assert.ok(report.rss.samples.length >= 3, 'RSS was sampled');
  assert.ok(report.rss.samples.every((s) => s.mb > 10));
  assert.equal(report.rss.judged, false, 'a 5 s run does not judge the RSS trend');
  assert.equal(report.status5xx, 0);
  assert.equal(report.conflicts, 0);
  assert.equal(res.status, report.ok ? 0 : 1);
  assert.deepEqual(report.ok, report.failures.length === 0);
  // The report's verdict is the judgement of its own figures, and this run must pass it.
  const verdict = judgeSoak({
    durationS: report.durationS,
    status5xx: report.status5xx,
    conflicts: report.conflicts,
    connectionErrors: report.errors - Object.entries(report.statusCounts).filter(([s]) => Number(s) < 200 || Number(s) >= 300).reduce((n, [, c]) => n + c, 0),
    slopeMbPerMin: report.rss.slopeMbPerMin,
    maxSlopeMbPerMin: report.rss.maxSlopeMbPerMin,
    serverExitCode: null,
  });
  assert.deepEqual(report.failures, verdict.failures);
  assert.equal(report.ok, true, `the soak run failed: ${report.failures.join('; ')}`);
});
