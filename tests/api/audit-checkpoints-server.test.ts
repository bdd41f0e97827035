// The server anchors the audit chain by itself: a checkpoint at start, one
// whenever the chain moved since the last (every COPYDESK_AUDIT_CHECKPOINT_MINUTES),
// and one at shutdown. Runs the real startServer on a test database.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startServer, type RunningServer } from '../../server/index';
import { recordAudit, SYSTEM_ACTOR } from '../../server/services/audit';
import { readCheckpoints } from '../../server/services/auditCheckpoints';
import { verifyAuditChain } from '../../server/services/auditVerify';
import { createTestDatabase, testConfig, type TestDatabase } from '../helpers/db';

let t: TestDatabase;
let scratch: string;

before(async () => {
  t = await createTestDatabase();
  scratch = mkdtempSync(path.join(tmpdir(), 'copydesk-server-checkpoints-'));
});
after(async () => {
  await t.drop();
  rmSync(scratch, { recursive: true, force: true });
});

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('start, the periodic checkpoint when the chain moved (and none when it did not), and shutdown', async () => {
  const file = path.join(scratch, 'checkpoints.log');
  const config = testConfig({
    DATABASE_URL: t.url,
    PORT: '0',
    COPYDESK_DATA_DIR: scratch,
    COPYDESK_AUDIT_CHECKPOINTS: file,
    COPYDESK_AUDIT_CHECKPOINT_MINUTES: '0.01', // 600 ms
    COPYDESK_ADMIN_PASSWORD: 'a long enough password',
  });
  const [{ name }] = (await t.query<{ name: string }>(`select current_database() || '@' || (select system_identifier::text from pg_control_system()) as name`)).rows;
  const lines = async () => (await readCheckpoints(file, name)).checkpoints;
  // An empty log has no head to anchor; one event makes it something to check.
  await t.db.$transaction((tx) => recordAudit(tx, SYSTEM_ACTOR, { action: 'test.before_start', entity: 'article' }));
  const head = await t.db.auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } });
  let server: RunningServer | undefined = await startServer(config, () => undefined);
  try {
    const [start] = await lines();
    assert.deepEqual({ source: start.source, id: start.id, hash: start.hash }, { source: 'start', id: head.id.toString(), hash: head.hash });

    await t.db.$transaction((tx) => recordAudit(tx, SYSTEM_ACTOR, { action: 'test.after_start', entity: 'article' }));
    const moved = await t.db.auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } });
    await waitFor('the periodic checkpoint', async () => (await lines()).some((c) => c.source === 'server' && c.id === moved.id.toString()));
    // The head did not move again: a few more periods add nothing.
    const count = (await lines()).length;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await lines()).length, count);

    await server.close();
    server = undefined;
    const all = await lines();
    assert.equal(all.length, count, 'the head did not move since the last checkpoint, so shutdown adds none');
    assert.equal((await verifyAuditChain(t.db, { checkpointFile: file })).ok, true);

    // With a long period, what happened since the start is anchored at shutdown.
    server = await startServer({ ...config, auditCheckpointMs: 3_600_000 }, () => undefined);
    await t.db.$transaction((tx) => recordAudit(tx, SYSTEM_ACTOR, { action: 'test.before_stop', entity: 'article' }));
    const last = await t.db.auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } });
    await server.close();
    server = undefined;
    const final = await lines();
    assert.deepEqual(final.slice(count).map((c) => [c.source, c.id]), [
      ['start', moved.id.toString()],
      ['stop', last.id.toString()],
    ]);
  } finally {
    await server?.close();
  }
});
