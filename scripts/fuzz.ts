// npm run fuzz: property-based fuzzing of the import parsers with fast-check.
//
// Every generated input (random bytes, invalid UTF-8, truncated and mutated
// JSON/NDJSON/XLIFF/feed/Markdown documents, huge lines, deep nesting) is
// written to a temporary file and read with parseFile in every format. Each
// case must end in an ImportInputError whose message names the file, or in
// valid articles: any other exception, a crash or a hang fails the run.
// Parsing runs in a worker thread so that even a synchronous endless loop is
// caught by the per-case timeout (the worker is then terminated).
//
//   npm run fuzz                          1,000 cases, random seed
//   npm run fuzz -- --runs 5000 --seed 42 reproducible, longer
//   npm run fuzz -- --timeout 5000        per-parse time limit in ms
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import fc from 'fast-check';

/** The formats parseFile accepts, plus its extension-and-content detection. */
export const FUZZ_FORMATS = ['auto', 'feed', 'markdown', 'json', 'ndjson', 'xliff'] as const;
type FuzzFormat = (typeof FUZZ_FORMATS)[number];

/** One generated input: its bytes and the file extension it is saved under. */
export interface FuzzCase {
  kind: string;
  ext: string;
  bytes: Uint8Array;
}

/** What one parse ended in. */
export type ParseOutcome =
  | { kind: 'articles'; count: number; problem?: string }
  | { kind: 'input-error'; message: string }
  | { kind: 'other-error'; name: string; message: string; stack?: string }
  | { kind: 'timeout' };

/** The result of a fuzzing run. */
export interface FuzzReport {
  seed: number;
  runs: number;
  /** parseFile calls made (runs × formats). */
  parses: number;
  articles: number;
  inputErrors: number;
  /** Cases per generator kind. */
  kinds: Record<string, number>;
  failure?: { case: { kind: string; ext: string; size: number; head: string }; format: FuzzFormat; outcome: ParseOutcome; counterexamplePath?: string };
  durationMs: number;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'import');
const EXTS = ['.txt', '.md', '.json', '.ndjson', '.jsonl', '.xlf', '.xliff', '.markdown', ''];
/** Small enough that "huge" inputs also exercise the size limit; large enough for multi-hundred-KB lines. */
const MAX_BYTES = 600_000;

// ---------------------------------------------------------------- worker side

interface WorkRequest {
  id: number;
  file: string;
  format: FuzzFormat;
}

async function parseOne(file: string, format: FuzzFormat): Promise<ParseOutcome> {
  const { parseFile } = await import('../server/services/import/parseFile');
  const { ImportInputError } = await import('../server/services/import/types');
  let count = 0;
  try {
    for await (const a of parseFile(file, { format, maxBytes: MAX_BYTES })) {
      count++;
      const problem = articleProblem(a);
      if (problem) return { kind: 'articles', count, problem };
    }
    return { kind: 'articles', count };
  } catch (error) {
    if (error instanceof ImportInputError) return { kind: 'input-error', message: error.message };
    const e = error as Error;
    return { kind: 'other-error', name: e?.name ?? typeof error, message: String(e?.message ?? error), stack: e?.stack };
  }
}

/** Why a parsed article breaks the ParsedArticle contract, or undefined when it keeps it. */
function articleProblem(a: { title: unknown; paragraphs: unknown; location: unknown; details?: unknown }): string | undefined {
  const nonEmpty = (s: unknown) => typeof s === 'string' && s.trim() !== '' && s === s.trim() && s === s.normalize('NFC');
  if (!nonEmpty(a.title)) return `title is not a trimmed non-empty NFC string: ${JSON.stringify(a.title)?.slice(0, 80)}`;
  if (!Array.isArray(a.paragraphs) || a.paragraphs.length === 0) return 'no paragraphs';
  // A translation file's segment without target is an empty MT paragraph, marked as such.
  const emptyTarget = (i: number) => (Array.isArray(a.details) ? (a.details[i] as { meta?: { emptyTarget?: boolean } } | undefined)?.meta?.emptyTarget === true : false);
  const bad = a.paragraphs.findIndex((p, i) => !(p === '' && emptyTarget(i)) && !nonEmpty(p));
  if (bad >= 0) return `paragraph ${bad} is not a trimmed non-empty NFC string`;
  if (typeof a.location !== 'object' || a.location === null) return 'no location';
  return undefined;
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === 'copydesk-fuzz-worker') {
  parentPort?.on('message', (req: WorkRequest) => {
    void parseOne(req.file, req.format).then((outcome) => parentPort?.postMessage({ id: req.id, outcome }));
  });
}

