// The keyed audit chain against the attacks it exists for: a database
// superuser who disables the append-only trigger, deletes an event and
// re-hashes the rest; one who deletes the newest events; the upgrade from the
// unkeyed chain; and a lost or wrong key.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createDb, type PrismaClient } from '../../server/db/client';
import { PROJECT_ROOT } from '../../server/projectRoot';
import { auditKeyFromHex, currentAuditKey, eventHash, recordAudit, SYSTEM_ACTOR, useAuditKey } from '../../server/services/audit';
import { appendCheckpoint, readCheckpoints, writeCheckpoint } from '../../server/services/auditCheckpoints';
import { AuditKeyError, ensureKeyedHead, loadAuditKey, prepareAudit } from '../../server/services/auditKey';
import { verifyAuditChain } from '../../server/services/auditVerify';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let t: TestDatabase;
let scratch: string;
const checkpointFile = () => path.join(scratch, `checkpoints-${randomBytes(3).toString('hex')}.log`);

async function append(db: PrismaClient, n: number, tag = 'test.event'): Promise<void> {
  for (let i = 0; i < n; i++) await db.$transaction((tx) => recordAudit(tx, SYSTEM_ACTOR, { action: tag, entity: 'article', entityId: i, data: { i } }));
}

/** As the database superuser: the append-only triggers off, `statements`, the triggers back on. */
async function asSuperuser(url: string, statements: Array<[string, unknown[]?]>): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('begin');
    await c.query('alter table audit_events disable trigger user');
    for (const [sql, params] of statements) await c.query(sql, params);
    await c.query('alter table audit_events enable always trigger audit_events_no_update_delete');
    await c.query('alter table audit_events enable always trigger audit_events_no_truncate');
    await c.query('commit');
  } finally {
    await c.end();
  }
}

/**
 * The attack the unkeyed chain did not catch: delete one event, then recompute
 * every later hash with plain sha256 over the stored columns, as anyone could.
 */
async function deleteAndRehash(url: string, db: PrismaClient, victimId: bigint, opts: { dropKeyIds: boolean }): Promise<void> {
  const rows = await db.auditEvent.findMany({ orderBy: { id: 'asc' } });
  const i = rows.findIndex((r) => r.id === victimId);
  let prev = rows[i - 1]?.hash ?? '0'.repeat(64);
  const statements: Array<[string, unknown[]?]> = [['delete from audit_events where id = $1', [victimId]]];
  // Move the later events' prevHash aside first: prevHash is unique.
  statements.push(['update audit_events set "prevHash" = md5(id::text) || md5(id::text || \'x\') where id > $1', [victimId]]);
  for (const r of rows.slice(i + 1)) {
    const hash = eventHash(prev, r);
    statements.push([`update audit_events set "prevHash" = $2, hash = $3${opts.dropKeyIds ? ', "keyId" = null' : ''} where id = $1`, [r.id, prev, hash]]);
    prev = hash;
  }
  await asSuperuser(url, statements);
}

