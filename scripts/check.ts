// npm run check -- [--json] [--glossary terms.csv] [--max-sentence-words N] [--skip check,…] <file-or-folder>…
// Runs the QA checks on import files without importing them and without a
// database. See docs/cli.md, "Check files before importing".
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../server/config';
import { HttpError } from '../server/errors';
import { QA_CHECKS, resolveQaConfig, runQaChecks, TITLE_INDEX, type Finding, type QaCheck, type QaConfig, type QaGlossaryEntry } from '../server/policy/qa';
import { parseFile } from '../server/services/import/parseFile';
import { ImportInputError } from '../server/services/import/types';
import { parseGlossaryCsv } from '../server/services/glossaryCsv';

/** A usage or input error: printed without a stack, exit code 2. (scripts/lib/cli is not used: it loads the database stack, and this command needs none.) */
class CliError extends Error {
  override name = 'CliError';
  readonly exitCode = 2;
}

const USAGE = `usage: npm run check -- [options] <file-or-folder>...

Runs the QA checks on import files (the MT text, against the source where the
file has one) without importing them. Folders are searched recursively for
.txt, .md, .markdown, .json, .ndjson, .jsonl, .xlf and .xliff files.

options:
  --json                    one JSON object per finding per line (with file and paragraphText;
                            title findings have paragraphIndex -1 and the title as paragraphText)
  --glossary <file.csv>     check glossary terms (CSV as exported by GET /api/glossary/export.csv)
  --max-sentence-words <n>  the sentence length limit (default 60)
  --skip <check,...>        checks to leave out: ${QA_CHECKS.join(', ')}
  --no-color                plain output even on a terminal

exit status: 0 no error findings, 1 error findings, 2 usage or input errors.`;

const IMPORT_EXTENSIONS = new Set(['.txt', '.md', '.markdown', '.json', '.ndjson', '.jsonl', '.xlf', '.xliff']);

/** The files to check: named files as given, folders walked recursively (import extensions only, hidden entries skipped), sorted. */
async function collectFiles(targets: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && IMPORT_EXTENSIONS.has(path.extname(e.name).toLowerCase())) out.push(full);
    }
  };
  for (const t of targets) {
    let s;
    try {
      s = await stat(t);
    } catch {
      throw new CliError(`${t}: no such file or folder`);
    }
    if (s.isDirectory()) await walk(t);
    else out.push(t);
  }
  return out;
}