// ---------------------------------------------------------------- generators

const enc = new TextEncoder();
const utf8 = (s: string) => enc.encode(s);

function fixtureDocs(): Array<{ ext: string; bytes: Uint8Array }> {
  try {
    return readdirSync(FIXTURES)
      .filter((n) => !n.endsWith('.docx'))
      .map((n) => ({ ext: path.extname(n), bytes: new Uint8Array(readFileSync(path.join(FIXTURES, n))) }));
  } catch {
    return [];
  }
}

const word = fc.constantFrom('council', 'budget', 'Zürich', '市', 'naïve', 'e\u0301', '“quoted”', '\u200b', '<b>', '&amp;', '"', '\\', '\t', '🙂', 'ﬁ');
const sentence = fc.array(word, { minLength: 0, maxLength: 12 }).map((ws) => ws.join(' '));
const articleArb = fc.record({
  externalId: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
  title: sentence,
  paragraphs: fc.array(sentence, { minLength: 0, maxLength: 5 }),
  sourceLang: fc.option(fc.constantFrom('zh', 'en', 'fr-CA', 'xx-', '', 'EN_gb'), { nil: undefined }),
  publishedAt: fc.option(fc.constantFrom('2023-04-02', 'April 2, 2023', 'not a date', '2023-13-45T99:00'), { nil: undefined }),
});

const escXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Plausible documents in every format, which mutations then damage. */
const validDoc: fc.Arbitrary<{ ext: string; text: string }> = fc.oneof(
  fc.array(articleArb, { maxLength: 4 }).map((as) => ({ ext: '.json', text: JSON.stringify(as, null, 1) })),
  articleArb.map((a) => ({ ext: '.json', text: JSON.stringify(a) })),
  fc.array(articleArb, { maxLength: 5 }).map((as) => ({ ext: '.ndjson', text: as.map((a) => JSON.stringify(a)).join('\n') })),
  articleArb.map((a) => ({ ext: '.txt', text: [a.title, '', ...a.paragraphs.flatMap((p) => [p, ''])].join('\n') })),
  articleArb.map((a) => ({ ext: '.md', text: `---\nexternalId: ${a.externalId ?? ''}\n---\n\n# ${a.title}\n\n${a.paragraphs.join('\n\n')}\n` })),
  fc.tuple(articleArb, fc.boolean()).map(([a, v2]) => ({
    ext: '.xlf',
    text: v2
      ? `<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh" trgLang="en"><file id="f"><unit id="title"><segment><source>s</source><target>${escXml(a.title)}</target></segment></unit>${a.paragraphs.map((p, i) => `<unit id="p${i}"><segment><source>s</source><target>${escXml(p)}</target></segment></unit>`).join('')}</file></xliff>`
      : `<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="f" source-language="zh" target-language="en"><body><trans-unit id="title"><source>s</source><target>${escXml(a.title)}</target></trans-unit>${a.paragraphs.map((p, i) => `<trans-unit id="${i + 1}"><source>s</source><target>${escXml(p)}</target></trans-unit>`).join('')}</body></file></xliff>`,
  })),
);

const INVALID_UTF8 = [[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x28, 0x8c, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x00], [0xef, 0xbb, 0xbf], [0xfe, 0xff]];

function insertAt(bytes: Uint8Array, at: number, extra: ArrayLike<number>): Uint8Array {
  const i = Math.min(at, bytes.length);
  const out = new Uint8Array(bytes.length + extra.length);
  out.set(bytes.subarray(0, i));
  out.set(extra, i);
  out.set(bytes.subarray(i), i + extra.length);
  return out;
}

