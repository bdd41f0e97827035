import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createDb } from '../../server/db/client';
import { auditKeyFromHex, AuditUsageError, canonicalJson, eventHash, eventTag, GENESIS_HASH, recordAudit, recordAuditMany, SYSTEM_ACTOR, type Actor } from '../../server/services/audit';
import { verifyAuditChain } from '../../server/services/auditVerify';
import { createTestContext, type TestContext } from '../helpers/app';
import { TEST_AUDIT_KEY } from '../helpers/db';

const key = auditKeyFromHex(TEST_AUDIT_KEY);

let t: TestContext;
let editorId: number;
let editor: Actor;

before(async () => {
  t = await createTestContext();
  editorId = await t.makeUser('eddie', 'editor');
  editor = { id: editorId, username: 'eddie', role: 'editor', ip: '10.0.0.7' };
});
after(() => t.drop());

async function record(n: number, actor: Actor = editor): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(await t.db.$transaction((tx) => recordAudit(tx, actor, { action: 'test.event', entity: 'article', entityId: i + 1, data: { i, note: `event ${i}` } })));
  }
  return ids;
}

async function count(): Promise<number> {
  const r = await t.query<{ n: string }>('select count(*) as n from audit_events');
  return Number(r.rows[0].n);
}

describe('the stored form of an event', () => {
  test('the first event chains to 64 zeros and its hash is sha256(prevHash || HMAC tag || canonical JSON) over the stored columns', async () => {
    const [id] = await record(1);
    const { rows } = await t.query(`select id::text as id, "prevHash", hash, "keyId", to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, data::text as data from audit_events where id = $1`, [id.toString()]);
    const row = rows[0];
    assert.equal(row.prevHash, GENESIS_HASH);
    assert.equal(row.prevHash, '0'.repeat(64));
    const { createHash, createHmac } = await import('node:crypto');
    // The key's id, the event's tag and its hash, written out as docs/security.md defines them.
    const secret = Buffer.from(TEST_AUDIT_KEY, 'hex');
    assert.equal(row.keyId, createHmac('sha256', secret).update('copydesk audit key id').digest('hex').slice(0, 16));
    const content = `{"action":"test.event","actorId":${editorId},"actorName":"eddie","data":{"i":0,"note":"event 0"},"entity":"article","entityId":"1","ip":"10.0.0.7"}`;
    const tag = createHmac('sha256', secret).update('copydesk audit event\n' + content).digest('hex');
    const body = `{"action":"test.event","actorId":${editorId},"actorName":"eddie","at":"${row.at}","data":{"i":0,"note":"event 0"},"entity":"article","entityId":"1","id":"${row.id}","ip":"10.0.0.7"}`;
    assert.equal(row.hash, createHash('sha256').update(GENESIS_HASH + tag + body).digest('hex'));
    // Without the key the stored hash cannot be recomputed: plain sha256 gives something else.
    assert.notEqual(row.hash, createHash('sha256').update(GENESIS_HASH + body).digest('hex'));
  });

  test('canonical JSON sorts keys at every depth, drops undefined, writes no whitespace', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: null }], c: 'é' } }), '{"a":{"c":"é","d":[3,{"x":null,"z":1}]},"b":1}');
    assert.equal(canonicalJson({ id: 12n, at: new Date('2026-11-21T10:00:00.5Z') }), '{"at":"2026-11-21T10:00:00.500Z","id":"12"}');
  });

  test('data that PostgreSQL cannot store verbatim (NUL, lone surrogates) is stored replaced, and the chain still verifies', async () => {
    await t.db.$transaction((tx) => recordAudit(tx, editor, { action: 'test.odd', entity: 'article', entityId: 1, data: { note: 'a\u0000b\ud800c', n: 12345678901234567890n } }));
    const { rows } = await t.query(`select data from audit_events where action = 'test.odd'`);
    assert.deepEqual(rows[0].data, { note: 'a\uFFFDb\uFFFDc', n: '12345678901234567890' });
    assert.equal((await verifyAuditChain(t.db)).ok, true);
  });
});

test('the database hashes exactly what eventHash hashes, for any text (300 random events)', async () => {
  // audit_append concatenates the application's canonical fragments with the id and time it assigns;
  // random strings over quotes, backslashes, control characters, line separators, emoji and CJK check the seams.
  const alphabet = ['a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u0001', '\u001f', '\u007f', '\u2028', 'é', 'e\u0301', '中', '😀', '{', '}', ':', ',', '\ud800', '\u0000'];
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const str = () => Array.from({ length: rnd(12) }, () => alphabet[rnd(alphabet.length)]).join('');
  const inputs = Array.from({ length: 300 }, () => ({
    action: `test.${str()}`,
    entity: str() || 'x',
    entityId: rnd(3) === 0 ? null : str(),
    data: { [str()]: str(), list: [str(), rnd(1000) / 7, null, { [str()]: true }], n: rnd(1e9) },
  }));
  const odd: Actor = { id: null, username: str() || 'u', role: 'system', ip: rnd(2) ? str() : null };
  const ids = await t.db.$transaction((tx) => recordAuditMany(tx, odd, inputs), { timeout: 30_000 });
  const rows = await t.db.auditEvent.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
  assert.equal(rows.length, 300);
  for (const r of rows) assert.equal(r.hash, eventHash(r.prevHash, r, eventTag(key, r)), `event ${r.id} (${JSON.stringify(r.action)})`);
  assert.equal((await verifyAuditChain(t.db)).ok, true);
});

