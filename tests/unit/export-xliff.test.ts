import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { codeChar, type InlineCode } from '../../shared/inlineCodes';
import { renderExport, type ExportDocument } from '../../server/services/export/render';
import { renderXliffInline } from '../../server/services/export/renderXliffInline';
import { toNmtoken } from '../../server/services/export/xml';
import { assertValidXliff } from '../helpers/xliffSchema';

function makeDoc(overrides: Partial<ExportDocument> = {}): ExportDocument {
  return {
    id: 7,
    externalId: 'feeds/afp 2026.04/story 1',
    title: 'Floods',
    paragraphs: ['One.', 'Two.'],
    mtTitle: 'Flood',
    mtParagraphs: ['One', 'Two'],
    sourceTitle: 'Hochwasser',
    sourceParagraphs: ['Eins.', 'Zwei.'],
    revision: { id: 1, number: 1 },
    approvedBy: 'rita',
    approvedAt: new Date('2026-11-20T08:15:00Z'),
    sourceLang: 'de',
    targetLang: 'en',
    publishedAt: null,
    metadata: {},
    ...overrides,
  };
}

const both = ['xliff', 'xliff12'] as const;
const C0 = Array.from({ length: 32 }, (_, i) => i).filter((i) => i !== 9 && i !== 10 && i !== 13);

describe('XLIFF exports', () => {
  test('validate against the OASIS schemas; the 2.0 file id is an NMTOKEN and original keeps the externalId', () => {
    for (const format of both) assertValidXliff(renderExport(makeDoc(), format), format);
    const xml = renderExport(makeDoc(), 'xliff');
    assert.match(xml, /<file id="feeds_afp_2026\.04_story_1-[0-9a-f]{8}" original="feeds\/afp 2026\.04\/story 1"/);
    assert.match(renderExport(makeDoc(), 'xliff12'), /<file original="feeds\/afp 2026\.04\/story 1" source-language="de" target-language="en" datatype="plaintext" xmlns:copydesk="urn:copydesk:xliff" copydesk:externalId="feeds\/afp 2026\.04\/story 1">/);
    assert.match(renderExport(makeDoc({ externalId: 'afp-1.2_x' }), 'xliff'), /<file id="afp-1\.2_x" original="afp-1\.2_x"/);
  });

  test('NMTOKEN ids are deterministic and distinct for distinct ids', () => {
    assert.equal(toNmtoken('a/b'), toNmtoken('a/b'));
    assert.notEqual(toNmtoken('a/b'), toNmtoken('a b'));
    assert.match(toNmtoken('东京'), /^id-[0-9a-f]{8}$/);
  });

  test('every C0 control but tab/LF/CR, U+FFFE/U+FFFF and lone surrogates are kept: <cp> in 2.0, <ph> in 1.2', () => {
    const odd = C0.map((c) => String.fromCharCode(c)).join('') + '\uFFFE\uFFFF\uD800|\uDC00';
    const doc = makeDoc({ paragraphs: [`a${odd}b\tc\r\nd`, 'Two.'], title: `T\u0007` });
    const v2 = renderExport(doc, 'xliff');
    const v1 = renderExport(doc, 'xliff12');
    assertValidXliff(v2, 'xliff');
    assertValidXliff(v1, 'xliff12');
    for (const c of [...C0, 0xfffe, 0xffff, 0xd800, 0xdc00]) {
      const hex = c.toString(16).toUpperCase().padStart(4, '0');
      assert.ok(v2.includes(`<cp hex="${hex}"/>`), `2.0 keeps U+${hex}`);
      assert.ok(v1.includes(`ctype="x-copydesk-cp">&amp;#x${hex};</ph>`), `1.2 keeps U+${hex}`);
    }
    assert.match(v2, /<target>T<cp hex="0007"\/><\/target>/);
    assert.ok(v2.includes('b\tc&#xD;\nd'), 'tab, CR and LF stay characters');
  });

  test('markup-like text is escaped', () => {
    const doc = makeDoc({ title: 'R&D <2026> "q" ]]>', paragraphs: ['a < b && c > "d"', 'Two.'] });
    for (const format of both) {
      const xml = renderExport(doc, format);
      assertValidXliff(xml, format);
      assert.ok(xml.includes('R&amp;D &lt;2026&gt; "q" ]]&gt;'));
    }
  });

  test('paragraphs of one unit become segments of one unit; notes, ids, locked and states are written back', () => {
    const doc = makeDoc({
      paragraphs: ['First.', 'Second.', 'Alone.'],
      mtParagraphs: ['First', 'Second', 'Alone'],
      sourceParagraphs: ['Erstens.', 'Zweitens.', 'Allein.'],
      paragraphMeta: [
        { unitId: 'u1', segmentId: 's1', notes: [{ text: 'Check the name', priority: 2, category: 'review', from: 'pm' }] },
        { unitId: 'u1', segmentId: 's2', locked: true, state: 'needs-review-translation' },
        { unitId: 'u 2', resname: 'body', locked: true, state: 'reviewed' },
      ],
    });
    const v2 = renderExport(doc, 'xliff');
    const v1 = renderExport(doc, 'xliff12');
    assertValidXliff(v2, 'xliff');
    assertValidXliff(v1, 'xliff12');
    assert.match(v2, /<unit id="u1">\s*<notes>\s*<note category="review" priority="2">Check the name<\/note>\s*<\/notes>\s*<segment id="s1" state="final">.*\s*<segment id="s2" state="translated"><source><mrk id="copydesk-locked2" translate="no">Zweitens\.<\/mrk>/);
    assert.match(v2, /<unit id="u_2-[0-9a-f]{8}" name="body" translate="no">\s*<segment state="reviewed">/);
    assert.match(v1, /<seg-source><mrk mtype="seg" mid="s1">Erstens\.<\/mrk><mrk mtype="seg" mid="s2">Zweitens\.<\/mrk><\/seg-source>/);
    assert.match(v1, /<note from="pm" priority="2">Check the name<\/note>/);
    assert.match(v1, /<trans-unit id="u 2" resname="body" translate="no" xml:space="preserve">\s*<source>Allein\.<\/source>\s*<target state="signed-off">/);
  });
});