/** The generator of fuzz cases: a weighted mix of every kind of hostile input. */
export function fuzzCaseArbitrary(): fc.Arbitrary<FuzzCase> {
  const fixtures = fixtureDocs();
  const base: fc.Arbitrary<{ ext: string; bytes: Uint8Array }> = fixtures.length
    ? fc.oneof({ arbitrary: validDoc.map((d) => ({ ext: d.ext, bytes: utf8(d.text) })), weight: 3 }, { arbitrary: fc.constantFrom(...fixtures), weight: 1 })
    : validDoc.map((d) => ({ ext: d.ext, bytes: utf8(d.text) }));
  const ext = fc.constantFrom(...EXTS);

  const randomBytes = fc.tuple(fc.uint8Array({ maxLength: 4096 }), ext).map(([bytes, e]): FuzzCase => ({ kind: 'random-bytes', ext: e, bytes }));
  const randomText = fc.tuple(fc.string({ unit: 'grapheme', maxLength: 2000 }), ext).map(([s, e]): FuzzCase => ({ kind: 'random-text', ext: e, bytes: utf8(s) }));
  const wellFormed = base.map((d): FuzzCase => ({ kind: 'well-formed', ...d }));
  const truncated = fc.tuple(base, fc.double({ min: 0, max: 1, noNaN: true })).map(([d, f]): FuzzCase => ({ kind: 'truncated', ext: d.ext, bytes: d.bytes.subarray(0, Math.floor(d.bytes.length * f)) }));
  const invalidUtf8 = fc
    .tuple(base, fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...INVALID_UTF8))
    .map(([d, f, bad]): FuzzCase => ({ kind: 'invalid-utf8', ext: d.ext, bytes: insertAt(d.bytes, Math.floor(d.bytes.length * f), bad) }));
  const mutated = fc
    .tuple(base, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 8 }))
    .map(([d, edits]): FuzzCase => {
      let b: Uint8Array = new Uint8Array(d.bytes);
      for (const [f, v, op] of edits) {
        const i = Math.floor(b.length * f);
        if (op === 'set' && i < b.length) b[i] = v;
        else if (op === 'insert') b = insertAt(b, i, [v]);
        else if (op === 'delete' && i < b.length) b = new Uint8Array([...b.subarray(0, i), ...b.subarray(i + 1)]);
      }
      return { kind: 'mutated', ext: d.ext, bytes: b };
    });
  const structural = fc
    .tuple(base, fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\n', '\r', '<', '>', '</target>', '<target>', '<!--', ']]>', '&#0;', '&xxe;', 'null', '\\u0000', '\\ud800'), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([d, tok, f]): FuzzCase => ({ kind: 'malformed', ext: d.ext, bytes: insertAt(d.bytes, Math.floor(d.bytes.length * f), utf8(tok)) }));
  const hugeLine = fc
    .tuple(fc.integer({ min: 100_000, max: 700_000 }), fc.constantFrom('.txt', '.md', '.json', '.ndjson', '.xlf'), fc.constantFrom('a', 'word ', '{', '"', '市'))
    .map(([n, e, unit]): FuzzCase => {
      const body = unit.repeat(Math.ceil(n / Buffer.byteLength(unit)));
      const text =
        e === '.json' ? `[{"title":"T","paragraphs":["${body.replace(/["\\]/g, 'x')}"]}]` : e === '.ndjson' ? `{"title":"T","paragraphs":["${body.replace(/["\\]/g, 'x')}"]}\n${body}` : e === '.xlf' ? `<xliff version="1.2"><file><body><trans-unit id="title"><target>${escXml(body)}</target></trans-unit></body></file></xliff>` : `Title\n\n${body}`;
      return { kind: 'huge-line', ext: e, bytes: utf8(text) };
    });
  const deepNesting = fc
    .tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.constantFrom('json-array', 'json-object', 'ndjson', 'xml', 'markdown'))
    .map(([n, shape]): FuzzCase => {
      const text =
        shape === 'json-array'
          ? '['.repeat(n) + ']'.repeat(n)
          : shape === 'json-object'
            ? `{"title":"T","paragraphs":["p"],"metadata":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`
            : shape === 'ndjson'
              ? `{"title":"T","paragraphs":["p"]}\n{"title":"U","paragraphs":${'['.repeat(n)}${']'.repeat(n)}}`
              : shape === 'xml'
                ? `<?xml version="1.0"?><xliff version="1.2"><file><body><trans-unit id="title"><target>${'<g>'.repeat(Math.min(n, 100_000))}x${'</g>'.repeat(Math.min(n, 100_000))}</target></trans-unit></body></file></xliff>`
                : `# T\n\n${'> '.repeat(Math.min(n, 50_000))}quote\n`;
      const ext = shape === 'xml' ? '.xlf' : shape === 'markdown' ? '.md' : shape === 'ndjson' ? '.ndjson' : '.json';
      return { kind: 'deep-nesting', ext, bytes: utf8(text) };
    });
  return fc.oneof(
    { arbitrary: randomBytes, weight: 3 },
    { arbitrary: randomText, weight: 2 },
    { arbitrary: wellFormed, weight: 2 },
    { arbitrary: truncated, weight: 3 },
    { arbitrary: invalidUtf8, weight: 3 },
    { arbitrary: mutated, weight: 4 },
    { arbitrary: structural, weight: 3 },
    { arbitrary: hugeLine, weight: 1 },
    { arbitrary: deepNesting, weight: 1 },
  );
}