before(async () => {
  t = await createTestDatabase();
  scratch = mkdtempSync(path.join(tmpdir(), 'copydesk-audit-keyed-'));
});
after(async () => {
  await t.drop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('a database superuser rewriting the chain', () => {
  test('delete an event and re-hash the rest with sha256: verify fails at the first re-hashed event', async () => {
    await append(t.db, 6);
    const rows = await t.db.auditEvent.findMany({ orderBy: { id: 'asc' } });
    assert.equal((await verifyAuditChain(t.db)).ok, true);
    const victim = rows[2];
    const next = rows[3];
    await deleteAndRehash(t.url, t.db, victim.id, { dropKeyIds: false });
    // The links are all consistent again: only the key tells the forgery apart.
    const after = await t.db.auditEvent.findMany({ orderBy: { id: 'asc' } });
    for (let k = 1; k < after.length; k++) assert.equal(after[k].prevHash, after[k - 1].hash);
    const r = await verifyAuditChain(t.db);
    assert.equal(r.ok, false);
    assert.equal(r.firstBroken?.id, Number(next.id));
    assert.equal(r.firstBroken?.problem, 'changed');
    assert.match(r.firstBroken!.detail, /does not match its contents/);
  });

  test('…and marking the re-hashed events unkeyed does not help: an unkeyed event after a keyed one is refused', async () => {
    const db2 = await createTestDatabase();
    try {
      await append(db2.db, 5);
      const rows = await db2.db.auditEvent.findMany({ orderBy: { id: 'asc' } });
      await deleteAndRehash(db2.url, db2.db, rows[1].id, { dropKeyIds: true });
      const r = await verifyAuditChain(db2.db);
      assert.equal(r.ok, false);
      assert.deepEqual({ id: r.firstBroken?.id, problem: r.firstBroken?.problem }, { id: Number(rows[2].id), problem: 'unkeyed' });
      assert.match(r.firstBroken!.detail, new RegExp(`comes after keyed event #${rows[0].id}`));

      // Rewriting from the very first event leaves only unkeyed events: the newest being unkeyed gives it away.
      await deleteAndRehash(db2.url, db2.db, rows[0].id, { dropKeyIds: true });
      const all = await verifyAuditChain(db2.db);
      assert.equal(all.ok, false);
      assert.equal(all.firstBroken?.problem, 'unkeyed');
      assert.equal(all.firstBroken?.id, Number(rows.at(-1)!.id));
    } finally {
      await db2.drop();
    }
  });

  test('delete the newest events: a valid shorter chain, caught against the checkpoint file', async () => {
    const db3 = await createTestDatabase();
    const file = checkpointFile();
    try {
      await append(db3.db, 5);
      const cp = await writeCheckpoint(db3.db, file, 'test');
      assert.ok(cp);
      const rows = await db3.db.auditEvent.findMany({ orderBy: { id: 'desc' }, take: 2 });
      assert.equal(cp.id, rows[0].id.toString());
      await asSuperuser(db3.url, [['delete from audit_events where id >= $1', [rows[1].id]]]);
      // Without the checkpoints nothing looks wrong.
      assert.equal((await verifyAuditChain(db3.db)).ok, true);
      const r = await verifyAuditChain(db3.db, { checkpointFile: file });
      assert.equal(r.ok, false);
      assert.equal(r.firstBroken?.problem, 'checkpoint');
      assert.equal(r.firstBroken?.id, Number(rows[0].id));
      assert.match(r.firstBroken!.detail, new RegExp(`the chain ends at event #${rows[1].id - 1n}, but the checkpoint on line 1 of .* recorded event #${rows[0].id} hash ${rows[0].hash} \\(test, .*\\): the newest events were deleted`));
    } finally {
      await db3.drop();
    }
  });

  test('a rewrite even with the key is caught up to the newest checkpoint', async () => {
    const db4 = await createTestDatabase();
    const file = checkpointFile();
    try {
      await append(db4.db, 4);
      await writeCheckpoint(db4.db, file, 'test');
      const rows = await db4.db.auditEvent.findMany({ orderBy: { id: 'asc' } });
      // Someone holding the key deletes event 2 and re-keys the rest properly.
      const key = currentAuditKey()!;
      const { eventTag } = await import('../../server/services/audit');
      let prev = rows[0].hash;
      const statements: Array<[string, unknown[]?]> = [
        ['delete from audit_events where id = $1', [rows[1].id]],
        ['update audit_events set "prevHash" = md5(id::text) || md5(id::text || \'x\') where id > $1', [rows[1].id]],
      ];
      for (const r of rows.slice(2)) {
        const hash = eventHash(prev, r, eventTag(key, r));
        statements.push(['update audit_events set "prevHash" = $2, hash = $3 where id = $1', [r.id, prev, hash]]);
        prev = hash;
      }
      await asSuperuser(db4.url, statements);
      assert.equal((await verifyAuditChain(db4.db)).ok, true, 'a key holder can rewrite the chain itself');
      const r = await verifyAuditChain(db4.db, { checkpointFile: file });
      assert.deepEqual({ ok: r.ok, id: r.firstBroken?.id, problem: r.firstBroken?.problem }, { ok: false, id: Number(rows.at(-1)!.id), problem: 'checkpoint' });
      assert.match(r.firstBroken!.detail, /is not the one the checkpoint on line 1 recorded/);
    } finally {
      await db4.drop();
    }
  });

  test('…also when the rewrite removes the very event a checkpoint recorded', async () => {
    const db6 = await createTestDatabase();
    const file = checkpointFile();
    try {
      await append(db6.db, 3);
      const cp = await writeCheckpoint(db6.db, file, 'test');
      await append(db6.db, 2);
      const rows = await db6.db.auditEvent.findMany({ orderBy: { id: 'asc' } });
      const i = rows.findIndex((r) => r.id.toString() === cp!.id);
      const key = currentAuditKey()!;
      const { eventTag } = await import('../../server/services/audit');
      let prev = rows[i - 1].hash;
      const statements: Array<[string, unknown[]?]> = [
        ['delete from audit_events where id = $1', [rows[i].id]],
        ['update audit_events set "prevHash" = md5(id::text) || md5(id::text || \'x\') where id > $1', [rows[i].id]],
      ];
      for (const r of rows.slice(i + 1)) {
        const hash = eventHash(prev, r, eventTag(key, r));
        statements.push(['update audit_events set "prevHash" = $2, hash = $3 where id = $1', [r.id, prev, hash]]);
        prev = hash;
      }
      await asSuperuser(db6.url, statements);
      const r = await verifyAuditChain(db6.db, { checkpointFile: file });
      assert.deepEqual({ ok: r.ok, id: r.firstBroken?.id, problem: r.firstBroken?.problem }, { ok: false, id: Number(cp!.id), problem: 'checkpoint' });
      assert.match(r.firstBroken!.detail, /there is no such event any more: it was deleted and the events after it re-linked/);
    } finally {
      await db6.drop();
    }
  });
});

describe('upgrading from the unkeyed chain', () => {
  const name = `copydesk_t_${process.env.COPYDESK_TEST_RUN}_up_${randomBytes(3).toString('hex')}`;
  let url: string;
  let db: PrismaClient;
  const adminUrl = process.env.COPYDESK_TEST_ADMIN_URL ?? '';
  const migrations = readdirSync(path.join(PROJECT_ROOT, 'prisma', 'migrations'))
    .filter((m) => /^\d{14}_/.test(m))
    .sort();
  const KEYED = '20261203110000_audit_keyed_chain';
  const runSql = async (file: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(readFileSync(path.join(PROJECT_ROOT, 'prisma', 'migrations', file, 'migration.sql'), 'utf8'));
    } finally {
      await c.end();
    }
  };

  before(async () => {
    const a = new pg.Client({ connectionString: adminUrl });
    await a.connect();
    await a.query(`create database ${name}`);
    await a.end();
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    // The schema as it was before the keyed chain.
    for (const m of migrations.filter((m) => m < KEYED)) await runSql(m);
  });
  after(async () => {
    await db?.$disconnect();
    const a = new pg.Client({ connectionString: adminUrl });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  });

  test('the unkeyed events stay verifiable as the legacy prefix; an audit.keyed event marks the switch; everything after is keyed', async () => {
    // Written by the old audit_append, which hashes with plain sha256 (it ignores the tag).
    const old = new pg.Client({ connectionString: url });
    await old.connect();
    const pre = '{"action":"test.old","actorId":null,"actorName":"system","at":"';
    await old.query(`begin`);
    for (let i = 0; i < 3; i++) await old.query(`select audit_append($1::jsonb)`, [JSON.stringify([{ actorId: null, actorName: 'system', action: 'test.old', entity: 'article', entityId: null, ip: null, data: {}, pre, mid: '","data":{},"entity":"article","entityId":null,"id":"', post: '","ip":null}' }])]);
    await old.query(`commit`);
    await old.end();
    for (const m of migrations.filter((m) => m >= KEYED)) await runSql(m);

    db = createDb(url, { dbPoolSize: 2, dbConnectTimeoutMs: 5000 });
    const legacy = await db.auditEvent.findMany({ orderBy: { id: 'asc' } });
    assert.equal(legacy.length, 3);
    assert.ok(legacy.every((e) => e.keyId === null && e.hash === eventHash(e.prevHash, e)));
    // The function no longer takes unkeyed events.
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await assert.rejects(c.query(`select audit_append('[{"action":"x","entity":"y","actorName":"z","pre":"","mid":"","post":""}]'::jsonb)`), /audit events must be keyed/);
    await c.end();
    // Before the first start with the key, verify says the newest event is unkeyed, and why.
    const before = await verifyAuditChain(db);
    assert.equal(before.firstBroken?.problem, 'unkeyed');
    assert.match(before.firstBroken!.detail, /Copydesk has not started since the upgrade/);

    const file = checkpointFile();
    const keyFile = path.join(scratch, 'upgrade.key');
    try {
      // Two processes starting at once: one of them marks the switch.
      useAuditKey(await loadAuditKey(db, { auditKey: undefined, auditKeyFile: keyFile }));
      const marks = await Promise.all([ensureKeyedHead(db, currentAuditKey()!, file), ensureKeyedHead(db, currentAuditKey()!, file)]);
      assert.equal(marks.filter((m) => m !== null).length, 1);
      const { key, checkpoint } = await prepareAudit(db, { auditKey: undefined, auditKeyFile: keyFile, auditCheckpointFile: file }, { source: 'start' });
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      const marker = await db.auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } });
      assert.equal(marker.action, 'audit.keyed');
      assert.equal(marker.keyId, key.id);
      assert.deepEqual(marker.data, { keyId: key.id, lastUnkeyedEventId: legacy[2].id.toString(), lastUnkeyedHash: legacy[2].hash });
      assert.equal(checkpoint?.id, marker.id.toString());
      await append(db, 2);
      const r = await verifyAuditChain(db, { checkpointFile: file });
      assert.deepEqual({ ok: r.ok, count: r.count, unkeyedCount: r.unkeyedCount, keyId: r.keyId }, { ok: true, count: 6, unkeyedCount: 3, keyId: key.id });
      // A second start changes nothing.
      assert.equal(await ensureKeyedHead(db, key, file), null);

      // The tail rewritten without the key, back to unkeyed: the next start refuses to paper over it.
      const keyed = await db.auditEvent.findMany({ where: { keyId: { not: null } }, orderBy: { id: 'asc' } });
      await asSuperuser(url, [['delete from audit_events where id >= $1', [keyed[0].id]]]);
      await assert.rejects(ensureKeyedHead(db, key, file), (e: Error) => e instanceof AuditKeyError && /is unkeyed, but line 1 of .* shows the log was already keyed/.test(e.message));
      const broken = await verifyAuditChain(db, { checkpointFile: file });
      assert.equal(broken.ok, false);
    } finally {
      useAuditKey(auditKeyFromHex(process.env.COPYDESK_AUDIT_KEY ?? ''));
    }
  });
});

