import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  escapeMarkdown,
  exportFileName,
  renderExport,
  renderJson,
  renderMarkdown,
  renderText,
  XLIFF_MT_SOURCE_NOTE,
  type ExportDocument,
} from '../../server/services/export/render';
import { MAX_SLUG_LENGTH, slugify } from '../../server/services/export/slugify';
import { assertValidXliff } from '../helpers/xliffSchema';

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
    assert.equal(exportFileName(makeDoc(), 'xliff12'), '42-floods-close-the-a7.xliff');
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
        'publishedAt: "2026-11-19T22:00:00.000Z"',
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
    assert.equal(escapeMarkdown('    not code'), '&#32;&#32;&#32;&#32;not code');
    assert.equal(escapeMarkdown('R&amp;D'), 'R\\&amp;D');
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

  test('xliff: XLIFF 2.0 whose targets are the approved paragraphs and sources the source text', () => {
    const xml = renderExport(makeDoc(), 'xliff');
    assertValidXliff(xml);
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2\.0" version="2\.0" srcLang="de" trgLang="en">/);
    assert.match(xml, /<unit id="title" name="title">\s*<segment state="final"><source>Hochwasser sperrt die A7<\/source><target>Floods close the A7<\/target><\/segment>/);
    assert.match(xml, /<unit id="p1">\s*<segment state="final"><source>Starkregen überflutete die Autobahn\.<\/source><target>Heavy rain flooded the motorway\.<\/target>/);
    assert.match(xml, /<unit id="p2">/);
    assert.doesNotMatch(xml, /<note>/);
  });

  test('xliff: without source text the MT is the source, a note says so, and srcLang is the MT language', () => {
    const doc = makeDoc({ externalId: null, sourceTitle: null, sourceParagraphs: [null, null], sourceLang: 'de' });
    for (const format of ['xliff', 'xliff12'] as const) {
      const xml = renderExport(doc, format);
      assertValidXliff(xml, format);
      assert.ok(xml.includes('<source>Heavy rain has flooded the motorway.</source>'));
      assert.ok(xml.includes(XLIFF_MT_SOURCE_NOTE.replace(/</g, '&lt;').replace(/>/g, '&gt;')));
    }
    assert.match(renderExport(doc, 'xliff'), /srcLang="en" trgLang="en"[\s\S]*<file id="article-42" [^>]*xml:space="preserve">/);
    assert.match(renderExport(doc, 'xliff12'), /<file original="article-42" source-language="en" target-language="en"/);
  });

  test('renderExport is deterministic, so re-exports hash identically', () => {
    for (const format of ['text', 'markdown', 'json', 'xliff', 'xliff12'] as const) {
      assert.equal(renderExport(makeDoc(), format), renderExport(makeDoc(), format));
    }
  });
});