describe('append-only at the database', () => {
  test('UPDATE, DELETE and TRUNCATE as the superuser fail, and nothing changes', async () => {
    await record(2);
    const before = await t.query('select id, hash, data from audit_events order by id');
    await assert.rejects(t.query(`update audit_events set data = '{"forged":true}' where id = $1`, [before.rows[0].id]), /append-only: UPDATE is not allowed/);
    await assert.rejects(t.query('delete from audit_events where id = $1', [before.rows[0].id]), /append-only: DELETE is not allowed/);
    // Refused even when no row matches: the trigger is per statement.
    await assert.rejects(t.query('delete from audit_events where false'), /append-only: DELETE is not allowed/);
    await assert.rejects(t.query('truncate audit_events'), /append-only: TRUNCATE is not allowed/);
    await assert.rejects(t.query('truncate users cascade'), /append-only: TRUNCATE is not allowed/);
    const afterRows = await t.query('select id, hash, data from audit_events order by id');
    assert.deepEqual(afterRows.rows, before.rows);
  });

  test('UPDATE, DELETE and TRUNCATE through Prisma fail', async () => {
    const n = await count();
    const first = await t.db.auditEvent.findFirstOrThrow({ orderBy: { id: 'asc' } });
    await assert.rejects(t.db.auditEvent.update({ where: { id: first.id }, data: { actorName: 'mallory' } }), /append-only: UPDATE is not allowed/);
    await assert.rejects(t.db.auditEvent.updateMany({ data: { actorName: 'mallory' } }), /append-only: UPDATE is not allowed/);
    await assert.rejects(t.db.auditEvent.delete({ where: { id: first.id } }), /append-only: DELETE is not allowed/);
    await assert.rejects(t.db.auditEvent.deleteMany({}), /append-only: DELETE is not allowed/);
    await assert.rejects(t.db.$executeRawUnsafe('TRUNCATE audit_events'), /append-only: TRUNCATE is not allowed/);
    assert.equal(await count(), n);
    assert.equal((await t.db.auditEvent.findUniqueOrThrow({ where: { id: first.id } })).actorName, first.actorName);
  });

  test('session_replication_role = replica does not switch the triggers off', async () => {
    const c = new pg.Client({ connectionString: t.url });
    await c.connect();
    try {
      await c.query('begin');
      await c.query('set local session_replication_role = replica');
      await assert.rejects(c.query('delete from audit_events'), /append-only: DELETE is not allowed/);
      await c.query('rollback');
    } finally {
      await c.end();
    }
  });

  test('a second event chained to the same predecessor is refused (unique prevHash)', async () => {
    const last = await t.db.auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } });
    const fields = { id: last.id + 1000n, at: new Date(), actorId: null, actorName: 'system', action: 'test.fork', entity: 'article', entityId: null, ip: null, data: {} };
    const forkOfPrevious = { ...fields, prevHash: last.prevHash, hash: eventHash(last.prevHash, fields) };
    await assert.rejects(t.db.auditEvent.create({ data: forkOfPrevious }), (e: Error) => /prevHash/.test(e.message));
    assert.equal((await verifyAuditChain(t.db)).ok, true);
  });
});

