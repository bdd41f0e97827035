import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { codeChar, type InlineCode } from '../../shared/inlineCodes';
import { SYSTEM_ACTOR, type Actor } from '../../server/services/audit';
import { exportBatch } from '../../server/services/export/exportBatch';
import { EXPORT_FORMATS, type ExportFormat } from '../../server/services/export/render';
import { importPaths } from '../../server/services/import/importer';
import { parseFile } from '../../server/services/import/parseFile';
import { renderXliffInline } from '../../server/services/export/renderXliffInline';
import { createTestContext, type TestContext } from '../helpers/app';
import { assertValidXliff } from '../helpers/xliffSchema';

let t: TestContext;
let admin: Actor;
let reviewer: number;
let work: string;

before(async () => {
  t = await createTestContext();
  reviewer = await t.makeUser('rita', 'reviewer');
  const adminId = await t.makeUser('ada', 'admin');
  admin = { id: adminId, username: 'ada', role: 'admin', ip: 'test' };
  work = await mkdtemp(path.join(tmpdir(), 'copydesk-roundtrip-'));
});
after(async () => {
  await t.drop();
  await rm(work, { recursive: true, force: true });
});

// Text that every format must carry unchanged: Markdown syntax, entities,
// XML specials, an externalId that is no NMTOKEN, a partial source.
const FEED = [
  {
    externalId: 'feeds/afp 2026.04/story 1',
    title: 'R&amp;D: *bold* claims <b>',
    paragraphs: ['# Not a heading', '1. Not a list & <b>html</b> &copy; &#x41;', 'Back\\slash `code` [link](x) _u_ ~~s~~ | pipe ]]> "q"', '- dash', '> quote'],
    source: { title: 'F&E', paragraphs: ['# Keine Überschrift', 'Liste & <b>', 'Rück\\strich', '- Strich', '> Zitat'] },
    sourceLang: 'de',
    targetLang: 'en',
    publishedAt: '2026-04-02T08:00:00Z',
    metadata: { section: 'world' },
  },
  {
    externalId: 'plain-2',
    title: 'Second story',
    paragraphs: ['With a source.', 'Without one.'],
    source: { paragraphs: ['Mit Quelle.', null] },
    sourceLang: 'fr',
    targetLang: 'en',
  },
];

async function parseAll(file: string) {
  const out = [];
  for await (const a of parseFile(file)) out.push(a);
  return out;
}

const importAs = (paths: string[]) => importPaths(t.db, paths, { maxBytes: 1_000_000 }, { ...SYSTEM_ACTOR, ip: 'test' });

/** What a re-import must give back, per externalId. */
async function snapshot(withExternalId = true) {
  const { rows } = await t.query<{ externalId: string; title: string; sourceTitle: string | null; sourceLang: string | null; targetLang: string | null; paras: unknown }>(
    `select a."externalId", a."mtTitle" as title, a."sourceTitle", a."sourceLang", a."targetLang",
            (select json_agg(json_build_array(p.mt, p.source) order by p.position) from paragraphs p where p."articleId" = a.id) as paras
       from articles a order by a."mtTitle"`,
  );
  return rows.map((r) => ({ ...(withExternalId ? { externalId: r.externalId } : {}), title: r.title, sourceTitle: r.sourceTitle, sourceLang: r.sourceLang, targetLang: r.targetLang, paras: r.paras }));
}

/** Imports the feed and approves every article unchanged (its import revision). */
async function importAndApprove(): Promise<void> {
  await t.query('delete from export_batches');
  await t.query('delete from articles');
  const feed = path.join(work, 'feed.json');
  await writeFile(feed, JSON.stringify(FEED));
  const report = await importAs([feed]);
  assert.equal(report.totals.imported, FEED.length);
  await t.query(
    `update articles a set status = 'approved', "approvedById" = $1, "approvedAt" = now(),
            "approvedRevisionId" = (select r.id from revisions r where r."articleId" = a.id and r.number = 1)`,
    [reviewer],
  );
}