// Codes as an XLIFF 1.2 reader would store them: <g id="1">, <x id="2"/>, <bpt>/<ept>.
const codes12: InlineCode[] = [
  { id: '1', kind: 'open', element: 'g', family: '1', xml: '<g id="1" ctype="bold">', label: 'b', pair: 1 },
  { id: '1', kind: 'close', element: 'g', family: '1', xml: '</g>', label: '/b', pair: 0 },
  { id: '2', kind: 'standalone', element: 'x', family: '1', xml: '<x id="2" ctype="image"/>', label: 'img' },
  { id: '3', kind: 'open', element: 'bpt', family: '1', xml: '<bpt id="3">&lt;i&gt;</bpt>', label: '<i>', pair: 4 },
  { id: '3', kind: 'close', element: 'ept', family: '1', xml: '<ept id="3">&lt;/i&gt;</ept>', label: '</i>', pair: 3 },
];
// The same from XLIFF 2.0: <pc>, <ph/>, <sc>/<ec>.
const codes2: InlineCode[] = [
  { id: '1', kind: 'open', element: 'pc', family: '2', xml: '<pc id="1" type="fmt">', label: 'b', pair: 1 },
  { id: '1', kind: 'close', element: 'pc', family: '2', xml: '</pc>', label: '/b', pair: 0 },
  { id: '2', kind: 'standalone', element: 'ph', family: '2', xml: '<ph id="2" disp="img"/>', label: 'img' },
  { id: '3', kind: 'open', element: 'sc', family: '2', xml: '<sc id="3"/>', label: '<i>', pair: 4 },
  { id: '3', kind: 'close', element: 'ec', family: '2', xml: '<ec startRef="3"/>', label: '</i>', pair: 3 },
];
const k = codeChar;
const coded = `Say ${k(0)}hello${k(1)} ${k(2)} to ${k(3)}Li${k(4)} & co.`;

