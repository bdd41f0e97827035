import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { xliff2js } from 'xliff';
import {
  escapeMarkdown,
  exportFileName,
  renderExport,
  renderJson,
  renderMarkdown,
  renderText,
  renderXliff,
  XLIFF_MT_SOURCE_NOTE,
  type ExportDocument,
} from '../../server/services/export/render';
import { MAX_SLUG_LENGTH, slugify } from '../../server/services/export/slugify';

function makeDoc(overrides: Partial<ExportDocument> = {}): ExportDocument {
  return {
    id: 42,
    externalId: 'afp-2026-0042',
    title: 'Floods close the A7',
    paragraphs: ['Heavy rain flooded the motorway.', 'Police expect delays until Sunday.'],
    mtTitle: 'Floods closes A7',
    mtParagraphs: ['Heavy rain has flooded the motorway.', 'Police expects delays to Sunday.'],
    sourceTitle: 'Hochwasser sperrt die A7',
    sourceParagraphs: ['Starkregen überflutete die Autobahn.', 'Die Polizei erwartet Staus bis Sonntag.'],
    revision: { id: 310, number: 4 },
    approvedBy: 'rita',
    approvedAt: new Date('2026-11-20T08:15:00.000Z'),
    sourceLang: 'de',
    targetLang: 'en',
    publishedAt: new Date('2026-11-19T22:00:00.000Z'),
    metadata: { section: 'regional', tags: ['weather'] },
    ...overrides,
  };
}

interface XliffUnits {
  sourceLanguage: string;
  targetLanguage: string;
  resources: Record<string, Record<string, { source: string; target: string; note?: string }>>;
}

describe('slugify', () => {
  test('ASCII, lower case, hyphen-separated', () => {
    assert.equal(slugify('Floods close the A7'), 'floods-close-the-a7');
    assert.equal(slugify('  Mayor: "We will rebuild!"  '), 'mayor-we-will-rebuild');
  });
  test('accents dropped, special letters transliterated, apostrophes joined', () => {
    assert.equal(slugify('Ärger über Straßenbau in Łódź'), 'arger-uber-strassenbau-in-lodz');
    assert.equal(slugify("Don't panic – Œuvre in Ørsted’s town"), 'dont-panic-oeuvre-in-orsteds-town');
  });
  test('a title without Latin letters or digits gives "article"', () => {
    assert.equal(slugify('东京 — 速報'), 'article');
    assert.equal(slugify('!!!'), 'article');
  });
  test('long titles are cut at a word boundary', () => {
    const slug = slugify('The committee published a very long report about the long-term consequences of the decision');
    assert.ok(slug.length <= MAX_SLUG_LENGTH);
    assert.equal(slug, 'the-committee-published-a-very-long-report-about-the-long');
  });
  test('file names are <id>-<slug>.<ext>', () => {
    assert.equal(exportFileName(makeDoc(), 'text'), '42-floods-close-the-a7.txt');
    assert.equal(exportFileName(makeDoc(), 'markdown'), '42-floods-close-the-a7.md');
    assert.equal(exportFileName(makeDoc(), 'json'), '42-floods-close-the-a7.json');
    assert.equal(exportFileName(makeDoc(), 'xliff'), '42-floods-close-the-a7.xlf');
  });
});