// ---------------------------------------------------------------- driver

class ParserPool {
  private worker!: Worker;
  private next = 0;
  private pending = new Map<number, (o: ParseOutcome) => void>();

  constructor() {
    this.spawn();
  }

  private spawn() {
    // The worker loads this TypeScript file through tsx's API: execArgv loaders are not inherited by workers on Node 20.
    const boot = `import('tsx/esm/api').then((m) => m.tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`;
    this.worker = new Worker(boot, { eval: true, workerData: { role: 'copydesk-fuzz-worker' }, resourceLimits: { maxOldGenerationSizeMb: 512 } });
    this.worker.on('message', (m: { id: number; outcome: ParseOutcome }) => {
      this.pending.get(m.id)?.(m.outcome);
      this.pending.delete(m.id);
    });
    this.worker.on('error', (err) => this.failAll({ kind: 'other-error', name: 'WorkerCrash', message: String(err?.message ?? err), stack: err?.stack }));
    this.worker.on('exit', (code) => this.failAll({ kind: 'other-error', name: 'WorkerExit', message: `the parser worker exited with code ${code}` }));
    this.worker.unref();
  }

  private failAll(o: ParseOutcome) {
    for (const resolve of this.pending.values()) resolve(o);
    this.pending.clear();
  }

  async parse(file: string, format: FuzzFormat, timeoutMs: number): Promise<ParseOutcome> {
    const id = ++this.next;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await new Promise<ParseOutcome>((resolve) => {
      this.pending.set(id, resolve);
      timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
      this.worker.postMessage({ id, file, format } satisfies WorkRequest);
    });
    clearTimeout(timer);
    if (outcome.kind === 'timeout' || (outcome.kind === 'other-error' && outcome.name.startsWith('Worker'))) {
      // A hung or dead worker cannot be trusted for the next case.
      this.pending.delete(id);
      await this.worker.terminate().catch(() => undefined);
      this.spawn();
    }
    return outcome;
  }

