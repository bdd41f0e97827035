import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { recomputeHash } from '../../server/services/auditVerify';
import { exportBatch } from '../../server/services/export/exportBatch';
import { auditKeyFromHex } from '../../server/services/audit';
import { createTestContext, type TestContext } from '../helpers/app';
import { TEST_AUDIT_KEY, TEST_CHECKPOINT_FILE } from '../helpers/db';
import { makeArticle } from '../helpers/factories';
import { runScript, type ScriptRun } from '../helpers/runScript';

let t: TestContext;
let outDir: string;
let articleId: number;
let saveEventId: number;

function cli(...args: string[]): Promise<ScriptRun> {
  return runScript('audit', t.url, ...args);
}

/** Runs SQL as the superuser with the append-only triggers off, then puts them back exactly as the migrations leave them. */
async function tamper(statements: Array<[string, unknown[]?]>): Promise<void> {
  const c = new pg.Client({ connectionString: t.url });
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

async function auditCount(): Promise<number> {
  return Number((await t.query<{ n: string }>('select count(*) as n from audit_events')).rows[0].n);
}

before(async () => {
  t = await createTestContext();
  outDir = mkdtempSync(path.join(tmpdir(), 'copydesk-audit-cli-'));
  await t.makeUser('eddie', 'editor');
  await t.makeUser('rita', 'reviewer');
  const adaId = await t.makeUser('ada', 'admin');

  // A known history: import, one save, submit, approve, export.
  const a = await makeArticle(t.db, {
    title: 'Council approves budget',
    externalId: 'ext-audit-1',
    paragraphs: ['The council approved the new budget on Monday.', 'Opposition members said the plan lacked detail.'],
  });
  articleId = a.id;
  const eddie = await t.loginAs('eddie');
  const saved = await eddie.put(`/api/articles/${a.id}`).send({
    title: 'Council passes budget',
    paragraphs: [
      { index: 0, text: 'The council passed the new budget on Monday.' },
      { index: 1, text: 'Opposition members said the plan lacked detail.' },
    ],
    note: 'stronger verb',
    version: a.version,
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const submitted = await eddie.post(`/api/articles/${a.id}/transitions`).send({ to: 'in_review', note: 'ready for review', version: saved.body.version });
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  const rita = await t.loginAs('rita');
  const approved = await rita.post(`/api/articles/${a.id}/transitions`).send({ to: 'approved', note: 'looks good', version: submitted.body.version });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  await exportBatch(t.db, { outDir, format: 'json', ids: [a.id] }, { id: adaId, username: 'ada', role: 'admin' });
  saveEventId = Number((await t.db.auditEvent.findFirstOrThrow({ where: { action: 'article.save' } })).id);
});
after(async () => {
  rmSync(outDir, { recursive: true, force: true });
  await t.drop();
});

describe('npm run audit -- report --article', () => {
  test('prints the timeline: import, the save with its note, edit rate and word diff, each status change, the export', async () => {
    const r = await cli('report', '--article', String(articleId));
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], `Article #${articleId} (ext-audit-1) "Council passes budget": exported, 2 revisions`);
    const at = (re: RegExp) => {
      const i = lines.findIndex((l) => re.test(l));
      assert.ok(i >= 0, `no line matches ${re}:\n${r.stdout}`);
      return i;
    };
    const T = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC  ';
    const imported = at(new RegExp(`^${T}Imported as revision 1 by system: 2 paragraphs, 17 words$`));
    const save = at(new RegExp(`^${T}Saved revision 2 by Eddie \\(eddie\\) \\[audit #${saveEventId}\\]$`));
    assert.equal(lines[save + 1], '    note: stronger verb');
    assert.equal(lines[save + 2], '    edit rate 5.9% against the MT; this save: 0 inserted, 0 deleted, 1 substituted words');
    assert.equal(lines[save + 3], '    title: Council [-approves-][+passes+] budget');
    assert.equal(lines[save + 4], '    ¶1: The council [-approved-][+passed+] the new budget on Monday.');
    const toEdit = at(new RegExp(`^${T}Status mt_draft → in_edit by Eddie \\(eddie\\) at revision 2$`));
    const toReview = at(new RegExp(`^${T}Status in_edit → in_review by Eddie \\(eddie\\) at revision 2: "ready for review"$`));
    const toApproved = at(new RegExp(`^${T}Status in_review → approved by Rita \\(rita\\) at revision 2: "looks good"$`));
    const exported = at(new RegExp(`^${T}Exported revision 2 by Ada \\(ada\\) \\(export batch #\\d+, json\\): \\S+ sha256 [0-9a-f]{12}…$`));
    const toExported = at(new RegExp(`^${T}Status approved → exported by Ada \\(ada\\) at revision 2`));
    assert.ok(imported < save && save < toEdit && toEdit < toReview && toReview < toApproved && toApproved < Math.min(exported, toExported), r.stdout);
    // Paragraph 2 did not change, so it is not listed.
    assert.doesNotMatch(r.stdout, /¶2/);
  });

  test('the article can be named by its external id; --color paints insertions green and deletions red', async () => {
    const r = await cli('report', '--article', 'ext-audit-1', '--color');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes('    ¶1: The council \u001b[31mapproved\u001b[0m\u001b[32mpassed\u001b[0m the new budget on Monday.'), r.stdout);
    assert.doesNotMatch(r.stdout, /\[\+|\[-/);
  });

  test('--format json and csv carry the same timeline; --user narrows it to one person', async () => {
    const [json, csv, mine] = await Promise.all([
      cli('report', '--article', String(articleId), '--format', 'json'),
      cli('report', '--article', String(articleId), '--format', 'csv'),
      cli('report', '--article', String(articleId), '--user', 'rita'),
    ]);
    assert.equal(json.code, 0, json.stderr);
    const doc = JSON.parse(json.stdout) as { article: { id: number }; entries: Array<{ type: string; number?: number; note?: string; to?: string; diffs?: unknown[] }> };
    assert.equal(doc.article.id, articleId);
    const kinds = doc.entries.map((e) => (e.type === 'status' ? `status:${e.to}` : e.type));
    for (const k of ['import', 'revision', 'status:in_edit', 'status:in_review', 'status:approved', 'status:exported', 'export']) assert.ok(kinds.includes(k), `${k} missing in ${kinds.join(',')}`);
    const rev = doc.entries.find((e) => e.type === 'revision')!;
    assert.equal(rev.note, 'stronger verb');
    assert.equal(rev.diffs?.length, 2);

    assert.equal(csv.code, 0, csv.stderr);
    const rows = csv.stdout.split('\r\n');
    assert.equal(rows[0], 'at,type,actor,revision,from,to,editRate,note,auditEventId,detail');
    assert.ok(
      rows.some((l) => l.endsWith(`,edit,Eddie (eddie),2,,,0.0588,stronger verb,${saveEventId},title: Council [-approves-][+passes+] budget | ¶1: The council [-approved-][+passed+] the new budget on Monday.`)),
      csv.stdout,
    );

    assert.equal(mine.code, 0, mine.stderr);
    assert.match(mine.stdout, /Showing what rita did: 1 entry/);
    assert.match(mine.stdout, /Status in_review → approved by Rita \(rita\)/);
    assert.doesNotMatch(mine.stdout, /Saved revision/);
  });
});

describe('npm run audit -- report --user', () => {
  test('lists everything the user did, with details, in the window', async () => {
    const r = await cli('report', '--user', 'eddie', '--since', '2000-01-01');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^Activity of Eddie \(eddie, editor\) from 2000-01-01 00:00:00 UTC to now$/);
    const T = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC';
    assert.ok(lines.some((l) => new RegExp(`^${T}  #\\d+  auth\\.login  user #\\d+ \\[`).test(l)), r.stdout);
    const save = lines.findIndex((l) =>
      new RegExp(`^${T}  #${saveEventId}  article\\.save  article #${articleId} "Council passes budget": revision 2, edit rate 5\\.9%, 0 inserted, 0 deleted, 1 substituted`).test(l),
    );
    assert.ok(save > 0, r.stdout);
    assert.equal(lines[save + 1], '    note: stronger verb');
    const submit = lines.findIndex((l) => new RegExp(`^${T}  #\\d+  article\\.transition  article #${articleId} "Council passes budget": in_edit → in_review "ready for review" \\[127\\.0\\.0\\.1\\]$`).test(l));
    assert.ok(submit > save, r.stdout);
    assert.equal(lines[submit + 1], '', 'the revision note belongs to the save, not to the transition');
    assert.equal(lines.at(-1), '3 events');
    // Nothing by others.
    assert.doesNotMatch(r.stdout, /rita|approved "looks good"/);
  });

  test('an empty window says so; csv and json stream the same events', async () => {
    const [empty, csv, json] = await Promise.all([
      cli('report', '--user', 'eddie', '--until', '2000-01-01'),
      cli('report', '--user', 'eddie', '--format', 'csv'),
      cli('report', '--user', 'eddie', '--format', 'json'),
    ]);
    assert.equal(empty.code, 0, empty.stderr);
    assert.equal(empty.stdout.trimEnd().split('\n').at(-1), '0 events');
    assert.equal(csv.code, 0, csv.stderr);
    const rows = csv.stdout.split('\r\n').filter(Boolean);
    assert.equal(rows[0], 'id,at,actorId,actorName,action,entity,entityId,articleId,articleTitle,revisionNumber,revisionNote,ip,data');
    assert.deepEqual(rows.slice(1).map((l) => l.split(',')[4]), ['auth.login', 'article.save', 'article.transition']);
    const doc = JSON.parse(json.stdout) as { subject: { username: string }; events: Array<{ id: number; action: string; revision: { number: number } | null }> };
    assert.equal(doc.subject.username, 'eddie');
    assert.deepEqual(doc.events.map((e) => e.action), ['auth.login', 'article.save', 'article.transition']);
    assert.equal(doc.events[1].id, saveEventId);
    assert.equal(doc.events[1].revision?.number, 2);
  });

  test('bad input is refused with a clear message, exit 2, and nothing written', async () => {
    const n = await auditCount();
    const cases: Array<[string[], RegExp]> = [
      [['report', '--article', '999999'], /^error: No article has the id or external id "999999"\.$/m],
      [['report', '--user', 'nobody'], /^error: No user is called "nobody"\.$/m],
      [['report', '--article', String(articleId), '--user', 'nobody'], /^error: No user is called "nobody"\.$/m],
      [['report', '--user', 'eddie', '--since', '2026-13-01'], /^error: --since: "2026-13-01" is not a date/m],
      [['report', '--until', 'yesterday'], /^error: --until: "yesterday" is not a date/m],
      [['report', '--since', '2026-11-02', '--until', '2026-11-01'], /^error: --since is after --until$/m],
      [['report', '--format', 'xml'], /^error: unknown format "xml"; expected one of: text, json, csv$/m],
      [['report', '--article'], /^error: --article needs a value$/m],
      [['frobnicate'], /^error: unknown command "frobnicate"/m],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli(...args)));
    runs.forEach((r, i) => {
      assert.equal(r.code, 2, `${cases[i][0].join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, cases[i][1]);
      assert.equal(r.stdout, '');
    });
    assert.equal(await auditCount(), n);
  });
});

describe('npm run audit -- verify', () => {
  test('an intact chain: exit 0 with the count and the last hash, checked against the checkpoints and anchored by a new one', async () => {
    const last = await t.db.auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } });
    const n = await auditCount();
    const r = await cli('verify');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[0], `Audit chain intact: ${n} events, last hash ${last.hash} (event #${last.id}).`);
    // Nothing anchored this database's chain before (report commands write nothing).
    assert.equal(lines[1], `No earlier checkpoints in ${TEST_CHECKPOINT_FILE} to compare with.`);
    assert.equal(lines[2], `Checkpoint written: event #${last.id} hash ${last.hash}.`);
    const again = await cli('verify');
    assert.match(again.stdout.split('\n')[1], new RegExp(`^Consistent with the 1 checkpoints in ${TEST_CHECKPOINT_FILE.replace(/[.]/g, '\\.')} \\(newest: event #${last.id} hash ${last.hash} \\(verify, `));
    const j = await cli('verify', '--json');
    assert.equal(j.code, 0);
    const doc = JSON.parse(j.stdout);
    assert.deepEqual(
      { ...doc, checkpoints: undefined, checkpointWritten: undefined },
      { ok: true, count: n, lastHash: last.hash, lastId: Number(last.id), keyId: auditKeyFromHex(TEST_AUDIT_KEY).id, unkeyedCount: 0, warnings: [], checkpoints: undefined, checkpointWritten: undefined },
    );
    assert.deepEqual({ file: doc.checkpoints.file, count: doc.checkpoints.count, id: doc.checkpoints.latest.id }, { file: TEST_CHECKPOINT_FILE, count: 2, id: last.id.toString() });
    assert.deepEqual({ id: doc.checkpointWritten.id, hash: doc.checkpointWritten.hash, source: doc.checkpointWritten.source }, { id: last.id.toString(), hash: last.hash, source: 'verify' });
    // The tests connect as the superuser, which verify points out (on stderr, so --json stays one document).
    assert.match(j.stderr, /^warning: the application connects as the superuser "[^"]+", which can disable the audit log's append-only triggers/);
  });

  test('deleting the newest events leaves a valid shorter chain, which the checkpoints catch', async () => {
    const rows = await t.db.auditEvent.findMany({ orderBy: { id: 'desc' }, take: 2 });
    assert.equal((await cli('verify')).code, 0); // anchors the current head
    await tamper([['delete from audit_events where id >= $1', [rows[1].id]]]);
    try {
      const r = await cli('verify');
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, new RegExp(`^Audit chain BROKEN at event #${rows[0].id}: checkpoint: the chain ends at event #\\d+, but the checkpoint on line \\d+ of \\S+ recorded event #${rows[0].id} hash ${rows[0].hash} \\(verify, [^)]+\\): the newest events were deleted\\.$`, 'm'));
    } finally {
      await tamper(
        [...rows].reverse().map((v) => [
          'insert into audit_events (id, at, "actorId", "actorName", action, entity, "entityId", ip, data, "prevHash", hash, "keyId") values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)',
          [v.id, v.at, v.actorId, v.actorName, v.action, v.entity, v.entityId, v.ip, JSON.stringify(v.data), v.prevHash, v.hash, v.keyId],
        ]),
      );
    }
    assert.equal((await cli('verify')).code, 0);
  });

  test('an altered event is reported as changed, at that event', async () => {
    const victim = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'article.save' } });
    await tamper([[`update audit_events set data = jsonb_set(data, '{editRate}', '0') where id = $1`, [victim.id]]]);
    try {
      const r = await cli('verify');
      assert.equal(r.code, 1);
      assert.match(r.stdout, new RegExp(`^Audit chain BROKEN at event #${victim.id}: changed: its stored hash ${victim.hash.slice(0, 12)}… does not match its contents`));
      const j = await cli('verify', '--json');
      assert.equal(j.code, 1);
      const doc = JSON.parse(j.stdout);
      assert.equal(doc.ok, false);
      assert.deepEqual({ id: doc.firstBroken.id, problem: doc.firstBroken.problem }, { id: Number(victim.id), problem: 'changed' });
    } finally {
      await tamper([[`update audit_events set data = $2 where id = $1`, [victim.id, JSON.stringify(victim.data)]]]);
    }
    assert.equal((await cli('verify')).code, 0);
  });

  test('a deleted event is reported as missing, at the event after it', async () => {
    const rows = await t.db.auditEvent.findMany({ orderBy: { id: 'asc' } });
    const victim = rows[3];
    const next = rows[4];
    await tamper([['delete from audit_events where id = $1', [victim.id]]]);
    try {
      const r = await cli('verify');
      assert.equal(r.code, 1);
      assert.match(r.stdout, new RegExp(`^Audit chain BROKEN at event #${next.id}: missing: its prevHash ${victim.hash.slice(0, 12)}… matches no event; it should be the hash of event #${rows[2].id}: an event before it was deleted\\.$`, 'm'));
      assert.match(r.stdout, /^The 3 events before it are intact; nothing after it was checked\.$/m);
    } finally {
      await tamper([
        [
          'insert into audit_events (id, at, "actorId", "actorName", action, entity, "entityId", ip, data, "prevHash", hash, "keyId") values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)',
          [victim.id, victim.at, victim.actorId, victim.actorName, victim.action, victim.entity, victim.entityId, victim.ip, JSON.stringify(victim.data), victim.prevHash, victim.hash, victim.keyId],
        ],
      ]);
    }
    assert.equal((await cli('verify')).code, 0);
  });

  test('events whose chain order differs from their id order are reported as reordered', async () => {
    // Rewrite the last two events as if the newer one had been chained first,
    // with every hash recomputed so that no row looks altered.
    const rows = await t.db.auditEvent.findMany({ orderBy: { id: 'asc' } });
    const [a, b, c] = rows.slice(-3); // c chained after b after a
    const cFirst = { ...c, prevHash: a.hash };
    cFirst.hash = recomputeHash(cFirst);
    const bSecond = { ...b, prevHash: cFirst.hash };
    bSecond.hash = recomputeHash(bSecond);
    const set = 'update audit_events set "prevHash" = $2, hash = $3 where id = $1';
    // In this order, so that no two rows ever share a prevHash (it is unique).
    await tamper([
      [set, [b.id, bSecond.prevHash, bSecond.hash]],
      [set, [c.id, cFirst.prevHash, cFirst.hash]],
    ]);
    try {
      const r = await cli('verify', '--json');
      assert.equal(r.code, 1);
      const doc = JSON.parse(r.stdout);
      assert.deepEqual(doc.firstBroken, {
        id: Number(b.id),
        problem: 'reordered',
        detail: `its prevHash is the hash of event #${c.id}, not the hash of event #${a.id}: the events are out of order`,
      });
      assert.equal(doc.count, rows.length - 1);
    } finally {
      await tamper([
        [set, [c.id, c.prevHash, c.hash]],
        [set, [b.id, b.prevHash, b.hash]],
      ]);
    }
    assert.equal((await cli('verify')).code, 0);
  });
});
