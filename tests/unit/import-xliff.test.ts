import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeChar as c, plainText } from '../../shared/inlineCodes';
import { parseFile } from '../../server/services/import/parseFile';
import { identityOf, parseXliff } from '../../server/services/import/parseXliff';
import { ImportInputError, type ParsedArticle } from '../../server/services/import/types';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

async function collect(path: string): Promise<ParsedArticle[]> {
  const articles: ParsedArticle[] = [];
  for await (const article of parseFile(path)) articles.push(article);
  return articles;
}

async function xliffError(text: string): Promise<ImportInputError> {
  try {
    await parseXliff(text, 'draft.xlf');
  } catch (error) {
    assert.ok(error instanceof ImportInputError, `expected ImportInputError, got ${String(error)}`);
    return error;
  }
  return assert.fail('expected parseXliff to throw');
}

const xliff12 = (units: string, fileAttributes = 'original="a1" source-language="zh" target-language="en"', root = '<xliff version="1.2">') =>
  `<?xml version="1.0"?>\n${root}\n<file ${fileAttributes}>\n<body>\n${units}\n</body>\n</file>\n</xliff>\n`;
const unit12 = (id: string, source: string, target: string, attributes = '') => `<trans-unit id="${id}"${attributes}><source>${source}</source><target>${target}</target></trans-unit>`;
const xliff20 = (units: string, version = '2.0') =>
  `<xliff xmlns="urn:oasis:names:tc:xliff:document:${version}" version="${version}" srcLang="zh" trgLang="en">\n<file id="f1">\n${units}\n</file>\n</xliff>`;

