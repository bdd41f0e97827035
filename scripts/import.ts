// npm run import -- <file-or-folder>... [--format …] [--source-lang zh] [--target-lang en] [--as <username>] [--batch <name>] [--concurrency N] [--dry-run] [--json]
// Thin wrapper over server/services/import/importer. See docs/cli.md, "Import MT drafts".
import cliProgress from 'cli-progress';
import { HttpError } from '../server/errors';
import type { Actor } from '../server/services/audit';
import {
  checkImportOptions,
  importExitCode,
  importPaths,
  MAX_IMPORT_CONCURRENCY,
  resolveImporter,
  type FileReport,
  type ImportEvent,
  type ImportOptions,
  type ImportProgress,
  type ImportReport,
} from '../server/services/import/importer';
import { IMPORT_FORMATS, type ImportFormat } from '../server/services/import/types';
import { cliActor, CliError, parseArgs, reportCliError, runWithDatabase } from './lib/cli';

const USAGE = `usage: npm run import -- <file-or-folder>... [options]
  --format <auto|${IMPORT_FORMATS.join('|')}>  input format (default auto: from extension and content)
  --source-lang <tag>   source language for articles that do not name theirs (e.g. zh)
  --target-lang <tag>   target language for articles that do not name theirs (e.g. en)
  --as <username>       the active user recorded as the importer (default: system)
  --batch <name>        a name for the import batch (default: the paths given)
  --concurrency <n>     files written at the same time, 1-${MAX_IMPORT_CONCURRENCY} (default: COPYDESK_IMPORT_CONCURRENCY, 3);
                        the result is the same as writing them one after the other
  --dry-run             parse and classify against the database, write nothing
  --json                print a machine-readable report on standard output
Folders are read recursively, skipping names that start with a dot.
Exit codes: 0 no file failed (conflicts are listed but are not failures), 1 a file failed or an
error occurred, 2 usage error.`;


const fmt = (n: number): string => n.toLocaleString('en-US');

/** Progress on standard error: a bar on a terminal, plain log lines otherwise. */
function progressDisplay(): { onProgress: (p: Readonly<ImportProgress>, e: ImportEvent) => void; stop: () => void } {
  const started = Date.now();
  const rate = (p: Readonly<ImportProgress>) => {
    const seconds = (Date.now() - started) / 1000;
    return seconds > 0 ? Math.round(p.articlesRead / seconds) : 0;
  };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'files {bar} {value}/{total} | {articles} articles | {rate} articles/s | {file}',
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: true,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    const payload = (p: Readonly<ImportProgress>) => ({ articles: fmt(p.articlesRead), rate: fmt(rate(p)), file: p.currentFile ?? '' });
    let running = false;
    return {
      onProgress(p, e) {
        if (e.type === 'start') {
          bar.start(p.filesTotal, 0, payload(p));
          running = true;
        } else if (running) {
          bar.update(p.filesDone, payload(p));
          if (e.type === 'done') {
            bar.stop();
            running = false;
          }
        }
      },
      stop() {
        if (running) bar.stop();
        running = false;
      },
    };
  }
  let lastLine = Date.now();
  // Articles read per file not yet reported (several files may be read at once).
  const fileArticles = new Map<string, number>();
  return {
    onProgress(p, e) {
      if (e.type === 'start') {
        console.error(`Importing ${fmt(p.filesTotal)} file${p.filesTotal === 1 ? '' : 's'}…`);
      } else if (e.type === 'article') {
        fileArticles.set(e.file, (fileArticles.get(e.file) ?? 0) + 1);
        // A long file gets a line every few seconds so a log shows it is moving.
        if (Date.now() - lastLine >= 5000) {
          lastLine = Date.now();
          const file = p.currentFile ?? e.file;
          console.error(`  ${file}: ${fmt(fileArticles.get(file) ?? 0)} articles read (${fmt(rate(p))} articles/s)`);
        }
      } else if (e.type === 'file') {
        fileArticles.delete(e.file.path);
        lastLine = Date.now();
        console.error(`[${p.filesDone}/${p.filesTotal}] ${fileLine(e.file)}`);
      } else if (e.type === 'done') {
        console.error(`Done: ${fmt(p.articlesRead)} articles read in ${((Date.now() - started) / 1000).toFixed(1)} s (${fmt(rate(p))} articles/s).`);
      }
    },
    stop() {},
  };
}

