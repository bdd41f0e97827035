import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'copydesk-check-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `npm run check -- …` as its own process, without any database in its environment. */
function check(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/check.ts', ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Line {
  file: string;
  check: string;
  severity: string;
  paragraphIndex: number;
  start: number;
  end: number;
  message: string;
  suggestion?: string;
  paragraphText: string;
}

const lines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

describe('npm run check --json', () => {
  test('on examples/: one object per finding with file and paragraph text; errors exit 1', async () => {
    const res = await check(['--json', 'examples']);
    assert.equal(res.code, 1, res.stderr);
    const found = lines(res.stdout);
    for (const f of found) {
      assert.ok(f.file.startsWith('examples/'));
      assert.ok(f.end <= f.paragraphText.length);
    }
    const fishing = found.filter((f) => f.file === 'examples/fishing-crackdown.txt').map((f) => [f.paragraphIndex, f.check, f.severity, f.paragraphText.slice(f.start, f.end), f.suggestion]);
    assert.deepEqual(fishing, [
      [0, 'fragments', 'warning', ' smoothly.', ''],
      [2, 'quotes', 'error', '”', '“'],
      [2, 'quotes', 'error', '“', '”'],
      [3, 'numberFormat', 'warning', '1.3 ten thousand', '13,000'],
      [3, 'numberFormat', 'warning', '120 ten thousand', '1.2 million'],
    ]);
    const metro = found.find((f) => f.file === 'examples/metro-line-4-opening.txt' && f.check === 'numberFormat');
    assert.equal(metro?.suggestion, '35 billion');
    // The JSON example has Chinese sources: their numbers match the MT's by value, so no number mismatches.
    assert.deepEqual(found.filter((f) => f.check === 'numbers'), []);
  });

  test('on the import fixtures: unreadable files are reported and exit 2, the others are still checked', async () => {
    const res = await check(['--json', 'tests/fixtures/import']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /error: tests\/fixtures\/import\/malformed\.json:6: malformed JSON/);
    assert.match(res.stderr, /error: tests\/fixtures\/import\/empty\.txt: is empty/);
    // unknown.docx is not an import file, so a folder walk leaves it out.
    assert.doesNotMatch(res.stderr, /unknown\.docx/);
    const found = lines(res.stdout);
    const files = new Set(found.map((f) => path.basename(f.file)));
    for (const name of ['article-12.xlf', 'articles.ndjson', 'feed-plain.txt', 'single.json']) assert.ok(files.has(name), `${name} was checked`);
    const leftovers = found.filter((f) => f.check === 'fragments').map((f) => f.paragraphText.slice(f.start, f.end).trim());
    assert.ok(leftovers.includes('to the exhibition.'), leftovers.join(' | '));
    assert.ok(leftovers.includes('in time.'));
  });

  test('--glossary checks terms from a CSV file', async () => {
    const csv = path.join(tmp, 'terms.csv');
    writeFileSync(csv, 'term,preferred,forbidden,sourceTerm,note\ncrack down,crack down,strike hard,,\n');
    const res = await check(['--json', '--glossary', csv, 'examples/fishing-crackdown.txt']);
    const forbidden = lines(res.stdout).filter((f) => f.check === 'glossaryForbidden');
    // The title is checked too: its findings have paragraphIndex -1 and the title as paragraphText.
    assert.deepEqual(forbidden.map((f) => [f.paragraphIndex, f.paragraphText.slice(f.start, f.end), f.suggestion]), [
      [-1, 'strike hard', 'crack down'],
      [0, 'strike hard', 'crack down'],
    ]);
    assert.match(forbidden[0].paragraphText, /strike hard against illegal fishing/);
  });

  test('title findings: paragraphIndex -1 in JSON, "title" in the text report', async () => {
    const file = path.join(tmp, 'titled.txt');
    writeFileSync(file, 'Exports rise by by 1.3 ten thousand tonnes\n\nExports rose by 13,000 tonnes in May, the bureau said.\n');
    const res = await check(['--json', file]);
    assert.equal(res.code, 0, res.stderr);
    const found = lines(res.stdout);
    assert.deepEqual(found.map((f) => [f.paragraphIndex, f.check, f.paragraphText.slice(f.start, f.end), f.suggestion]), [
      [-1, 'repeats', 'by by', 'by'],
      [-1, 'numberFormat', '1.3 ten thousand', '13,000'],
    ]);
    for (const f of found) assert.equal(f.paragraphText, 'Exports rise by by 1.3 ten thousand tonnes');
    const text = await check([file]);
    assert.match(text.stdout, /^ {2}title warning repeats: “by” is repeated\.$/m);
    assert.match(text.stdout, /Exports rise by by \[\[1\.3 ten thousand\]\] tonnes/);
  });
});

describe('npm run check (text report)', () => {
  test('a readable report with the span marked [[…]] when not on a terminal', async () => {
    const res = await check(['examples/metro-line-4-opening.txt']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^examples\/metro-line-4-opening\.txt:1 {2}Metro Line 4 will open/m);
    assert.match(res.stdout, /¶3 warning numberFormat: “3\.5 ten thousand million” is MT's rendering of 万\/亿; in English write 35 billion\./);
    assert.match(res.stdout, /The total investment of the project is about \[\[3\.5 ten thousand million\]\] yuan/);
    assert.match(res.stdout, /suggestion: "35 billion"/);
    assert.match(res.stdout, /1 file, 1 article: 0 errors, 2 warnings, 0 info\.\n$/);
    assert.doesNotMatch(res.stdout, /\x1b\[/);
  });

  test('clean prose passes with exit 0', async () => {
    const file = path.join(tmp, 'clean.txt');
    writeFileSync(file, 'Council approves budget\n\nThe council approved a budget of $3.5 million on Monday, Mr. Lee said.\n\n“It is a fair plan,” he added.\n');
    const res = await check([file]);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /^1 file, 1 article: 0 errors, 0 warnings, 0 info\.$/m);
  });

  test('--skip and --max-sentence-words', async () => {
    const res = await check(['--json', '--skip', 'quotes,fragments,sentenceCase', 'examples/fishing-crackdown.txt']);
    assert.equal(res.code, 0);
    assert.deepEqual([...new Set(lines(res.stdout).map((f) => f.check))], ['numberFormat']);
    const long = await check(['--json', '--max-sentence-words', '20', 'examples/fishing-crackdown.txt']);
    assert.ok(lines(long.stdout).some((f) => f.check === 'length' && /limit 20/.test(f.message)));
  });

  test('usage and input errors exit 2', async () => {
    const none = await check([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /error: name at least one file or folder/);
    const skip = await check(['--skip', 'spelling', 'examples']);
    assert.equal(skip.code, 2);
    assert.match(skip.stderr, /--skip: unknown check "spelling"/);
    const missing = await check(['no/such/place']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no\/such\/place: no such file or folder/);
    const bad = path.join(tmp, 'bad.csv');
    writeFileSync(bad, 'term,preferred\nfine,fine\nbroken,\n');
    const glossary = await check(['--glossary', bad, 'examples']);
    assert.equal(glossary.code, 2);
    assert.match(glossary.stderr, /--glossary .*bad\.csv: line 3: preferred: must not be empty/);
    const docx = await check(['tests/fixtures/import/unknown.docx']);
    assert.equal(docx.code, 2);
    assert.match(docx.stderr, /unknown extension "\.docx"/);
  });
});