describe('re-importing Copydesk exports', () => {
  for (const format of ['json', 'markdown', 'xliff', 'xliff12'] as const satisfies readonly ExportFormat[]) {
    test(`${format}: the export re-imports losslessly, skips its manifest, and a second re-import changes nothing`, async () => {
      await importAndApprove();
      const original = await snapshot();
      const out = path.join(work, `out-${format}`);
      await rm(out, { recursive: true, force: true });
      const report = await exportBatch(t.db, { outDir: out, format }, admin);
      assert.equal(report.exported.length, FEED.length);
      if (format.startsWith('xliff')) for (const e of report.exported) assertValidXliff(await readFile(path.join(out, e.file), 'utf8'), e.file);

      // Idempotent: the unchanged export is recognised, the manifest is not read as an article.
      const again = await importAs([out]);
      assert.deepEqual(again.files.map((f) => [path.basename(f.path), f.status, f.error ?? null]), (await readdir(out)).filter((n) => n !== 'manifest.json').sort().map((n) => [n, 'ok', null]));
      assert.deepEqual([again.totals.imported, again.totals.updated, again.totals.skipped], [0, 0, FEED.length]);

      // Lossless: into an empty database, the export gives the same articles.
      await t.query('delete from export_batches');
      await t.query('delete from articles');
      const back = await importAs([out]);
      assert.equal(back.totals.imported, FEED.length, JSON.stringify(back.files));
      const expected = format === 'markdown'
        // A Markdown export is the readable approved text: it carries no source text.
        ? original.map((a) => ({ ...a, sourceTitle: null, paras: (a.paras as [string, string | null][]).map(([mt]) => [mt, null]) }))
        : original;
      // Every format, XLIFF included: the same externalId, title, paragraphs, source (none where
      // there was none: XLIFF's MT-as-source units are read as such) and languages.
      assert.deepEqual(await snapshot(), expected);
      // And a re-import of the same export meets those articles again, by externalId.
      const third = await importAs([out]);
      assert.deepEqual([third.totals.imported, third.totals.updated, third.totals.skipped], [0, 0, FEED.length]);
    });
  }

  test('an explicitly named manifest.json is refused as a manifest, not read as an article', async () => {
    await importAndApprove();
    const out = path.join(work, 'manifest-only');
    await exportBatch(t.db, { outDir: out, format: 'json' }, admin);
    await assert.rejects(async () => {
      for await (const _ of parseFile(path.join(out, 'manifest.json'))) void _;
    }, /is a Copydesk export manifest/);
  });

  test('JSON keeps inline codes: a re-read export gives the same code characters and tables', async () => {
    const codes: InlineCode[] = [
      { id: '1', kind: 'open', element: 'g', family: '1', xml: '<g id="1">', label: 'b', pair: 1 },
      { id: '1', kind: 'close', element: 'g', family: '1', xml: '</g>', label: '/b', pair: 0 },
    ];
    await importAndApprove();
    const [{ id }] = (await t.query<{ id: number }>(`select id from articles where "externalId" = 'plain-2'`)).rows;
    const text = `With ${codeChar(0)}a${codeChar(1)} source.`;
    await t.query(`update paragraphs set mt = $2, text = $2, codes = $3 where "articleId" = $1 and position = 0`, [id, text, JSON.stringify(codes)]);
    await t.query(`update revisions set paragraphs = jsonb_set(paragraphs, '{0}', to_jsonb($2::text)) where "articleId" = $1`, [id, text]);
    const out = path.join(work, 'codes-json');
    const report = await exportBatch(t.db, { outDir: out, format: 'json', ids: [id] }, admin);
    const parsed = [];
    for await (const a of parseFile(path.join(out, report.exported[0].file))) parsed.push(a);
    assert.equal(parsed[0].paragraphs[0], text);
    assert.deepEqual(parsed[0].details?.map((d) => d.codes), [codes, null]);
  });

  test('a control character saved in a paragraph is in every export, XLIFF included', async () => {
    await importAndApprove();
    const [{ id }] = (await t.query<{ id: number }>(`select id from articles where "externalId" = 'plain-2'`)).rows;
    const text = 'Bell\u0007 and form\u000C feed.';
    await t.query(`update revisions set paragraphs = jsonb_set(paragraphs, '{1}', to_jsonb($2::text)) where "articleId" = $1`, [id, text]);
    for (const format of EXPORT_FORMATS) {
      const out = path.join(work, `ctl-${format}`);
      const report = await exportBatch(t.db, { outDir: out, format, ids: [id], all: true }, admin);
      const body = await readFile(path.join(out, report.exported[0].file), 'utf8');
      if (format === 'xliff') assert.ok(body.includes('Bell<cp hex="0007"/> and form<cp hex="000C"/> feed.'), body);
      else if (format === 'xliff12') assert.match(body, /Bell<ph id="[^"]+" ctype="x-copydesk-cp">&amp;#x0007;<\/ph> and form<ph id="[^"]+" ctype="x-copydesk-cp">&amp;#x000C;<\/ph> feed\./);
      else if (format === 'json') assert.equal(JSON.parse(body).paragraphs[1], text);
      else assert.ok(body.includes(text), format);
      if (format.startsWith('xliff')) {
        assertValidXliff(body, format);
        // The reader turns both versions' forms back into the same code, which each writer
        // writes as the character again: <cp> in 2.0, the x-copydesk-cp placeholder in 1.2.
        const [read] = await parseAll(path.join(out, report.exported[0].file));
        const codes = read.details?.[1]?.codes ?? [];
        assert.deepEqual(codes.map((c) => [c.element, c.xml, c.label]), [['cp', '<cp hex="0007"/>', 'U+0007'], ['cp', '<cp hex="000C"/>', 'U+000C']]);
        assert.equal(read.paragraphs[1], `Bell${codeChar(0)} and form${codeChar(1)} feed.`);
        assert.equal(renderXliffInline(read.paragraphs[1], codes, '2'), 'Bell<cp hex="0007"/> and form<cp hex="000C"/> feed.');
        assert.match(renderXliffInline(read.paragraphs[1], codes, '1'), /^Bell<ph id="[^"]+" ctype="x-copydesk-cp">&amp;#x0007;<\/ph> and form<ph id="[^"]+" ctype="x-copydesk-cp">&amp;#x000C;<\/ph> feed\.$/);
      }
    }
  });

  test('XLIFF: codes and structure read from a file are written back at the same places, in both versions', async () => {
    await importAndApprove();
    const [{ id }] = (await t.query<{ id: number }>(`select id from articles where "externalId" = 'plain-2'`)).rows;
    // As a reader of this XLIFF 2.0 unit would store it:
    //   <unit id="u1"><notes><note category="review">Check</note></notes>
    //     <segment id="s1"><source>Mit <pc id="1" type="fmt">Quelle</pc>.</source><target>With <pc id="1" type="fmt">a</pc> source.</target></segment>
    //     <segment id="s2"><source>Ohne<ph id="2" disp="br"/>.</source><target>Without<ph id="2" disp="br"/> one.</target></segment></unit>
    const codes1: InlineCode[] = [
      { id: '1', kind: 'open', element: 'pc', family: '2', xml: '<pc id="1" type="fmt">', label: 'b', pair: 1 },
      { id: '1', kind: 'close', element: 'pc', family: '2', xml: '</pc>', label: '/b', pair: 0 },
    ];
    const codes2: InlineCode[] = [{ id: '2', kind: 'standalone', element: 'ph', family: '2', xml: '<ph id="2" disp="br"/>', label: 'br' }];
    const k = codeChar;
    const rows = [
      { mt: `With ${k(0)}a${k(1)} source.`, source: `Mit ${k(0)}Quelle${k(1)}.`, codes: codes1, meta: { unitId: 'u1', segmentId: 's1', notes: [{ text: 'Check', category: 'review' }] } },
      { mt: `Without${k(0)} one.`, source: `Ohne${k(0)}.`, codes: codes2, meta: { unitId: 'u1', segmentId: 's2', locked: true, state: 'translated' } },
    ];
    for (const [position, r] of rows.entries()) {
      await t.query(`update paragraphs set mt = $3, text = $3, source = $4, codes = $5, meta = $6 where "articleId" = $1 and position = $2`, [id, position, r.mt, r.source, JSON.stringify(r.codes), JSON.stringify(r.meta)]);
    }
    await t.query(`update revisions set paragraphs = $2::jsonb where "articleId" = $1`, [id, JSON.stringify(rows.map((r) => r.mt))]);

    const bodies: Record<string, string> = {};
    for (const format of ['xliff', 'xliff12'] as const) {
      const out = path.join(work, `codes-${format}`);
      const report = await exportBatch(t.db, { outDir: out, format, ids: [id], all: true }, admin);
      bodies[format] = await readFile(path.join(out, report.exported[0].file), 'utf8');
      assertValidXliff(bodies[format], format);
    }
    // Same family: the elements exactly as read, around the same words; one unit, two segments.
    assert.match(
      bodies.xliff,
      /<unit id="u1">\s*<notes>\s*<note category="review">Check<\/note>\s*<\/notes>\s*<segment id="s1" state="final"><source>Mit <pc id="1" type="fmt">Quelle<\/pc>\.<\/source><target>With <pc id="1" type="fmt">a<\/pc> source\.<\/target><\/segment>\s*<segment id="s2" state="translated"><source><mrk id="copydesk-locked2" translate="no">Ohne<ph id="2" disp="br"\/>\.<\/mrk><\/source><target><mrk id="copydesk-locked2" translate="no">Without<ph id="2" disp="br"\/> one\.<\/mrk><\/target><\/segment>\s*<\/unit>/,
    );
    // The other family: converted, ids kept, in seg-source/target marks.
    assert.ok(bodies.xliff12.includes('<seg-source><mrk mtype="seg" mid="s1">Mit <g id="1">Quelle</g>.</mrk><mrk mtype="seg" mid="s2">Ohne<x id="2" equiv-text="br"/>.</mrk></seg-source>'), bodies.xliff12);
    assert.ok(bodies.xliff12.includes('<target><mrk mtype="seg" mid="s1">With <g id="1">a</g> source.</mrk><mrk mtype="seg" mid="s2">Without<x id="2" equiv-text="br"/> one.</mrk></target>'), bodies.xliff12);
  });
});