describe('inline codes', () => {
  test('a code of the same family is written back exactly as read', () => {
    assert.equal(renderXliffInline(coded, codes12, '1'), 'Say <g id="1" ctype="bold">hello</g> <x id="2" ctype="image"/> to <bpt id="3">&lt;i&gt;</bpt>Li<ept id="3">&lt;/i&gt;</ept> &amp; co.');
    assert.equal(renderXliffInline(coded, codes2, '2'), 'Say <pc id="1" type="fmt">hello</pc> <ph id="2" disp="img"/> to <sc id="3"/>Li<ec startRef="3"/> &amp; co.');
  });

  test('a code of the other family is converted, keeping its id', () => {
    assert.equal(renderXliffInline(coded, codes12, '2'), 'Say <pc id="1" dispStart="b">hello</pc> <ph id="2" disp="img"/> to <sc id="3" disp="&lt;i&gt;"/>Li<ec startRef="3"/> &amp; co.');
    assert.equal(renderXliffInline(coded, codes2, '1'), 'Say <g id="1">hello</g> <x id="2" equiv-text="img"/> to <bx id="3" rid="3" equiv-text="&lt;i&gt;"/>Li<ex id="3" rid="3" equiv-text="&lt;/i&gt;"/> &amp; co.');
  });

  test('a container pair an editor broke (reordered, crossed, half deleted) becomes markers, never malformed XML', () => {
    const broken = [`${k(1)}a${k(0)}`, `${k(0)}a ${k(3)}b${k(1)}c${k(4)}`, `only ${k(0)}open`, `only close${k(1)}`];
    for (const text of broken) {
      for (const [codes, family] of [[codes12, '1'], [codes12, '2'], [codes2, '1'], [codes2, '2']] as const) {
        const doc = makeDoc({ paragraphs: [text, 'Two.'], paragraphCodes: [codes, null] });
        assertValidXliff(renderExport(doc, family === '2' ? 'xliff' : 'xliff12'), `${JSON.stringify(text)} (${codes[0].family}→${family})`);
      }
    }
    assert.equal(renderXliffInline(`${k(1)}a${k(0)}`, codes2, '2'), '<ec id="1" isolated="yes"/>a<sc id="1" isolated="yes" disp="b"/>');
  });

  test('codes in a whole document validate in both versions; source and target share the table', () => {
    const doc = makeDoc({ paragraphs: [coded, 'Two.'], sourceParagraphs: [`Sag ${k(0)}hallo${k(1)} ${k(2)} zu ${k(3)}Li${k(4)}.`, 'Zwei.'], paragraphCodes: [codes12, null] });
    for (const format of both) assertValidXliff(renderExport(doc, format), format);
    assert.ok(renderExport(doc, 'xliff12').includes('<source>Sag <g id="1" ctype="bold">hallo</g>'));
  });

  test('text and Markdown show codes as bracketed labels; JSON keeps the characters and the table', () => {
    const doc = makeDoc({ paragraphs: [coded, 'Two.'], paragraphCodes: [codes12, null] });
    assert.ok(renderExport(doc, 'text').includes('Say [b]hello[/b] [img] to [<i>]Li[</i>] & co.'));
    assert.ok(renderExport(doc, 'markdown').includes('Say \\[b\\]hello\\[/b\\] \\[img\\] to \\[\\<i\\>\\]Li\\[\\</i\\>\\] \\& co.'));
    const json = JSON.parse(renderExport(doc, 'json'));
    assert.equal(json.paragraphs[0], coded);
    assert.deepEqual(json.codes, [codes12, null]);
  });

  test('property: any text with any codes in any order, controls and surrogates included, validates in both versions', () => {
    // rids and an annotation too: XLIFF 1.2 wants bpt/bx rids unique in each <source>/<target>,
    // also when several segments of one unit share it.
    const withRids: InlineCode[] = [
      ...codes12.slice(0, 3),
      { id: '3', kind: 'open', element: 'bpt', family: '1', xml: '<bpt id="3" rid="3">&lt;i&gt;</bpt>', label: '<i>', pair: 4 },
      { id: '3', kind: 'close', element: 'ept', family: '1', xml: '<ept id="3" rid="3">&lt;/i&gt;</ept>', label: '</i>', pair: 3 },
      { id: '5', kind: 'open', element: 'mrk', family: '1', xml: '<mrk mtype="term">', label: 'term', pair: 6 },
      { id: '5', kind: 'close', element: 'mrk', family: '1', xml: '</mrk>', label: '/term', pair: 5 },
    ];
    const piece = fc.oneof(
      fc.string({ maxLength: 3 }),
      fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
      fc.constantFrom('\uFFFE', '\uFFFF', '\uD800', '\uDC00', '&', '<', ']]>', '"', '\r'),
      fc.integer({ min: 0, max: 6 }).map((i) => k(i)),
    );
    const para = fc.array(piece, { minLength: 1, maxLength: 10 }).map((p) => p.join('') || 'x');
    fc.assert(
      fc.property(fc.array(para, { minLength: 1, maxLength: 3 }), fc.constantFrom(codes2, withRids), fc.boolean(), (paragraphs, codes, oneUnit) => {
        const doc = makeDoc({
          paragraphs,
          mtParagraphs: paragraphs,
          sourceParagraphs: paragraphs,
          paragraphCodes: paragraphs.map(() => codes),
          paragraphMeta: oneUnit ? paragraphs.map((_, i) => ({ unitId: 'u', segmentId: `s${i}` })) : undefined,
        });
        for (const format of both) assertValidXliff(renderExport(doc, format), `${format} of ${JSON.stringify(paragraphs)}`);
      }),
      { numRuns: 80 },
    );
  });
});