describe('the key', () => {
  test('generated once into the key file (mode 0600) while no event is keyed; then missing or different is a clear error', async () => {
    const db5 = await createTestDatabase();
    const keyFile = path.join(scratch, 'k', 'audit.key');
    try {
      const k1 = await loadAuditKey(db5.db, { auditKey: undefined, auditKeyFile: keyFile });
      assert.match(readFileSync(keyFile, 'utf8'), /^[0-9a-f]{64}\n$/);
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      assert.equal((await loadAuditKey(db5.db, { auditKey: undefined, auditKeyFile: keyFile })).id, k1.id);
      useAuditKey(k1);
      await append(db5.db, 1);

      rmSync(keyFile);
      await assert.rejects(loadAuditKey(db5.db, { auditKey: undefined, auditKeyFile: keyFile }), (e: Error) =>
        e instanceof AuditKeyError && e.message.includes(`The audit log is keyed with key ${k1.id}, but there is no audit key: ${keyFile} does not exist`),
      );
      await assert.rejects(loadAuditKey(db5.db, { auditKey: 'ab'.repeat(32), auditKeyFile: keyFile }), /The audit key from COPYDESK_AUDIT_KEY \(key id [0-9a-f]{16}\) is not the key the audit log is keyed with/);
      writeFileSync(keyFile, 'not a key\n', { mode: 0o600 });
      await assert.rejects(loadAuditKey(db5.db, { auditKey: undefined, auditKeyFile: keyFile }), new RegExp(`The audit key file ${keyFile} does not hold a key`));
      // Verified with another key, the events are named, not silently accepted.
      const r = await verifyAuditChain(db5.db, { key: auditKeyFromHex('cd'.repeat(32)) });
      assert.equal(r.firstBroken?.problem, 'wrong_key');
    } finally {
      useAuditKey(auditKeyFromHex(process.env.COPYDESK_AUDIT_KEY ?? ''));
      await db5.drop();
    }
  });
});

