import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { PrismaClient } from '../../server/db/client';
import type { Actor } from '../../server/services/audit';
import { verifyAuditChain } from '../../server/services/auditVerify';
import { exportBatch } from '../../server/services/export/exportBatch';
import { MANIFEST_NAME, sha256Hex, verifyExport, type Manifest } from '../../server/services/export/manifest';
import { buildRevisionData } from '../../server/services/revisionData';
import { createTestContext, type TestContext } from '../helpers/app';
import { assertValidXliff } from '../helpers/xliffSchema';

// Local factory (the shared one is being written): an article approved at
// revision 2, optionally edited after the approval (revision 3, in_edit, the
// approval still pinned to revision 2).
interface ApprovedSpec {
  mtTitle?: string;
  mt?: string[];
  title: string;
  paragraphs: string[];
  sources?: (string | null)[];
  sourceTitle?: string | null;
  externalId?: string | null;
  authorId: number;
  approverId: number;
  approvedAt?: Date;
  editedAfter?: { title: string; paragraphs: string[] };
  status?: 'approved' | 'exported' | 'archived';
}

async function makeApproved(db: PrismaClient, s: ApprovedSpec) {
  const mt = { title: s.mtTitle ?? `MT ${s.title}`, paragraphs: s.mt ?? s.paragraphs.map((p) => `MT ${p}`) };
  const approved = { title: s.title, paragraphs: s.paragraphs };
  const current = s.editedAfter ?? approved;
  const article = await db.article.create({
    data: {
      externalId: s.externalId === undefined ? `ext-${randomBytes(4).toString('hex')}` : s.externalId,
      contentHash: randomBytes(32).toString('hex'),
      title: current.title,
      mtTitle: mt.title,
      sourceTitle: s.sourceTitle ?? null,
      sourceLang: 'de',
      targetLang: 'en',
      metadata: { section: 'world' },
      status: 'mt_draft',
      paragraphs: { create: current.paragraphs.map((text, position) => ({ position, mt: mt.paragraphs[position], text, source: s.sources?.[position] ?? null })) },
    },
  });
  const r1 = await db.revision.create({ data: { articleId: article.id, number: 1, kind: 'import', ...buildRevisionData(null, mt, mt) } as never });
  const r2 = await db.revision.create({ data: { articleId: article.id, number: 2, articleVersion: 2, kind: 'edit', authorId: s.authorId, ...buildRevisionData(mt, approved, mt) } as never });
  let count = 2;
  if (s.editedAfter) {
    await db.revision.create({ data: { articleId: article.id, number: 3, articleVersion: 3, kind: 'edit', authorId: s.authorId, ...buildRevisionData(approved, s.editedAfter, mt) } as never });
    count = 3;
  }
  await db.article.update({
    where: { id: article.id },
    data: {
      status: s.editedAfter ? 'in_edit' : (s.status ?? 'approved'),
      approvedRevisionId: r2.id,
      approvedById: s.approverId,
      approvedAt: s.approvedAt ?? new Date(),
      revisionCount: count,
      version: count,
    },
  });
  void r1;
  return { id: article.id, approvedRevisionId: r2.id, approvedRevisionNumber: 2 };
}

let t: TestContext;
let editor: number;
let reviewer: number;
let admin: Actor;
let work: string;

before(async () => {
  t = await createTestContext();
  editor = await t.makeUser('edna', 'editor');
  reviewer = await t.makeUser('rita', 'reviewer');
  const adminId = await t.makeUser('ada', 'admin');
  admin = { id: adminId, username: 'ada', role: 'admin', ip: 'test' };
  work = await mkdtemp(path.join(tmpdir(), 'copydesk-export-'));
});
after(async () => {
  await t.drop();
  await rm(work, { recursive: true, force: true });
});

async function resetArticles() {
  await t.query('delete from export_batches');
  await t.query('delete from articles');
}

async function dbState() {
  const batches = await t.query('select count(*)::int as n from export_batches');
  const items = await t.query('select count(*)::int as n from export_items');
  const exportedChanges = await t.query(`select count(*)::int as n from status_changes where "toStatus" = 'exported'`);
  const exported = await t.query(`select count(*)::int as n from articles where status = 'exported'`);
  return { batches: batches.rows[0].n, items: items.rows[0].n, statusChanges: exportedChanges.rows[0].n, exportedArticles: exported.rows[0].n };
}