  async close() {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/** Why an outcome breaks the rule "an ImportInputError naming the file, or valid articles". */
export function outcomeProblem(outcome: ParseOutcome, file: string): string | undefined {
  if (outcome.kind === 'timeout') return 'the parse did not finish in time (hang)';
  if (outcome.kind === 'other-error') return `threw ${outcome.name}: ${outcome.message}`;
  if (outcome.kind === 'input-error' && !outcome.message.startsWith(file)) return `ImportInputError does not start with the file name: ${outcome.message}`;
  if (outcome.kind === 'articles' && outcome.problem) return `invalid article: ${outcome.problem}`;
  return undefined;
}

/**
 * Runs `runs` fuzz cases through parseFile in every format. Resolves with a
 * report; `report.failure` is set (with the shrunk counterexample saved to a
 * file) when a case broke the contract.
 */
export async function fuzzImportParsers(opts: { runs: number; seed?: number; timeoutMs?: number; onProgress?: (done: number) => void }): Promise<FuzzReport> {
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const dir = mkdtempSync(path.join(tmpdir(), 'copydesk-fuzz-'));
  const pool = new ParserPool();
  const started = Date.now();
  const report: FuzzReport = { seed, runs: 0, parses: 0, articles: 0, inputErrors: 0, kinds: {}, durationMs: 0 };
  let n = 0;
  try {
    const result = await fc.check(
      fc.asyncProperty(fuzzCaseArbitrary(), async (c) => {
        const file = path.join(dir, `case-${++n}${c.ext}`);
        writeFileSync(file, c.bytes);
        try {
          for (const format of FUZZ_FORMATS) {
            const outcome = await pool.parse(file, format, timeoutMs);
            report.parses++;
            if (outcome.kind === 'articles') report.articles += outcome.count;
            if (outcome.kind === 'input-error') report.inputErrors++;
            const problem = outcomeProblem(outcome, file);
            if (problem) {
              report.failure = { case: { kind: c.kind, ext: c.ext, size: c.bytes.length, head: Buffer.from(c.bytes.subarray(0, 200)).toString('latin1') }, format, outcome };
              throw new Error(`${c.kind} case (${c.bytes.length} bytes, ${c.ext || 'no extension'}) as ${format}: ${problem}`);
            }
          }
          return true;
        } finally {
          rmSync(file, { force: true });
        }
      }),
      { numRuns: opts.runs, seed },
    );
    report.runs = result.numRuns;
    if (result.failed && result.counterexample) {
      const [c] = result.counterexample;
      const keep = path.join(tmpdir(), `copydesk-fuzz-counterexample-${seed}${c.ext}`);
      writeFileSync(keep, c.bytes);
      report.failure ??= { case: { kind: c.kind, ext: c.ext, size: c.bytes.length, head: '' }, format: 'auto', outcome: { kind: 'other-error', name: 'Error', message: String(result.errorInstance) } };
      report.failure.counterexamplePath = keep;
    }
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
  // Count kinds separately with the same seed: fc.check does not expose the generated values.
  for (const c of fc.sample(fuzzCaseArbitrary(), { numRuns: Math.min(opts.runs, 2000), seed })) report.kinds[c.kind] = (report.kinds[c.kind] ?? 0) + 1;
  report.durationMs = Date.now() - started;
  return report;
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

if (isMainThread && process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const runs = Number(argValue(args, 'runs') ?? 1000);
  const seedArg = argValue(args, 'seed');
  const timeoutMs = Number(argValue(args, 'timeout') ?? 10_000);
  if (!Number.isInteger(runs) || runs < 1 || (seedArg !== undefined && !/^-?\d+$/.test(seedArg)) || !Number.isInteger(timeoutMs) || timeoutMs < 100) {
    console.error('usage: npm run fuzz -- [--runs N (default 1000)] [--seed N] [--timeout MS (default 10000)]');
    process.exit(2);
  }
  const report = await fuzzImportParsers({ runs, seed: seedArg === undefined ? undefined : Number(seedArg), timeoutMs });
  console.log(JSON.stringify(report, null, 2));
  if (report.failure) {
    console.error(`\nFAILED: rerun with --seed ${report.seed}; counterexample saved to ${report.failure.counterexamplePath ?? '(not saved)'}`);
    process.exit(1);
  }
  console.log(`\nOK: ${report.runs} cases, ${report.parses} parses (${report.inputErrors} refused with ImportInputError, ${report.articles} articles accepted) in ${(report.durationMs / 1000).toFixed(1)} s, seed ${report.seed}.`);
}