async function loadGlossary(file: string): Promise<QaGlossaryEntry[]> {
  let csv: string;
  try {
    csv = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`--glossary ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return parseGlossaryCsv(csv).entries;
  } catch (err) {
    if (err instanceof HttpError) throw new CliError(`--glossary ${file}: ${err.message.replace(/^csv: /, '')}`);
    throw err;
  }
}

function buildConfig(flags: Record<string, string | boolean | undefined>): QaConfig {
  const checks: Partial<Record<QaCheck, { enabled: boolean }>> = {};
  if (typeof flags.skip === 'string') {
    for (const name of flags.skip.split(',').map((s) => s.trim()).filter(Boolean)) {
      if (!(QA_CHECKS as readonly string[]).includes(name)) throw new CliError(`--skip: unknown check "${name}"; checks: ${QA_CHECKS.join(', ')}`);
      checks[name as QaCheck] = { enabled: false };
    }
  }
  let maxSentenceWords: number | undefined;
  if (flags['max-sentence-words'] !== undefined) {
    maxSentenceWords = Number(flags['max-sentence-words']);
    if (!Number.isInteger(maxSentenceWords) || maxSentenceWords < 1) throw new CliError(`--max-sentence-words must be a positive whole number, got "${String(flags['max-sentence-words'])}"`);
  }
  return resolveQaConfig({ checks, maxSentenceWords });
}

const COLOURS = { error: '\x1b[1;31m', warning: '\x1b[33m', info: '\x1b[36m' } as const;
const RESET = '\x1b[0m';
const CONTEXT = 50;

/** The paragraph around a finding's span with the span marked: colour on a terminal, [[…]] otherwise. */
function excerpt(text: string, f: Finding, colour: boolean): string {
  if (f.start === f.end) {
    const whole = text.length > CONTEXT * 2 ? `${text.slice(0, CONTEXT * 2)}…` : text;
    return `${whole}  (the paragraph as a whole)`;
  }
  const from = Math.max(0, f.start - CONTEXT);
  const to = Math.min(text.length, f.end + CONTEXT);
  const span = text.slice(f.start, f.end);
  const marked = colour ? `\x1b[7m${COLOURS[f.severity]}${span}${RESET}` : `[[${span}]]`;
  return `${from > 0 ? '…' : ''}${text.slice(from, f.start)}${marked}${text.slice(f.end, to)}${to < text.length ? '…' : ''}`.replace(/\n/g, ' ');
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        help: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        glossary: { type: 'string' },
        'max-sentence-words': { type: 'string' },
        skip: { type: 'string' },
      },
    });
  } catch (err) {
    throw new CliError(`${(err as Error).message.replace(/\. To specify a positional argument.*$/s, '')}\n${USAGE}`);
  }
  const { positionals } = parsed;
  const flags = parsed.values as Record<string, string | boolean | undefined>;
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new CliError(`name at least one file or folder\n${USAGE}`);
  const config = buildConfig(flags);
  // The same file-size limit as the importer (COPYDESK_IMPORT_MAX_BYTES).
  const maxBytes = loadConfig().importMaxBytes;
  const glossary = typeof flags.glossary === 'string' ? await loadGlossary(flags.glossary) : [];
  const files = await collectFiles(positionals);
  const json = flags.json === true;
  const colour = !json && !flags['no-color'] && process.stdout.isTTY === true;
  const counts = { error: 0, warning: 0, info: 0 };
  let articles = 0;
  let inputErrors = 0;

  for (const file of files) {
    let index = 0;
    try {
      for await (const article of parseFile(file, { maxBytes })) {
        articles++;
        const paragraphs = article.paragraphs.map((text, i) => ({ text, source: article.source?.paragraphs?.[i] ?? null }));
        const title = { text: article.title, source: article.source?.title ?? null };
        const findings = runQaChecks({ title, paragraphs, glossary, targetLang: article.targetLang }, config);
        const textOf = (f: Finding): string => (f.paragraphIndex === TITLE_INDEX ? article.title : article.paragraphs[f.paragraphIndex]);
        if (json) {
          for (const f of findings) {
            process.stdout.write(`${JSON.stringify({ file, articleIndex: index, ...(article.externalId ? { externalId: article.externalId } : {}), ...f, paragraphText: textOf(f) })}\n`);
          }
        } else if (findings.length > 0) {
          const where = article.location.line !== undefined ? `${file}:${article.location.line}` : file;
          console.log(`${colour ? '\x1b[1m' : ''}${where}${colour ? RESET : ''}  ${article.externalId ? `[${article.externalId}] ` : ''}${article.title}`);
          for (const f of findings) {
            const sev = colour ? `${COLOURS[f.severity]}${f.severity}${RESET}` : f.severity;
            console.log(`  ${f.paragraphIndex === TITLE_INDEX ? 'title' : `¶${f.paragraphIndex + 1}`} ${sev} ${f.check}: ${f.message}`);
            console.log(`      ${excerpt(textOf(f), f, colour)}`);
            if (f.suggestion !== undefined) console.log(`      suggestion: ${f.suggestion === '' ? '(delete)' : JSON.stringify(f.suggestion)}`);
          }
          console.log('');
        }
        for (const f of findings) counts[f.severity]++;
        index++;
      }
    } catch (err) {
      if (!(err instanceof ImportInputError)) throw err;
      inputErrors++;
      console.error(`error: ${err.message}`);
    }
  }

  if (!json) {
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
    console.log(`${plural(files.length, 'file')}, ${plural(articles, 'article')}: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info${inputErrors ? `; ${plural(inputErrors, 'file')} could not be read` : ''}.`);
  }
  if (inputErrors > 0) return 2;
  return counts.error > 0 ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  if (err instanceof CliError) {
    console.error(`error: ${err.message}`);
    process.exitCode = err.exitCode;
  } else if (err instanceof RangeError || err instanceof ConfigError) {
    console.error(`error: ${err.message}`);
    process.exitCode = 2;
  } else {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 2;
  }
}