async function chainIsIntact(): Promise<boolean> {
  return (await verifyAuditChain(t.db)).ok;
}

describe('exportBatch', () => {
  test('exports the approved text, records the batch, moves approved → exported and audits it', async () => {
    await resetArticles();
    const a = await makeApproved(t.db, { title: 'Storm hits the coast', paragraphs: ['Winds reached 120 km/h.', 'Schools are closed.'], sources: ['Winde erreichten 120 km/h.', 'Schulen sind geschlossen.'], sourceTitle: 'Sturm trifft die Küste', authorId: editor, approverId: reviewer });
    const out = path.join(work, 'basic');
    const report = await exportBatch(t.db, { outDir: out, format: 'text' }, admin);

    assert.equal(report.exported.length, 1);
    assert.ok(report.batchId);
    const file = path.join(out, `${a.id}-storm-hits-the-coast.txt`);
    assert.equal(await readFile(file, 'utf8'), 'Storm hits the coast\n\nWinds reached 120 km/h.\n\nSchools are closed.\n');

    const article = await t.db.article.findUniqueOrThrow({ where: { id: a.id } });
    assert.equal(article.status, 'exported');
    assert.ok(article.exportedAt);
    const changes = await t.db.statusChange.findMany({ where: { articleId: a.id } });
    assert.deepEqual(
      changes.map((c) => ({ from: c.fromStatus, to: c.toStatus, actor: c.actorId, note: c.note, rev: c.revisionId })),
      [{ from: 'approved', to: 'exported', actor: admin.id, note: `export batch ${report.batchId}`, rev: a.approvedRevisionId }],
    );
    const batch = await t.db.exportBatch.findUniqueOrThrow({ where: { id: report.batchId! }, include: { items: true } });
    assert.equal(batch.status, 'completed');
    assert.equal(batch.format, 'text');
    assert.equal(batch.outDir, out);
    assert.equal(batch.articleCount, 1);
    assert.equal(batch.exporterId, admin.id);
    assert.equal(batch.manifestSha256, sha256Hex(await readFile(path.join(out, MANIFEST_NAME))));
    assert.deepEqual(
      batch.items.map((i) => ({ article: i.articleId, rev: i.revisionId, path: i.path, sha: i.sha256 })),
      [{ article: a.id, rev: a.approvedRevisionId, path: path.basename(file), sha: sha256Hex(await readFile(file)) }],
    );

    const events = await t.db.auditEvent.findMany({ where: { action: { in: ['article.export', 'export.batch'] } }, orderBy: { id: 'asc' } });
    assert.deepEqual(events.map((e) => [e.action, e.entityId, e.actorName]), [
      ['article.export', String(a.id), 'ada'],
      ['export.batch', String(report.batchId), 'ada'],
    ]);
    assert.equal((events[0].data as { revisionId: number }).revisionId, a.approvedRevisionId);
    assert.equal(await chainIsIntact(), true);

    const manifest = JSON.parse(await readFile(path.join(out, MANIFEST_NAME), 'utf8')) as Manifest;
    assert.equal(manifest.batchId, report.batchId);
    assert.equal(manifest.format, 'text');
    assert.equal(manifest.exporter, 'ada');
    assert.deepEqual(manifest.files.map((f) => ({ ...f, approvedAt: typeof f.approvedAt })), [
      { file: path.basename(file), sha256: sha256Hex(await readFile(file)), bytes: (await readFile(file)).length, articleId: a.id, revisionId: a.approvedRevisionId, revisionNumber: 2, approver: 'rita', approvedAt: 'string', batchId: report.batchId },
    ]);
    assert.deepEqual((await readdir(out)).sort(), [path.basename(file), MANIFEST_NAME].sort());
    assert.equal((await verifyExport(out)).ok, true);
  });

  test('a second run exports nothing and says so; nothing new is recorded', async () => {
    await resetArticles();
    await makeApproved(t.db, { title: 'Once only', paragraphs: ['Text.'], authorId: editor, approverId: reviewer });
    const out = path.join(work, 'idempotent');
    const first = await exportBatch(t.db, { outDir: out, format: 'json' }, admin);
    assert.equal(first.exported.length, 1);
    const manifestBefore = await readFile(path.join(out, MANIFEST_NAME), 'utf8');
    const before = await dbState();
    const second = await exportBatch(t.db, { outDir: out, format: 'json' }, admin);
    assert.equal(second.exported.length, 0);
    assert.equal(second.batchId, null);
    assert.match(second.message, /^Nothing to export/);
    assert.deepEqual(await dbState(), before);
    assert.equal(await readFile(path.join(out, MANIFEST_NAME), 'utf8'), manifestBefore);
  });

  test('an edit after approval is not exported; with --all its pinned revision is, with a note, and it stays in_edit', async () => {
    await resetArticles();
    const a = await makeApproved(t.db, {
      title: 'Approved headline',
      paragraphs: ['The approved sentence.'],
      editedAfter: { title: 'Unapproved headline', paragraphs: ['An unapproved rewrite.'] },
      authorId: editor,
      approverId: reviewer,
    });
    const out = path.join(work, 'edited');
    const plain = await exportBatch(t.db, { outDir: out, format: 'json' }, admin);
    assert.equal(plain.exported.length, 0);
    assert.equal(plain.pendingEdits, 1);
    assert.match(plain.message, /1 article has unapproved edits since approval.*--all/);
    assert.deepEqual(await readdir(out), []);

    const withAll = await exportBatch(t.db, { outDir: out, format: 'json', all: true }, admin);
    assert.equal(withAll.exported.length, 1);
    const item = withAll.exported[0];
    assert.equal(item.note, 'exported the approved revision 2; the article has unapproved edits since');
    assert.equal(item.from, 'in_edit');
    assert.equal(item.to, 'in_edit');
    const json = JSON.parse(await readFile(path.join(out, item.file), 'utf8'));
    assert.equal(item.file, `${a.id}-approved-headline.json`);
    assert.equal(json.title, 'Approved headline');
    assert.deepEqual(json.paragraphs, ['The approved sentence.']);
    assert.deepEqual(json.revision, { id: a.approvedRevisionId, number: 2 });
    const article = await t.db.article.findUniqueOrThrow({ where: { id: a.id } });
    assert.equal(article.status, 'in_edit');
    assert.equal(article.version, 3, 'the edited article row is left alone');
    assert.equal(await t.db.statusChange.count({ where: { articleId: a.id } }), 0);
    const ev = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'article.export', entityId: String(a.id) } });
    assert.equal((ev.data as { note: string }).note, item.note);
  });

  test('--all re-exports exported articles without a new status change; --ids and --since restrict', async () => {
    await resetArticles();
    const old = await makeApproved(t.db, { title: 'Old news', paragraphs: ['Old.'], authorId: editor, approverId: reviewer, approvedAt: new Date('2026-01-05T10:00:00Z') });
    const recent = await makeApproved(t.db, { title: 'Recent news', paragraphs: ['New.'], authorId: editor, approverId: reviewer, approvedAt: new Date('2026-06-01T10:00:00Z') });
    const out = path.join(work, 'filters');
    const since = await exportBatch(t.db, { outDir: out, format: 'markdown', since: new Date('2026-03-01T00:00:00Z') }, admin);
    assert.deepEqual(since.exported.map((e) => e.articleId), [recent.id]);
    const ids = await exportBatch(t.db, { outDir: out, format: 'markdown', ids: [old.id, recent.id] }, admin);
    assert.deepEqual(ids.exported.map((e) => e.articleId), [old.id]);
    assert.deepEqual(ids.skipped, [{ articleId: recent.id, reason: `article ${recent.id} is already exported (pass --all to export it again)` }]);

    const changesBefore = await t.db.statusChange.count();
    const again = await exportBatch(t.db, { outDir: out, format: 'markdown', all: true }, admin);
    assert.deepEqual(again.exported.map((e) => [e.articleId, e.from, e.to]), [[old.id, 'exported', 'exported'], [recent.id, 'exported', 'exported']]);
    assert.equal(await t.db.statusChange.count(), changesBefore);
    const manifest = JSON.parse(await readFile(path.join(out, MANIFEST_NAME), 'utf8')) as Manifest;
    assert.deepEqual(manifest.files.map((f) => [f.articleId, f.batchId]), [[old.id, again.batchId], [recent.id, again.batchId]]);
    assert.equal((await verifyExport(out)).ok, true);
  });

  test('a later batch into the same folder keeps earlier files in the manifest, so --verify still passes', async () => {
    await resetArticles();
    const first = await makeApproved(t.db, { title: 'First', paragraphs: ['One.'], authorId: editor, approverId: reviewer });
    const out = path.join(work, 'cumulative');
    const b1 = await exportBatch(t.db, { outDir: out, format: 'text' }, admin);
    const second = await makeApproved(t.db, { title: 'Second', paragraphs: ['Two.'], authorId: editor, approverId: reviewer });
    const b2 = await exportBatch(t.db, { outDir: out, format: 'text' }, admin);
    assert.deepEqual(b2.exported.map((e) => e.articleId), [second.id]);
    const manifest = JSON.parse(await readFile(path.join(out, MANIFEST_NAME), 'utf8')) as Manifest;
    assert.equal(manifest.batchId, b2.batchId);
    assert.deepEqual(manifest.files.map((f) => [f.articleId, f.batchId]), [[first.id, b1.batchId], [second.id, b2.batchId]]);
    const v = await verifyExport(out);
    assert.deepEqual({ ok: v.ok, matched: v.matched.length }, { ok: true, matched: 2 });
  });

  test('a re-approved article with a new title replaces its old file in the folder', async () => {
    await resetArticles();
    const a = await makeApproved(t.db, { title: 'Draft title', paragraphs: ['Body.'], authorId: editor, approverId: reviewer });
    const out = path.join(work, 'supersede');
    await exportBatch(t.db, { outDir: out, format: 'text' }, admin);
    // Re-approve a later revision with another title.
    const mt = { title: 'MT Draft title', paragraphs: ['MT Body.'] };
    const r3 = await t.db.revision.create({ data: { articleId: a.id, number: 3, articleVersion: 4, kind: 'edit', authorId: editor, ...buildRevisionData({ title: 'Draft title', paragraphs: ['Body.'] }, { title: 'Final title', paragraphs: ['Body, final.'] }, mt) } as never });
    await t.db.article.update({ where: { id: a.id }, data: { status: 'approved', approvedRevisionId: r3.id, revisionCount: 3 } });
    const report = await exportBatch(t.db, { outDir: out, format: 'text' }, admin);
    assert.deepEqual(report.removed, [`${a.id}-draft-title.txt`]);
    assert.deepEqual((await readdir(out)).sort(), [`${a.id}-final-title.txt`, MANIFEST_NAME].sort());
    assert.equal((await verifyExport(out)).ok, true);
  });

  test('every format of one article parses back to the approved text', async () => {
    await resetArticles();
    const paragraphs = ['Mayor & council: "no <comment>".', 'Second *paragraph* with_underscores.'];
    const a = await makeApproved(t.db, { title: 'Ärger über Brücke', paragraphs, sources: ['Bürgermeister & Rat.', null], authorId: editor, approverId: reviewer });
    for (const format of ['text', 'markdown', 'json', 'xliff', 'xliff12'] as const) {
      const out = path.join(work, `formats-${format}`);
      const report = await exportBatch(t.db, { outDir: out, format, all: true }, admin);
      const body = await readFile(path.join(out, report.exported[0].file), 'utf8');
      assert.equal(report.exported[0].file, `${a.id}-arger-uber-brucke.${{ text: 'txt', markdown: 'md', json: 'json', xliff: 'xlf', xliff12: 'xliff' }[format]}`);
      if (format === 'json') {
        const j = JSON.parse(body);
        assert.deepEqual([j.title, j.paragraphs, j.source.paragraphs, j.approvedBy], ['Ärger über Brücke', paragraphs, ['Bürgermeister & Rat.', null], 'rita']);
      } else if (format === 'xliff' || format === 'xliff12') {
        assertValidXliff(body, format);
        assert.ok(body.includes('<source>Bürgermeister &amp; Rat.</source>'));
        assert.ok(body.includes('>Mayor &amp; council: "no &lt;comment&gt;".</target>'));
        assert.ok(body.includes('<source>MT Second *paragraph* with_underscores.</source>'));
        assert.ok(body.includes('>Second *paragraph* with_underscores.</target>'));
        assert.match(body, format === 'xliff' ? /<note category="copydesk:mt-as-source">No source text was imported for this unit/ : /<note from="copydesk">No source text was imported for this unit/);
        assert.ok(body.includes('>Ärger über Brücke</target>'));
      } else if (format === 'markdown') {
        assert.match(body, /^---\nid: \d+\n/);
        assert.match(body, /\n# Ärger über Brücke\n/);
        assert.match(body, /\nSecond \\\*paragraph\\\* with\\_underscores\.\n$/);
      } else {
        assert.equal(body, `Ärger über Brücke\n\n${paragraphs.join('\n\n')}\n`);
      }
    }
  });
});

