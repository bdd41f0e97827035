import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import request from 'supertest';
import { recordAudit, SYSTEM_ACTOR } from '../../server/services/audit';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

let t: TestContext;
let auditor: Awaited<ReturnType<TestContext['loginAs']>>;
let eddieId: number;
let articleId: number;
let revisionId: number;

interface EventRow {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string;
  action: string;
  entity: string;
  entityId: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

const list = (filter: unknown, extra: Record<string, string> = {}) =>
  auditor.get('/api/audit-events').query({ filter: JSON.stringify(filter), range: '[0,99]', ...extra });

before(async () => {
  t = await createTestContext();
  await t.makeUser('ada', 'admin');
  await t.makeUser('audrey', 'auditor');
  eddieId = await t.makeUser('eddie', 'editor');
  await t.makeUser('rita', 'reviewer');
  const a = await makeArticle(t.db, { title: 'Harbour reopens', paragraphs: ['The harbour reopened on Tuesday after repairs.'] });
  articleId = a.id;
  const eddie = await t.loginAs('eddie');
  const saved = await eddie
    .put(`/api/articles/${a.id}`)
    .send({ title: 'Harbour reopens', paragraphs: [{ index: 0, text: 'The harbour opened again on Tuesday after repairs.' }], note: 'idiom', version: 1 });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  revisionId = (await t.db.revision.findFirstOrThrow({ where: { articleId: a.id, number: 2 } })).id;
  await t.db.$transaction((tx) => recordAudit(tx, SYSTEM_ACTOR, { action: 'system.start', entity: 'app', data: { version: '0.1.0' } }));
  auditor = await t.loginAs('audrey');
});
after(() => t.drop());

describe('GET /api/audit-events', () => {
  test('lists events newest first with Content-Range, numeric ids and the stored hashes', async () => {
    const res = await auditor.get('/api/audit-events');
    assert.equal(res.status, 200);
    const rows = res.body as EventRow[];
    const total = await t.db.auditEvent.count();
    assert.equal(res.headers['content-range'], `audit-events 0-${rows.length - 1}/${total}`);
    assert.deepEqual(
      rows.map((r) => r.action),
      ['auth.login', 'system.start', 'article.save', 'auth.login'],
    );
    assert.equal(typeof rows[0].id, 'number');
    assert.ok(rows[0].id > rows[1].id);
    assert.equal(rows[1].actorName, 'system');
    assert.equal(rows[1].actorId, null);
    assert.deepEqual(rows[1].data, { version: '0.1.0' });
    assert.equal(rows[0].prevHash, rows[1].hash);
  });

  test('filters by actor, action (one or many), entity, entityId, time window, q and id; sorts by at', async () => {
    const byActor = await list({ actorId: eddieId });
    assert.deepEqual((byActor.body as EventRow[]).map((r) => r.action), ['article.save', 'auth.login']);
    const system = await list({ actorId: null });
    assert.deepEqual((system.body as EventRow[]).map((r) => r.action), ['system.start']);
    const byName = await list({ actorName: 'audrey' });
    assert.deepEqual((byName.body as EventRow[]).map((r) => r.action), ['auth.login']);
    const byPrefix = await list({ actorName: 'EDD' });
    assert.deepEqual((byPrefix.body as EventRow[]).map((r) => r.actorName), ['eddie', 'eddie']);
    const byNames = await list({ actorName: ['eddie', 'system'] });
    assert.deepEqual((byNames.body as EventRow[]).map((r) => r.action), ['system.start', 'article.save', 'auth.login']);
    const noPartialInList = await list({ actorName: ['edd'] });
    assert.deepEqual(noPartialInList.body, []);
    const oneAction = await list({ action: 'article.save' });
    assert.equal(oneAction.body.length, 1);
    assert.equal(oneAction.headers['content-range'], 'audit-events 0-0/1');
    const actions = await list({ action: ['article.save', 'system.start'] });
    assert.deepEqual((actions.body as EventRow[]).map((r) => r.action), ['system.start', 'article.save']);
    const entity = await list({ entity: 'article', entityId: articleId });
    assert.deepEqual((entity.body as EventRow[]).map((r) => [r.action, r.entityId]), [['article.save', String(articleId)]]);
    const none = await list({ entity: 'article', entityId: String(articleId + 1) });
    assert.deepEqual(none.body, []);
    assert.equal(none.headers['content-range'], 'audit-events 0-0/0');

    const all = (await list({})).body as EventRow[];
    const save = all.find((r) => r.action === 'article.save')!;
    const window = await list({ at_gte: save.at, at_lte: save.at, action: 'article.save' });
    assert.deepEqual((window.body as EventRow[]).map((r) => r.id), [save.id]);
    const future = await list({ at_gte: '2999-01-01' });
    assert.deepEqual(future.body, []);
    const today = new Date().toISOString().slice(0, 10);
    const wholeDay = await list({ at_lte: today }); // a bare date includes that whole day
    assert.equal(wholeDay.body.length, all.length);

    const q = await list({ q: 'ART' });
    assert.deepEqual((q.body as EventRow[]).map((r) => r.action), ['article.save']);
    const qActor = await list({ q: 'edd' });
    assert.deepEqual((qActor.body as EventRow[]).map((r) => r.actorName), ['eddie', 'eddie']);

    const many = await list({ id: [save.id, all[0].id] });
    assert.deepEqual((many.body as EventRow[]).map((r) => r.id).sort(), [save.id, all[0].id].sort());

    const asc = await list({}, { sort: JSON.stringify(['at', 'ASC']) });
    assert.deepEqual((asc.body as EventRow[]).map((r) => r.id), all.map((r) => r.id).reverse());
    const page = await list({}, { sort: JSON.stringify(['id', 'ASC']), range: '[1,2]' });
    assert.deepEqual((page.body as EventRow[]).map((r) => r.id), all.map((r) => r.id).reverse().slice(1, 3));
    assert.equal(page.headers['content-range'], `audit-events 1-2/${all.length}`);
  });

  test('bad filters and sorts answer 400 naming the problem', async () => {
    const n = await t.db.auditEvent.count();
    const bad = await list({ at_gte: '2026-02-30' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /filter\.at_gte: "2026-02-30" is not a date/);
    const unknown = await list({ hash: 'abc' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /filter/);
    const sort = await list({}, { sort: JSON.stringify(['actorName', 'ASC']) });
    assert.equal(sort.status, 400);
    assert.match(sort.body.error.message, /Cannot sort by "actorName"; sortable fields: id, at/);
    assert.equal(await t.db.auditEvent.count(), n);
  });
});

describe('GET /api/audit-events/:id', () => {
  test('an article.save event comes with the revision it wrote: number, diffs and stats', async () => {
    const save = (await list({ action: 'article.save' })).body[0] as EventRow;
    const res = await auditor.get(`/api/audit-events/${save.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, save.id);
    assert.equal(res.body.action, 'article.save');
    assert.equal(res.body.data.revisionId, revisionId);
    assert.equal(res.body.revision.id, revisionId);
    assert.equal(res.body.revision.number, 2);
    assert.equal(res.body.revision.note, 'idiom');
    assert.deepEqual(res.body.revision.diffs.paragraphs[0].prev.parts, [
      { op: 'eq', text: 'The harbour ' },
      { op: 'del', text: 'reopened' },
      { op: 'ins', text: 'opened again' },
      { op: 'eq', text: ' on Tuesday after repairs.' },
    ]);
    assert.equal(res.body.revision.stats.mt.editRate, res.body.data.editRate);
  });

  test('other events have revision null; unknown ids answer 404, malformed ones 400', async () => {
    const login = (await list({ action: 'auth.login' })).body[0] as EventRow;
    const res = await auditor.get(`/api/audit-events/${login.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.revision, null);
    assert.equal((await auditor.get('/api/audit-events/999999')).status, 404);
    assert.equal((await auditor.get('/api/audit-events/abc')).status, 400);
  });
});

describe('GET /api/audit-events/verify', () => {
  test('reports an intact chain, then the first broken event after tampering', async () => {
    const ok = await auditor.get('/api/audit-events/verify');
    assert.equal(ok.status, 200);
    const count = await t.db.auditEvent.count();
    const last = await t.db.auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } });
    assert.deepEqual(ok.body, {
      ok: true,
      count,
      lastHash: last.hash,
      lastId: Number(last.id),
      keyId: last.keyId,
      unkeyedCount: 0,
      // The server's checkpoint file; nothing has written a checkpoint of this database yet.
      checkpoints: { file: t.config.auditCheckpointFile, count: 0, latest: null },
      warnings: [],
    });

    const victim = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'article.save' } });
    const c = new pg.Client({ connectionString: t.url });
    await c.connect();
    try {
      await c.query('begin');
      await c.query('alter table audit_events disable trigger user');
      await c.query(`update audit_events set "actorName" = 'rita' where id = $1`, [victim.id]);
      await c.query('alter table audit_events enable always trigger audit_events_no_update_delete');
      await c.query('alter table audit_events enable always trigger audit_events_no_truncate');
      await c.query('commit');
    } finally {
      await c.end();
    }
    const broken = await auditor.get('/api/audit-events/verify');
    assert.equal(broken.status, 200);
    assert.equal(broken.body.ok, false);
    assert.equal(broken.body.firstBroken.id, Number(victim.id));
    assert.equal(broken.body.firstBroken.problem, 'changed');
    assert.match(broken.body.firstBroken.detail, /does not match its contents/);
    assert.deepEqual(broken.body.warnings, []);
  });

  test('warns when the append-only triggers are disabled, or no longer fire ALWAYS', async () => {
    await t.query('alter table audit_events disable trigger audit_events_no_truncate');
    // DISABLE then ENABLE TRIGGER leaves the trigger in ORIGIN mode, which a replica session skips.
    await t.query('alter table audit_events disable trigger audit_events_no_update_delete');
    await t.query('alter table audit_events enable trigger audit_events_no_update_delete');
    try {
      const res = await auditor.get('/api/audit-events/verify');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.warnings, [
        'the trigger audit_events_no_update_delete does not fire ALWAYS: a session with session_replication_role = replica bypasses it (ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_no_update_delete)',
        'the trigger audit_events_no_truncate is disabled: TRUNCATE of audit events is not refused (ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_no_truncate)',
      ]);
    } finally {
      await t.query('alter table audit_events enable always trigger audit_events_no_update_delete');
      await t.query('alter table audit_events enable always trigger audit_events_no_truncate');
    }
    assert.deepEqual((await auditor.get('/api/audit-events/verify')).body.warnings, []);
  });
});

describe('who may read the audit log', () => {
  test('auditors and admins may; editors and reviewers get 403; anonymous 401', async () => {
    const admin = await t.loginAs('ada');
    for (const path of ['/api/audit-events', '/api/audit-events/verify', '/api/audit-events/1']) {
      assert.equal((await auditor.get(path)).status, 200, path);
      assert.equal((await admin.get(path)).status, 200, path);
      for (const who of ['eddie', 'rita']) {
        const res = await (await t.loginAs(who)).get(path);
        assert.equal(res.status, 403, `${who} ${path}`);
        assert.match(res.body.error.message, /needs the "audit\.read" permission/);
      }
      assert.equal((await request(t.app).get(path)).status, 401, path);
    }
  });
});