describe('the checkpoint file', () => {
  test('two processes appending at once: every line intact', async () => {
    const file = checkpointFile();
    const script = `
      const { appendCheckpoint } = await import(${JSON.stringify(path.join(PROJECT_ROOT, 'server/services/auditCheckpoints.ts'))});
      const who = process.argv[1];
      await Promise.all(Array.from({ length: 300 }, (_, i) => appendCheckpoint(${JSON.stringify(file)}, { db: 'x@1', id: String(i + 1), hash: 'a'.repeat(64), at: new Date().toISOString(), source: who + '-' + 'p'.repeat(200) })));
    `;
    const run = (who: string) =>
      new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, who], { cwd: PROJECT_ROOT, stdio: 'inherit' });
        child.on('error', reject);
        child.on('close', resolve);
      });
    assert.deepEqual(await Promise.all([run('one'), run('two')]), [0, 0]);
    const { checkpoints, problems } = await readCheckpoints(file, 'x@1');
    assert.deepEqual(problems, []);
    assert.equal(checkpoints.length, 600);
    assert.equal(checkpoints.filter((c) => c.source.startsWith('one-')).length, 300);
  });

  test('a line that is not a checkpoint is reported with its file and line, the others still count', async () => {
    const file = checkpointFile();
    await appendCheckpoint(file, { db: 'x@1', id: '3', hash: createHash('sha256').update('x').digest('hex'), at: 'now', source: 'test' });
    writeFileSync(file, readFileSync(file, 'utf8') + '{"db":"x@1","id":"4"\n');
    const { checkpoints, problems } = await readCheckpoints(file, 'x@1');
    assert.equal(checkpoints.length, 1);
    assert.deepEqual(problems.length, 1);
    assert.match(problems[0], new RegExp(`${file} line 2 is not a checkpoint`));
  });
});