describe('exportBatch and concurrent work', () => {
  test('two exports at once into different folders: each article goes to exactly one batch, the later one drops what the first took', async () => {
    await resetArticles();
    const made = [];
    for (const title of ['Twin one', 'Twin two', 'Twin three']) made.push(await makeApproved(t.db, { title, paragraphs: ['Approved.'], authorId: editor, approverId: reviewer }));
    const [a1, a2, a3] = made;
    const outA = path.join(work, 'twin-a');
    const outB = path.join(work, 'twin-b');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let paused = false;
    // A reads every article and writes its files, then waits until B has committed.
    const runA = exportBatch(t.db, { outDir: outA, format: 'text' }, admin, {
      onItem: async () => {
        if (!paused) {
          paused = true;
          await held;
        }
      },
    });
    await new Promise((r) => setTimeout(r, 50));
    const b = await exportBatch(t.db, { outDir: outB, format: 'text', ids: [a1.id, a2.id] }, admin);
    release();
    const a = await runA;
    assert.deepEqual(b.exported.map((e) => e.articleId), [a1.id, a2.id]);
    assert.deepEqual(a.exported.map((e) => e.articleId), [a3.id]);
    assert.deepEqual(a.skipped.map((s) => s.articleId).sort((x, y) => x - y), [a1.id, a2.id]);
    assert.match(a.skipped[0].reason, /exported by another export running at the same time/);
    const items = await t.query<{ articleId: number; n: number }>(`select "articleId", count(*)::int as n from export_items group by "articleId" order by "articleId"`);
    assert.deepEqual(items.rows, made.map((m) => ({ articleId: m.id, n: 1 })));
    const audited = await t.query<{ n: number }>(`select count(*)::int as n from audit_events where action = 'article.export' and "entityId" = any($1::text[])`, [made.map((m) => String(m.id))]);
    assert.equal(audited.rows[0].n, 3, 'one article.export event per article');
    // A's folder holds only what its batch recorded, and its manifest agrees.
    const filesA = (await readdir(outA)).filter((f) => f !== MANIFEST_NAME);
    assert.deepEqual(filesA, [`${a3.id}-twin-three.txt`]);
    const manifestA = JSON.parse(await readFile(path.join(outA, MANIFEST_NAME), 'utf8')) as Manifest;
    assert.deepEqual(manifestA.files.map((f) => f.articleId), [a3.id]);
    assert.equal(manifestA.batchId, a.batchId);
  });

  test('an edit saved while the files are written leaves the article in_edit, noted, not marked exported', async () => {
    await resetArticles();
    const a = await makeApproved(t.db, { title: 'Racing edit', paragraphs: ['Approved.'], authorId: editor, approverId: reviewer });
    const out = path.join(work, 'race-edit');
    const report = await exportBatch(t.db, { outDir: out, format: 'text' }, admin, {
      // Simulates an editor's save landing after the article was read but before the batch commits.
      onItem: async () => void (await t.query(`update articles set status = 'in_edit', version = version + 1 where id = $1`, [a.id])),
    });
    assert.equal(report.exported.length, 1);
    assert.deepEqual([report.exported[0].from, report.exported[0].to, report.exported[0].note], ['in_edit', 'in_edit', 'exported the approved revision 2; the article has unapproved edits since']);
    assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: a.id } })).status, 'in_edit');
    assert.equal(await t.db.statusChange.count({ where: { articleId: a.id } }), 0);
    assert.equal(await readFile(path.join(out, `${a.id}-racing-edit.txt`), 'utf8'), 'Racing edit\n\nApproved.\n');
  });

  test('a re-approval during the run aborts the batch: nothing recorded, the previous manifest restored', async () => {
    await resetArticles();
    const first = await makeApproved(t.db, { title: 'Stable', paragraphs: ['One.'], authorId: editor, approverId: reviewer });
    const out = path.join(work, 'race-approve');
    await exportBatch(t.db, { outDir: out, format: 'text' }, admin);
    const manifestBefore = await readFile(path.join(out, MANIFEST_NAME), 'utf8');
    const a = await makeApproved(t.db, { title: 'Moving target', paragraphs: ['Two.'], authorId: editor, approverId: reviewer });
    const before = await dbState();
    await assert.rejects(
      () =>
        exportBatch(t.db, { outDir: out, format: 'text' }, admin, {
          onItem: async () => void (await t.query(`update articles set "approvedRevisionId" = (select id from revisions where "articleId" = $1 and number = 1) where id = $1`, [a.id])),
        }),
      (err: Error & { status?: number; code?: string }) => {
        assert.equal(err.status, 409);
        assert.equal(err.code, 'export_conflict');
        assert.match(err.message, new RegExp(`Article ${a.id} was re-approved during the export; nothing was recorded`));
        return true;
      },
    );
    assert.deepEqual(await dbState(), before);
    assert.equal(await readFile(path.join(out, MANIFEST_NAME), 'utf8'), manifestBefore);
    void first;
  });
});