describe('XLIFF 1.x', () => {
  test('reads title, aligned paragraphs, languages, an identity of its own and the version read', async () => {
    const [article, ...rest] = await collect(fixture('article-12.xlf'));
    assert.equal(rest.length, 0);
    assert.equal(article.externalId, 'xliff:article-12.xlf|news/2023/fishing-0402.html||zh-CN>en');
    assert.equal(article.sourceLang, 'zh-CN');
    assert.equal(article.title, 'Our city launches a special campaign to strike hard against illegal fishing');
    assert.equal(article.source?.title, '我市开展严厉打击非法捕捞专项行动');
    assert.equal(article.paragraphs.length, 3);
    assert.match(article.paragraphs[0], /^On April 1, our city held/);
    assert.equal(article.notes[0], 'read as XLIFF 1.2');
  });

  test('inline codes are kept as code characters with their markup, in source and target', async () => {
    const [article] = await parseXliff(
      xliff12(unit12('1', 'Click <g id="1" ctype="bold">here</g> <x id="2" equiv-text="{{name}}"/> <bpt id="3">&lt;i&gt;</bpt>now<ept id="3">&lt;/i&gt;</ept>', 'Klicken <g id="1" ctype="bold">hier</g> <x id="2" equiv-text="{{name}}"/> <bpt id="3">&lt;i&gt;</bpt>jetzt<ept id="3">&lt;/i&gt;</ept>')),
      'codes.xlf',
    );
    assert.equal(article.paragraphs[0], `Klicken ${c(0)}hier${c(1)} ${c(2)} ${c(3)}jetzt${c(4)}`);
    assert.equal(article.source?.paragraphs?.[0], `Click ${c(0)}here${c(1)} ${c(2)} ${c(3)}now${c(4)}`);
    const codes = article.details?.[0].codes ?? [];
    assert.deepEqual(codes.map((k) => [k.element, k.kind, k.id, k.pair]), [['g', 'open', '1', 1], ['g', 'close', '1', 0], ['x', 'standalone', '2', undefined], ['bpt', 'open', '3', 4], ['ept', 'close', '3', 3]]);
    assert.equal(codes[0].xml, '<g id="1" ctype="bold">');
    assert.equal(codes[1].xml, '</g>');
    assert.equal(codes[3].xml, '<bpt id="3">&lt;i&gt;</bpt>');
    assert.equal(plainText(article.paragraphs[0], codes), 'Klicken [bold]hier[/bold] [{{name}}] [<i>]jetzt[</i>]');
    assert.ok(codes.every((k) => k.family === '1'));
  });

  test('empty or missing targets are paragraphs still to be translated; states, notes and translate="no" are kept', async () => {
    const [article] = await parseXliff(
      xliff12(
        [
          `<trans-unit id="a" approved="yes"><source>One</source><target state="translated">Eins</target><note from="dev" priority="2">Keep short</note></trans-unit>`,
          `<trans-unit id="b"><source>Two</source><target state="needs-review-translation"></target></trans-unit>`,
          `<trans-unit id="c"><source>Three</source></trans-unit>`,
          `<group><trans-unit id="d" translate="no"><source>ACME</source><target>ACME</target></trans-unit></group>`,
        ].join('\n'),
      ),
      'strings.xlf',
    );
    assert.equal(article.title, 'strings.xlf');
    assert.deepEqual(article.paragraphs, ['Eins', '', '', 'ACME']);
    assert.deepEqual(article.details?.map((d) => d.meta), [
      { original: 'a1', unitId: 'a', state: 'approved', notes: [{ text: 'Keep short', from: 'dev', priority: 2 }] },
      { original: 'a1', unitId: 'b', state: 'needs-review-translation', emptyTarget: true },
      { original: 'a1', unitId: 'c', emptyTarget: true },
      { original: 'a1', unitId: 'd', locked: true },
    ]);
    assert.ok(article.notes.includes('2 paragraphs have no target yet (to be translated)'));
  });

  test('a short-string file is one article of many short paragraphs; a unit named "title" is the title', async () => {
    const [plain] = await parseXliff(xliff12(`${unit12('ok', 'OK', 'OK')}${unit12('cancel', 'Cancel', 'Abbrechen')}`), 'ui.de.xlf');
    assert.equal(plain.title, 'ui.de.xlf');
    assert.deepEqual(plain.paragraphs, ['OK', 'Abbrechen']);
    const [titled] = await parseXliff(xliff12(`${unit12('p1', 'a', 'A.')}${unit12('t', '标题', 'Headline', ' resname="title"')}`), 'x.xlf');
    assert.equal(titled.title, 'Headline');
    assert.deepEqual(titled.paragraphs, ['A.']);
  });

  test('XLIFF 1.0 and 1.1, no namespace or a prefixed one, are read alike', async () => {
    for (const root of ['<xliff version="1.0">', '<xliff version="1.1" xmlns="urn:oasis:names:tc:xliff:document:1.1">']) {
      const [a] = await parseXliff(xliff12(unit12('1', 'a', 'A'), undefined, root), 'old.xlf');
      assert.deepEqual(a.paragraphs, ['A']);
    }
    const prefixed = `<x:xliff xmlns:x="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><x:file original="o" source-language="en" target-language="de"><x:body><x:trans-unit id="1"><x:source>Hi <x:x id="1"/></x:source><x:target>Hallo <x:x id="1"/></x:target></x:trans-unit></x:body></x:file></x:xliff>`;
    const [p] = await parseXliff(prefixed, 'p.xlf');
    assert.equal(p.paragraphs[0], `Hallo ${c(0)}`);
  });

  test('sdlxliff: one paragraph per <mrk mtype="seg">, with the sdl:seg confirmation level as state', async () => {
    const text = `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" version="1.2"><file original="a.docx" source-language="en-US" target-language="de-DE"><body><group><trans-unit id="u1">
<source>One. Two.</source><seg-source><mrk mtype="seg" mid="1">One.</mrk> <mrk mtype="seg" mid="2">Two <g id="5">b</g>.</mrk></seg-source>
<target><mrk mtype="seg" mid="1">Eins.</mrk> <mrk mtype="seg" mid="2">Zwei <g id="5">b</g>.</mrk></target>
<sdl:seg-defs><sdl:seg id="1" conf="Translated"/><sdl:seg id="2" conf="ApprovedSignOff" locked="true"/></sdl:seg-defs></trans-unit></group></body></file></xliff>`;
    const [a] = await parseXliff(text, 'a.docx.sdlxliff');
    assert.deepEqual(a.paragraphs, ['Eins.', `Zwei ${c(0)}b${c(1)}.`]);
    assert.deepEqual(a.details?.map((d) => [d.meta?.segmentId, d.meta?.state, d.meta?.locked ?? false]), [['1', 'Translated', false], ['2', 'ApprovedSignOff', true]]);
    assert.equal(a.notes[0], 'read as XLIFF 1.2, written by Trados Studio (sdlxliff)');
  });
});