describe('recordAudit', () => {
  test('refuses the plain client and REPEATABLE READ transactions, writing nothing', async () => {
    const n = await count();
    await assert.rejects(recordAudit(t.db as never, editor, { action: 'test.x', entity: 'article' }), AuditUsageError);
    await assert.rejects(
      t.db.$transaction((tx) => recordAudit(tx, editor, { action: 'test.x', entity: 'article' }), { isolationLevel: 'RepeatableRead' }),
      /READ COMMITTED transaction, not REPEATABLE READ/,
    );
    assert.equal(await count(), n);
  });

  test('an event rolled back with its transaction leaves no trace in the chain', async () => {
    const n = await count();
    await assert.rejects(
      t.db.$transaction(async (tx) => {
        await recordAudit(tx, editor, { action: 'test.rolled_back', entity: 'article' });
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    await record(1);
    assert.equal(await count(), n + 1);
    assert.equal((await verifyAuditChain(t.db)).ok, true);
  });

  test('recordAuditMany chains several events in the order given', async () => {
    const ids = await t.db.$transaction((tx) =>
      recordAuditMany(tx, SYSTEM_ACTOR, [
        { action: 'test.many', entity: 'article', entityId: 1 },
        { action: 'test.many', entity: 'article', entityId: 2 },
        { action: 'test.many', entity: 'article', entityId: 3 },
      ]),
    );
    const rows = await t.db.auditEvent.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
    assert.deepEqual(rows.map((r) => r.entityId), ['1', '2', '3']);
    assert.equal(rows[1].prevHash, rows[0].hash);
    assert.equal(rows[2].prevHash, rows[1].hash);
    assert.equal((await verifyAuditChain(t.db)).ok, true);
  });

  test('recordAuditMany appends thousands of events in one transaction', async () => {
    const n = await count();
    const inputs = Array.from({ length: 2500 }, (_, i) => ({ action: 'test.bulk', entity: 'article', entityId: i, data: { i } }));
    const ids = await t.db.$transaction((tx) => recordAuditMany(tx, SYSTEM_ACTOR, inputs), { timeout: 30_000 });
    assert.equal(ids.length, 2500);
    assert.equal(await count(), n + 2500);
    const r = await verifyAuditChain(t.db, { pageSize: 1000 });
    assert.equal(r.ok, true);
    assert.equal(r.count, n + 2500);
  });

  test('the chain stays valid under concurrent writers: 200 events from 20 parallel transactions', async () => {
    const n = await count();
    const writers = Array.from({ length: 20 }, (_, w) =>
      t.db.$transaction(
        async (tx) => {
          for (let i = 0; i < 10; i++) await recordAudit(tx, editor, { action: 'test.concurrent', entity: 'article', entityId: w, data: { w, i } });
        },
        { maxWait: 30_000, timeout: 30_000 },
      ),
    );
    await Promise.all(writers);
    assert.equal(await count(), n + 200);
    const result = await verifyAuditChain(t.db, { pageSize: 37 });
    assert.deepEqual({ ok: result.ok, count: result.count, firstBroken: result.firstBroken }, { ok: true, count: n + 200, firstBroken: undefined });
    // Ids and times follow the chain order.
    const rows = await t.db.auditEvent.findMany({ orderBy: { id: 'asc' }, select: { at: true } });
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i].at >= rows[i - 1].at, `event ${i} is older than its predecessor`);
  });
});

describe('an application role that does not own the table (docs/security.md, "Database roles")', () => {
  const role = `copydesk_app_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let app: pg.Client;

  before(async () => {
    // The grants of docs/security.md, "Database roles", verbatim apart from the names.
    await t.query(`create role ${role} login password '${password}'`);
    await t.query(`grant usage on schema public to ${role}`);
    await t.query(`grant select, insert, update, delete on all tables in schema public to ${role}`);
    await t.query(`grant usage, select on all sequences in schema public to ${role}`);
    await t.query(`revoke update, delete, truncate on audit_events from ${role}`);
    await t.query(`revoke insert, update, delete, truncate on _prisma_migrations from ${role}`);
    const u = new URL(t.url);
    u.username = role;
    u.password = password;
    app = new pg.Client({ connectionString: u.toString() });
    await app.connect();
  });
  after(async () => {
    await app.end();
    await t.query(`drop owned by ${role}`);
    await t.query(`drop role ${role}`);
  });

  test('can append events through recordAudit, and the chain verifies', async () => {
    const u = new URL(t.url);
    u.username = role;
    u.password = password;
    const db = createDb(u.toString(), { dbPoolSize: 2, dbConnectTimeoutMs: 5000 });
    try {
      await db.$transaction((tx) => recordAudit(tx, editor, { action: 'test.app_role', entity: 'article', entityId: 9 }));
      assert.equal((await verifyAuditChain(db)).ok, true);
    } finally {
      await db.$disconnect();
    }
  });

  test('can read the migration bookkeeping (the server checks for pending migrations) but not change it', async () => {
    const r = await app.query('select count(*)::int as n from _prisma_migrations');
    assert.ok(r.rows[0].n >= 1);
    await assert.rejects(app.query('delete from _prisma_migrations'), /permission denied for table _prisma_migrations/);
  });

  test('cannot update, delete, truncate, or switch the triggers off', async () => {
    await assert.rejects(app.query(`update audit_events set "actorName" = 'x'`), /permission denied for table audit_events/);
    await assert.rejects(app.query('delete from audit_events'), /permission denied for table audit_events/);
    await assert.rejects(app.query('truncate audit_events'), /permission denied for table audit_events/);
    await assert.rejects(app.query('alter table audit_events disable trigger all'), /must be owner of table audit_events/);
    await assert.rejects(app.query('drop table audit_events'), /must be owner of table audit_events/);
  });
});