describe('exportBatch refuses bad input and leaves nothing behind', () => {
  async function assertNothingWritten(run: () => Promise<unknown>, message: RegExp, dirToCheck?: string) {
    const before = await dbState();
    await assert.rejects(run, (err: Error & { status?: number }) => {
      assert.match(err.message, message);
      assert.equal(err.status, 400);
      return true;
    });
    assert.deepEqual(await dbState(), before);
    if (dirToCheck) {
      const names = await readdir(dirToCheck).catch(() => [] as string[]);
      assert.ok(!names.includes(MANIFEST_NAME), 'no manifest written');
    }
  }

  test('an output path that is a file, or lies under a file', async () => {
    await resetArticles();
    await makeApproved(t.db, { title: 'Waiting', paragraphs: ['Text.'], authorId: editor, approverId: reviewer });
    const file = path.join(work, 'plain-file');
    await writeFile(file, 'not a folder');
    await assertNothingWritten(() => exportBatch(t.db, { outDir: file, format: 'text' }, admin), /is a file, not a folder/);
    await assertNothingWritten(() => exportBatch(t.db, { outDir: path.join(file, 'sub'), format: 'text' }, admin), /part of its path is a file/);
    assert.equal(await readFile(file, 'utf8'), 'not a folder');
    assert.equal((await t.db.article.findFirstOrThrow()).status, 'approved');
  });

  test('ids that do not exist are named', async () => {
    await resetArticles();
    const a = await makeApproved(t.db, { title: 'Real', paragraphs: ['Text.'], authorId: editor, approverId: reviewer });
    const out = path.join(work, 'unknown-ids');
    await assertNothingWritten(() => exportBatch(t.db, { outDir: out, format: 'text', ids: [a.id, 999998, 999999] }, admin), /No article with id 999998, 999999\./, out);
  });

  test('a folder whose manifest.json is not ours', async () => {
    await resetArticles();
    await makeApproved(t.db, { title: 'Real', paragraphs: ['Text.'], authorId: editor, approverId: reviewer });
    const out = path.join(work, 'foreign');
    await rm(out, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(out));
    await writeFile(path.join(out, MANIFEST_NAME), '{"name":"some other tool"}');
    await assertNothingWritten(() => exportBatch(t.db, { outDir: out, format: 'text' }, admin), /is not a Copydesk export manifest/);
    assert.deepEqual(await readdir(out), [MANIFEST_NAME]);
  });

  test('a failing commit leaves no article exported and no manifest', async () => {
    await resetArticles();
    await makeApproved(t.db, { title: 'Doomed', paragraphs: ['Text.'], authorId: editor, approverId: reviewer });
    const out = path.join(work, 'doomed');
    // An actor id that does not exist makes the batch insert fail inside the transaction (foreign key).
    const ghost: Actor = { id: 987654, username: 'ghost', role: 'admin' };
    const before = await dbState();
    await assert.rejects(() => exportBatch(t.db, { outDir: out, format: 'text' }, ghost));
    assert.deepEqual(await dbState(), before);
    assert.equal((await t.db.article.findFirstOrThrow()).status, 'approved');
    assert.ok(!(await readdir(out)).includes(MANIFEST_NAME));
  });

  test('a dry run reports without writing', async () => {
    await resetArticles();
    await makeApproved(t.db, { title: 'Dry', paragraphs: ['Text.'], authorId: editor, approverId: reviewer });
    const out = path.join(work, 'dry-run-not-created');
    const before = await dbState();
    const report = await exportBatch(t.db, { outDir: out, format: 'xliff', dryRun: true }, admin);
    assert.equal(report.exported.length, 1);
    assert.match(report.message, /^Dry run: would export 1 article; nothing was written\./);
    assert.deepEqual(await dbState(), before);
    await assert.rejects(() => readdir(out), { code: 'ENOENT' });
  });
});