describe('XLIFF 2.x', () => {
  test('each segment of a unit is a paragraph keeping unit and segment ids; groups without id are read', async () => {
    const [a] = await parseXliff(
      xliff20(`<group><unit id="u1" name="lead"><notes><note category="style">Formal</note></notes><segment id="s1" state="final"><source>A.</source><target>Eins.</target></segment><ignorable><source> </source></ignorable><segment id="s2"><source>B <pc id="1">b</pc> <ph id="2" equiv="{0}"/>.</source><target>Zwei <pc id="1">b</pc> <ph id="2" equiv="{0}"/>.</target></segment></unit></group>`, '2.2'),
      'doc.xlf',
    );
    assert.deepEqual(a.paragraphs, ['Eins.', `Zwei ${c(0)}b${c(1)} ${c(2)}.`]);
    assert.deepEqual(a.details?.map((d) => d.meta), [
      { fileId: 'f1', unitId: 'u1', segmentId: 's1', resname: 'lead', state: 'final', notes: [{ text: 'Formal', category: 'style' }] },
      { fileId: 'f1', unitId: 'u1', segmentId: 's2', resname: 'lead', notes: [{ text: 'Formal', category: 'style' }] },
    ]);
    assert.equal(a.details?.[1].codes?.[2].label, '{0}');
    assert.equal(a.details?.[1].codes?.[0].family, '2');
  });

  test('sc/ec pair by startRef, isolated codes stay unpaired, translate="no" inherits', async () => {
    const [a] = await parseXliff(
      xliff20(`<unit id="1" translate="no"><segment><source><sc id="1"/>x<ec startRef="1"/> <sc id="2" isolated="yes"/></source><target><sc id="1"/>y<ec startRef="1"/> <sc id="2" isolated="yes"/></target></segment></unit>`),
      'sc.xlf',
    );
    const codes = a.details?.[0].codes ?? [];
    assert.deepEqual(codes.map((k) => [k.element, k.kind, k.pair]), [['sc', 'open', 1], ['ec', 'close', 0], ['sc', 'open', undefined]]);
    assert.equal(a.details?.[0].meta?.locked, true);
  });

  test('two unrelated files with <file id="f1"> get different identities; languages and name count', () => {
    const one = identityOf('a.xlf', { id: 'f1' }, { sourceLang: 'en', targetLang: 'de' });
    assert.notEqual(one, identityOf('b.xlf', { id: 'f1' }, { sourceLang: 'en', targetLang: 'de' }));
    assert.notEqual(one, identityOf('a.xlf', { id: 'f1' }, { sourceLang: 'en', targetLang: 'fr' }));
    const long = identityOf('x'.repeat(300), { original: 'ng2.template' }, {});
    assert.ok([...long].length <= 256);
    assert.notEqual(long, identityOf(`${'x'.repeat(299)}y`, { original: 'ng2.template' }, {}));
  });
});

describe('refusals name the line and what to do', () => {
  test('malformed XML', async () => {
    const path = fixture('malformed.xliff');
    await assert.rejects(collect(path), (error: unknown) => {
      assert.ok(error instanceof ImportInputError);
      assert.match(error.message, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:12: malformed XML: .*; fix the file or export it again from its tool$`));
      return true;
    });
  });

  test('not XLIFF, unknown version, no file, no text, reserved characters', async () => {
    assert.equal((await xliffError('<tmx version="1.4"><body/></tmx>')).message, 'draft.xlf:1: the root element is <tmx>; expected <xliff>, so this is not an XLIFF document');
    assert.match((await xliffError('<xliff version="3.0"><file/></xliff>')).message, /^draft\.xlf:1: XLIFF version "3\.0" is not one Copydesk reads; expected one of 1\.0, 1\.1, 1\.2, 2\.0, 2\.1, 2\.2$/);
    assert.equal((await xliffError('<xliff version="1.2"></xliff>')).message, 'draft.xlf: has no <file> element, so there is nothing to import');
    assert.match((await xliffError(xliff12('<trans-unit id="1"><source> </source></trans-unit>'))).message, /^draft\.xlf:3: has no segment with source or target text/);
    assert.match((await xliffError(xliff12(unit12('1', 'a', 'A\ue105')))).message, /^draft\.xlf:5: contains the private-use character U\+E105/);
  });

  test('an .sdlxliff, .mqxliff, .txlf or no extension at all is read as XLIFF by its content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'copydesk-xliff-ext-'));
    try {
      const text = xliff12(unit12('1', 'a', 'A'));
      for (const name of ['a.sdlxliff', 'b.mqxliff', 'c.txlf', 'd']) {
        await writeFile(join(dir, name), text);
        const [article] = await collect(join(dir, name));
        assert.deepEqual(article.paragraphs, ['A'], name);
        assert.ok(article.notes.some((n) => n.startsWith('read as XLIFF 1.2')), name);
      }
      await writeFile(join(dir, 'e.txlf'), 'plain words');
      await assert.rejects(collect(join(dir, 'e.txlf')), /unknown extension "\.txlf"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
