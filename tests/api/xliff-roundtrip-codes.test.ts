import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { xml2js, type Element } from 'xml-js';
import { SYSTEM_ACTOR } from '../../server/services/audit';
import { importPaths } from '../../server/services/import/importer';
import { createTestContext, type TestContext } from '../helpers/app';
import { normalise } from '../helpers/xliffReference';
import { assertValidXliff } from '../helpers/xliffSchema';

// End to end through the real reader and writer: a genuine file with paired and standalone
// inline codes is imported, approved unchanged through the API, and exported in its own XLIFF
// version; every target segment must carry the same codes at the same places.
const CORPUS = path.resolve(import.meta.dirname, '../fixtures/xliff-corpus');
const CASES = [
  { file: 'okapi-RB-12-Test02.xlf', format: 'xliff12' }, // 1.2: <g> pairs, <x/>, seg-source marks
  { file: 'oasis21-withReorderedCodes.xlf', format: 'xliff' }, // 2.0: <pc> pairs, <ph/>, <mrk>
] as const;

let t: TestContext;
type Agent = Awaited<ReturnType<TestContext['loginAs']>>;
let editor: Agent;
let reviewer: Agent;

before(async () => {
  t = await createTestContext();
  await t.makeUser('edna', 'editor');
  await t.makeUser('rita', 'reviewer');
  editor = await t.loginAs('edna');
  reviewer = await t.loginAs('rita');
});
after(async () => {
  await t.drop();
});

const local = (e: Element) => (e.name ?? '').replace(/^.*:/, '');

/**
 * Every target segment of the document (the unit `title` left out), in order: its text
 * normalised as the product normalises text, each inline element written as
 * ⟨element id⟩ … ⟨/element⟩ or ⟨element id/⟩. XLIFF 1.2 `<mrk mtype="seg">` are segments.
 */
function targetSegments(xml: string): string[] {
  const doc = xml2js(xml, { compact: false, captureSpacesBetweenElements: true }) as Element;
  const out: string[] = [];
  const inline = (e: Element): string => {
    let s = '';
    for (const c of e.elements ?? []) {
      if (c.type === 'text') s += String(c.text);
      else if (c.type === 'cdata') s += String(c.cdata);
      else if (c.type === 'element') {
        const id = c.attributes?.id ?? c.attributes?.startRef ?? c.attributes?.rid;
        const tag = `${local(c)}${id === undefined ? '' : ` ${String(id)}`}`;
        // 1.2 native-code elements: their content is code, not text.
        if (['ph', 'bpt', 'ept', 'it'].includes(local(c)) || !c.elements?.length) s += `⟨${tag}/⟩`;
        else s += `⟨${tag}⟩${inline(c)}⟨/${local(c)}⟩`;
      }
    }
    return s;
  };
  const walk = (e: Element, unitId?: string): void => {
    for (const c of e.elements ?? []) {
      if (c.type !== 'element') continue;
      const name = local(c);
      if (name === 'trans-unit' || name === 'unit') walk(c, String(c.attributes?.id));
      else if (name === 'target') {
        if (unitId === 'title') continue;
        const marks = (c.elements ?? []).filter((m) => m.type === 'element' && local(m) === 'mrk' && m.attributes?.mtype === 'seg');
        for (const part of marks.length > 0 ? marks : [c]) out.push(normalise(inline(part)));
      } else if (!['alt-trans', 'header', 'notes', 'originalData', 'source', 'seg-source'].includes(name)) walk(c, unitId);
    }
  };
  walk(doc);
  return out.filter((s) => s !== '');
}

describe('inline codes survive import → unchanged approval → export, in the same XLIFF version', () => {
  for (const c of CASES) {
    test(`${c.file} (${c.format})`, async () => {
      const file = path.join(CORPUS, c.file);
      const original = readFileSync(file, 'utf8');
      const report = await importPaths(t.db, [file], { maxBytes: 1_000_000 }, { ...SYSTEM_ACTOR, ip: 'test' });
      assert.equal(report.totals.imported, 1, JSON.stringify(report.files));
      const [{ id, codes }] = (await t.query<{ id: number; codes: string }>(
        `select a.id, (select count(*) from paragraphs p, jsonb_array_elements(p.codes) where p."articleId" = a.id)::text as codes
           from articles a where a.metadata ->> 'importedFrom' = $1`,
        [c.file],
      )).rows;
      assert.ok(Number(codes) >= 4, `${c.file} has ${codes} codes`);

      // An MT draft must be edited before review: the editor changes a paragraph and saves it
      // back as it was, submits, and another user approves the text exactly as imported.
      const record = await editor.get(`/api/articles/${id}`);
      assert.equal(record.status, 200, JSON.stringify(record.body));
      const first = (record.body.paragraphs as Array<{ text: string }>)[0];
      const edited = await editor.put(`/api/articles/${id}`).send({ version: record.body.version, paragraphs: [{ index: 0, text: `${first.text} (draft)` }] });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      const saved = await editor.put(`/api/articles/${id}`).send({ version: edited.body.version, paragraphs: [{ index: 0, text: first.text }], note: 'checked, no change' });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const submitted = await editor.post(`/api/articles/${id}/transitions`).send({ to: 'in_review', version: saved.body.version });
      assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
      // Segments the file left untranslated are open errors: approving the file unchanged is a deliberate override.
    const approved = await reviewer.post(`/api/articles/${id}/transitions`).send({ to: 'approved', version: submitted.body.version, override: { reason: 'round trip of the file as received' } });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));

      const changed = await t.query(`select position from paragraphs where "articleId" = $1 and text is distinct from mt`, [id]);
      assert.deepEqual(changed.rows, [], 'the approved text is the imported text');

      const exported = await reviewer.get(`/api/articles/${id}/export?format=${c.format}`);
      assert.equal(exported.status, 200, exported.text);
      const body = Buffer.isBuffer(exported.body) ? exported.body.toString('utf8') : exported.text;
      assertValidXliff(body, `${c.file} exported as ${c.format}`);
      const before = targetSegments(original);
      assert.ok(before.some((s) => /⟨(g|pc) /.test(s)) && before.some((s) => /⟨(x|ph) [^⟩]*\/⟩/.test(s)), `${c.file} has paired and standalone codes:\n${before.join('\n')}`);
      assert.deepEqual(targetSegments(body), before);
    });
  }
});