describe('renderers', () => {
  test('text: title, blank line, paragraphs separated by blank lines', () => {
    assert.equal(renderText(makeDoc()), 'Floods close the A7\n\nHeavy rain flooded the motorway.\n\nPolice expect delays until Sunday.\n');
  });

  test('markdown: front matter with provenance, then the heading and paragraphs', () => {
    assert.equal(
      renderMarkdown(makeDoc()),
      [
        '---',
        'id: 42',
        'externalId: "afp-2026-0042"',
        'revision:',
        '  number: 4',
        '  id: 310',
        'approver: "rita"',
        'approvedAt: "2026-11-20T08:15:00.000Z"',
        'sourceLang: "de"',
        'targetLang: "en"',
        '---',
        '',
        '# Floods close the A7',
        '',
        'Heavy rain flooded the motorway.',
        '',
        'Police expect delays until Sunday.',
        '',
      ].join('\n'),
    );
  });

  test('markdown: missing values are null and quotes cannot break the front matter', () => {
    const md = renderMarkdown(makeDoc({ externalId: 'a"b\nc', approvedBy: null, sourceLang: null }));
    assert.match(md, /^externalId: "a\\"b\\nc"$/m);
    assert.match(md, /^approver: null$/m);
    assert.match(md, /^sourceLang: null$/m);
  });

  test('markdown: text that looks like markup is escaped', () => {
    assert.equal(escapeMarkdown('# Not a heading'), '\\# Not a heading');
    assert.equal(escapeMarkdown('1. Not a list'), '1\\. Not a list');
    assert.equal(escapeMarkdown('- dash'), '\\- dash');
    assert.equal(escapeMarkdown('> not a quote'), '\\> not a quote');
    assert.equal(escapeMarkdown('a *b* _c_ [d](e) <f> `g`'), 'a \\*b\\* \\_c\\_ \\[d\\](e) \\<f\\> \\`g\\`');
    assert.equal(escapeMarkdown('    not code'), 'not code');
    assert.equal(escapeMarkdown('Plain text, 3.5% up.'), 'Plain text, 3.5% up.');
  });

  test('json: the approved text with source, revision and provenance', () => {
    assert.deepEqual(JSON.parse(renderJson(makeDoc())), {
      id: 42,
      externalId: 'afp-2026-0042',
      title: 'Floods close the A7',
      paragraphs: ['Heavy rain flooded the motorway.', 'Police expect delays until Sunday.'],
      source: { title: 'Hochwasser sperrt die A7', paragraphs: ['Starkregen überflutete die Autobahn.', 'Die Polizei erwartet Staus bis Sonntag.'] },
      revision: { id: 310, number: 4 },
      approvedBy: 'rita',
      approvedAt: '2026-11-20T08:15:00.000Z',
      sourceLang: 'de',
      targetLang: 'en',
      publishedAt: '2026-11-19T22:00:00.000Z',
      metadata: { section: 'regional', tags: ['weather'] },
    });
  });

  test('json: no source section without source text; a partial source keeps nulls aligned', () => {
    const none = JSON.parse(renderJson(makeDoc({ sourceTitle: null, sourceParagraphs: [null, null] })));
    assert.equal('source' in none, false);
    const partial = JSON.parse(renderJson(makeDoc({ sourceTitle: null, sourceParagraphs: ['Erster.', null] })));
    assert.deepEqual(partial.source, { paragraphs: ['Erster.', null] });
  });

  test('xliff: XLIFF 2.0 whose targets are the approved paragraphs and sources the source text', async () => {
    const xml = await renderXliff(makeDoc());
    assert.match(xml, /^<xliff xmlns="urn:oasis:names:tc:xliff:document:2\.0" version="2\.0" srcLang="de" trgLang="en">/);
    const js = (await xliff2js(xml)) as XliffUnits;
    assert.deepEqual([js.sourceLanguage, js.targetLanguage], ['de', 'en']);
    const units = js.resources['afp-2026-0042'];
    assert.deepEqual(Object.keys(units), ['title', 'p1', 'p2']);
    assert.deepEqual(units.title, { source: 'Hochwasser sperrt die A7', target: 'Floods close the A7' });
    assert.deepEqual([units.p1.target, units.p2.target], makeDoc().paragraphs);
    assert.deepEqual([units.p1.source, units.p2.source], makeDoc().sourceParagraphs);
    assert.equal(units.p1.note, undefined);
  });

  test('xliff: without source text the MT is the source, a note says so, and srcLang is the MT language', async () => {
    const doc = makeDoc({ externalId: null, sourceTitle: null, sourceParagraphs: [null, null], sourceLang: 'de' });
    const js = (await xliff2js(await renderXliff(doc))) as XliffUnits;
    assert.deepEqual([js.sourceLanguage, js.targetLanguage], ['en', 'en']);
    const units = js.resources['article-42'];
    assert.deepEqual(units.p1, { source: 'Heavy rain has flooded the motorway.', target: 'Heavy rain flooded the motorway.', note: XLIFF_MT_SOURCE_NOTE });
    assert.equal(units.title.source, 'Floods closes A7');
  });

  test('xliff: markup-like text and XML-invalid characters survive or are dropped, never breaking the XML', async () => {
    const doc = makeDoc({ title: 'R&D <2026>', paragraphs: ['a < b && c > "d" \u0007bell', 'ends with ]]>'] });
    const js = (await xliff2js(await renderXliff(doc))) as XliffUnits;
    const units = js.resources['afp-2026-0042'];
    assert.equal(units.title.target, 'R&D <2026>');
    assert.equal(units.p1.target, 'a < b && c > "d" bell');
    assert.equal(units.p2.target, 'ends with ]]>');
  });

  test('renderExport is deterministic, so re-exports hash identically', async () => {
    for (const format of ['text', 'markdown', 'json', 'xliff'] as const) {
      assert.equal(await renderExport(makeDoc(), format), await renderExport(makeDoc(), format));
    }
  });
});