function fileLine(f: FileReport): string {
  if (f.status === 'failed') return `FAILED ${f.error}`;
  return `${f.path} (${f.format}): ${fmt(f.articles)} article${f.articles === 1 ? '' : 's'}, ${f.imported} imported, ${f.updated} updated, ${f.skipped} skipped, ${f.conflicts} conflicts`;
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

function printSummary(r: ImportReport): void {
  const t = r.totals;
  const out: string[] = [];
  const would = r.dryRun ? 'would be ' : '';
  out.push(
    r.dryRun
      ? `Dry run (nothing was written): ${fmt(t.files)} files, ${fmt(t.articles)} articles, as ${r.importer.username}`
      : `Import batch #${r.batchId} "${r.batchName}" by ${r.importer.username}: ${fmt(t.files)} files, ${fmt(t.articles)} articles`,
  );
  const rows: Array<[string, number]> = [
    [`${would}imported`, t.imported],
    [`${would}skipped (duplicates)`, t.skipped],
    [`${would}updated`, t.updated],
    [`conflicts`, t.conflicts],
    [`failed files`, t.failedFiles],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  out.push('', ...rows.map(([k, v]) => `  ${pad(k, w)}  ${pad(fmt(v), 8, true)}`));

  if (r.files.length > 1 && r.files.length <= 50) {
    const pathW = Math.min(60, Math.max(4, ...r.files.map((f) => f.path.length)));
    out.push('', `  ${pad('file', pathW)}  ${pad('format', 8)}  ${pad('articles', 8, true)}  ${pad('new', 6, true)}  ${pad('updated', 7, true)}  ${pad('skipped', 7, true)}  ${pad('conflicts', 9, true)}  status`);
    for (const f of r.files) {
      out.push(
        `  ${pad(f.path, pathW)}  ${pad(f.format ?? '-', 8)}  ${pad(fmt(f.articles), 8, true)}  ${pad(fmt(f.imported), 6, true)}  ${pad(fmt(f.updated), 7, true)}  ${pad(fmt(f.skipped), 7, true)}  ${pad(fmt(f.conflicts), 9, true)}  ${f.status}`,
      );
    }
  }
  const updates = r.files.flatMap((f) => (f.updatedList ?? []).map((u) => ({ f, u })));
  if (updates.length > 0) {
    out.push('', `${would}updated (new MT text replaced that of an untouched draft):`);
    for (const { f, u } of updates) out.push(`  ${f.path}${u.line !== null ? `:${u.line}` : ''}: article #${u.articleId ?? '(new in this run)'}${u.externalId ? ` (externalId "${u.externalId}")` : ''}`);
    const unlisted = t.updated - updates.length;
    if (unlisted > 0) out.push(`  … and ${fmt(unlisted)} more`);
  }
  const conflicts = r.files.flatMap((f) => f.conflictList.map((c) => ({ f, c })));
  if (conflicts.length > 0) {
    out.push('', `Conflicts (not failures; the articles were left unchanged):`);
    for (const { f, c } of conflicts) out.push(`  ${f.path}${c.line !== null ? `:${c.line}` : ''}: ${c.reason}`);
    const unlisted = t.conflicts - conflicts.length;
    if (unlisted > 0) out.push(`  … and ${fmt(unlisted)} more`);
  }
  if (r.ignored.length > 0) {
    out.push('', 'Not read (symbolic links inside a folder are never followed):');
    for (const i of r.ignored) out.push(`  ${i.path}: ${i.reason}`);
  }
  if (r.failures.length > 0) {
    out.push('', 'Failed files (nothing of them was written):');
    for (const f of r.failures) out.push(`  ${f.error}`);
  }
  const notes = r.files.filter((f) => f.notes.length > 0);
  if (notes.length > 0) {
    out.push('', 'Normalisation notes:');
    for (const f of notes) for (const n of f.notes) out.push(`  ${f.path}: ${n}`);
  }
  console.log(out.join('\n'));
}

let parsed: ReturnType<typeof parseArgs>;
let options: ImportOptions;
try {
  parsed = parseArgs(process.argv.slice(2), { booleans: ['dry-run', 'json', 'help'], strings: ['format', 'source-lang', 'target-lang', 'as', 'batch', 'concurrency'] });
  if (parsed.flags.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (parsed.positionals.length === 0) throw new CliError(`no file or folder given\n${USAGE}`);
  const format = (parsed.flags.format as string | undefined) ?? 'auto';
  options = {
    format: format as ImportFormat | 'auto',
    sourceLang: parsed.flags['source-lang'] as string | undefined,
    targetLang: parsed.flags['target-lang'] as string | undefined,
    batchName: parsed.flags.batch as string | undefined,
    dryRun: parsed.flags['dry-run'] === true,
  };
  if (parsed.flags.concurrency !== undefined) {
    const given = (parsed.flags.concurrency as string).trim();
    // Number('') is 0 and Number('2.0') is 2: only plain digits are a count of files.
    if (!/^\d+$/.test(given)) throw new CliError(`--concurrency must be a whole number from 1 to ${MAX_IMPORT_CONCURRENCY}, got "${given}"`);
    options.concurrency = Number(given);
  }
  if (options.batchName !== undefined && (options.batchName.trim() === '' || options.batchName.length > 256)) {
    throw new CliError('--batch must be a name of 1 to 256 characters');
  }
  if (parsed.flags.as !== undefined && (parsed.flags.as as string).trim() === '') throw new CliError('--as needs a username');
  try {
    checkImportOptions(options);
  } catch (err) {
    if (err instanceof RangeError) throw new CliError(err.message);
    throw err;
  }
} catch (err) {
  process.exit(reportCliError(err));
}

await runWithDatabase(async ({ db, config }) => {
  let actor: Actor;
  try {
    actor = await resolveImporter(db, parsed.flags.as as string | undefined, cliActor());
  } catch (err) {
    if (err instanceof HttpError) throw new CliError(err.message);
    throw err;
  }
  const display = progressDisplay();
  let report: ImportReport;
  try {
    // Each file being written holds one of the pool's connections for its whole transaction.
    const concurrency = Math.min(options.concurrency ?? config.importConcurrency, config.dbPoolSize);
    report = await importPaths(db, parsed.positionals, { ...options, concurrency, maxBytes: config.importMaxBytes }, actor, display.onProgress);
  } finally {
    display.stop();
  }
  if (parsed.flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else printSummary(report);
  return importExitCode(report);
});
