// npm run export -- --out <dir> [--format …] [--ids 1,2] [--since <date>] [--all] [--as <user>] [--dry-run] [--json]
// npm run export -- --verify <dir> [--json]
// Thin wrapper over server/services/export. See docs/cli.md, "Export approved articles".
import path from 'node:path';
import type { ExportedItem, ExportReport } from '../server/services/export/exportBatch';
import type { VerifyReport } from '../server/services/export/manifest';
import { EXPORT_FORMATS, isExportFormat, type ExportFormat } from '../server/services/export/render';

const DEFAULT_FORMAT: ExportFormat = 'json';

const USAGE = `usage:
  npm run export -- --out <dir> [--format ${EXPORT_FORMATS.join('|')}] [--ids 1,2,…] [--since <ISO date>] [--all] [--as <username>] [--dry-run] [--json]
  npm run export -- --verify <dir> [--json]
Exports the approved revision of every approved article (default format: ${DEFAULT_FORMAT}).
  --all       also re-export exported articles, and the approved revision of articles edited since approval
  --ids       only these article ids (comma-separated)
  --since     only articles approved at or after this date (YYYY-MM-DD or ISO 8601)
  --as        record the export as this user (needs the article.export permission: admins)
  --dry-run   list what would be exported; write nothing
  --json      print a machine-readable report instead of the table
  --verify    re-hash the files of an export folder against its manifest.json (exit 1 on any mismatch)`;

// --help answers before the database layer (Prisma's client, pg, the embedded
// server's code) is even loaded: that loading is most of a command's start-up.
if (process.argv.slice(2).includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}
const { default: cliProgress } = await import('cli-progress');
const { loadConfig } = await import('../server/config');
const { HttpError } = await import('../server/errors');
const { can } = await import('../shared/permissions');
const { cliActor, CliError, parseArgs, reportCliError, runWithDatabase } = await import('./lib/cli');

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses --since strictly: a calendar date or an ISO 8601 timestamp (UTC unless it names an offset). */
function parseSince(value: string): Date {
  const m = ISO_DATE.exec(value.trim());
  const fail = () => new CliError(`--since "${value}" is not a date; expected YYYY-MM-DD or an ISO 8601 timestamp such as 2026-11-01T08:00:00Z`);
  if (!m) throw fail();
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  const probe = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  // Date.UTC rolls 2026-02-30 over to March; a real calendar date survives the round trip.
  if (probe.getUTCFullYear() !== Number(y) || probe.getUTCMonth() !== Number(mo) - 1 || probe.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw fail();
  const date = new Date(m[4] === undefined ? `${y}-${mo}-${d}T00:00:00Z` : value.trim().replace(' ', 'T') + (zone ? '' : 'Z'));
  if (Number.isNaN(date.getTime())) throw fail();
  return date;
}

function parseIds(value: string): number[] {
  const parts = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const bad = parts.filter((p) => !/^\d+$/.test(p) || !Number.isSafeInteger(Number(p)) || Number(p) <= 0);
  if (parts.length === 0 || bad.length > 0) throw new CliError(`--ids expects article ids separated by commas, such as 12,15,40${bad.length ? `; not an id: ${bad.map((b) => `"${b}"`).join(', ')}` : ''}`);
  return parts.map(Number);
}


function printVerify(report: VerifyReport, json: boolean): number {
  if (json) {
    console.log(JSON.stringify(report, null, 2));
    return report.ok ? 0 : 1;
  }
  for (const f of report.missing) console.log(`missing   ${f}`);
  for (const f of report.modified) console.log(`modified  ${f.file} (sha256 ${f.actualSha256.slice(0, 12)}…, expected ${f.expectedSha256.slice(0, 12)}…; ${f.actualBytes} bytes, expected ${f.expectedBytes})`);
  for (const f of report.extra) console.log(`extra     ${f} (not in the manifest)`);
  const total = report.matched.length + report.missing.length + report.modified.length;
  console.log(
    report.ok
      ? `OK: all ${total} file${total === 1 ? '' : 's'} in ${report.dir} match manifest.json (batch ${report.batchId}).`
      : `FAILED: ${report.missing.length} missing, ${report.modified.length} modified, ${report.extra.length} extra in ${report.dir} (${report.matched.length} of ${total} match).`,
  );
  return report.ok ? 0 : 1;
}

const TABLE_ROWS = 50;

/** A plain aligned text table: readable in a terminal and in a CI log alike. */
function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function printSummary(report: ExportReport): void {
  if (report.exported.length > 0) {
    const rows = report.exported
      .slice(0, TABLE_ROWS)
      .map((e: ExportedItem) => [String(e.articleId), String(e.revisionNumber), e.from === e.to ? `${e.to} (unchanged)` : `${e.from} → ${e.to}`, e.file]);
    console.log(formatTable(['article', 'revision', 'status', 'file'], rows));
    if (report.exported.length > TABLE_ROWS) console.log(`… and ${report.exported.length - TABLE_ROWS} more (use --json for the full list).`);
    console.log('');
  }
  for (const e of report.exported) if (e.note) console.log(`note: article ${e.articleId}: ${e.note}.`);
  for (const s of report.skipped) console.log(`skipped: ${s.reason}.`);
  for (const f of report.removed) console.log(`removed superseded file ${f}.`);
  if (report.manifest) console.log(`Manifest: ${report.manifest} (sha256 ${report.manifestSha256}).`);
  if (report.auditHead) console.log(`Audit checkpoint: event #${report.auditHead.id} hash ${report.auditHead.hash} (keep it: \`npm run audit -- verify\` checks the log still reaches it).`);
  console.log(`Output folder: ${report.outDir}`);
  console.log(report.message);
}

/**
 * The folder relative paths are taken from: where the user typed the command.
 * `npm run export` runs in the package root, so npm's INIT_CWD is used then;
 * only for this script, since child processes inherit INIT_CWD from any npm run.
 */
function invocationDir(): string {
  const config = loadConfig();
  return config.npmScript === 'export' && config.npmInitCwd ? config.npmInitCwd : process.cwd();
}

let parsed: ReturnType<typeof parseArgs>;
let options: { outDir: string; format: ExportFormat; ids?: number[]; since?: Date; all: boolean; dryRun: boolean; as?: string; json: boolean };
try {
  parsed = parseArgs(process.argv.slice(2), { booleans: ['all', 'dry-run', 'json', 'help'], strings: ['out', 'format', 'ids', 'since', 'as', 'verify'] });
  const f = parsed.flags;
  if (f.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (parsed.positionals.length > 0) throw new CliError(`unexpected argument "${parsed.positionals[0]}"\n${USAGE}`);
  const baseDir = invocationDir();
  if (typeof f.verify === 'string') {
    const others = Object.keys(f).filter((k) => k !== 'verify' && k !== 'json');
    if (others.length > 0) throw new CliError(`--verify cannot be combined with --${others[0]}`);
    const dir = path.resolve(baseDir, f.verify);
    let code: number;
    try {
      const { verifyExport } = await import('../server/services/export/manifest');
      code = printVerify(await verifyExport(dir), f.json === true);
    } catch (err) {
      throw err instanceof HttpError && err.status === 400 ? new CliError(err.message) : err;
    }
    process.exit(code);
  }
  if (typeof f.out !== 'string' || f.out.trim() === '') throw new CliError(`--out <dir> is required\n${USAGE}`);
  const format = f.format ?? DEFAULT_FORMAT;
  if (!isExportFormat(format)) throw new CliError(`unknown format "${String(format)}"; expected one of: ${EXPORT_FORMATS.join(', ')}`);
  options = {
    // Resolved here and printed, so a relative or "../"-laden path is never written anywhere unexpected.
    outDir: path.resolve(baseDir, f.out),
    format,
    ids: typeof f.ids === 'string' ? parseIds(f.ids) : undefined,
    since: typeof f.since === 'string' ? parseSince(f.since) : undefined,
    all: f.all === true,
    dryRun: f['dry-run'] === true,
    as: typeof f.as === 'string' ? f.as : undefined,
    json: f.json === true,
  };
} catch (err) {
  process.exit(reportCliError(err));
}

await runWithDatabase(async ({ db, config }) => {
  const { exportBatch } = await import('../server/services/export/exportBatch');
  const { findUserByUsername } = await import('../server/services/users');
  const { appendCheckpoint, headCheckpoint } = await import('../server/services/auditCheckpoints');
  const log = (line: string) => {
    if (!options.json) process.stderr.write(line + '\n');
  };
  log(`Output folder: ${options.outDir}${options.dryRun ? ' (dry run: nothing is written)' : ''}`);

  let actor = cliActor();
  if (options.as !== undefined) {
    const user = await findUserByUsername(db, options.as).catch(() => {
      throw new CliError(`--as: no user is called "${options.as}"`);
    });
    if (user.disabled) throw new CliError(`--as: the account "${user.username}" is disabled`);
    if (!can(user.role, 'article.export')) throw new CliError(`--as: "${user.username}" is ${/^[aeiou]/.test(user.role) ? 'an' : 'a'} ${user.role}; exporting needs the article.export permission (admins)`);
    actor = { id: user.id, username: user.username, role: user.role, ip: actor.ip };
  }

  const useBar = !options.json && process.stderr.isTTY === true;
  const bar = useBar ? new cliProgress.SingleBar({ stream: process.stderr, format: 'exporting [{bar}] {value}/{total} {file}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic) : undefined;
  let report: ExportReport;
  try {
    report = await exportBatch(db, { outDir: options.outDir, format: options.format, ids: options.ids, since: options.since, all: options.all, dryRun: options.dryRun }, actor, {
      onStart: (total) => {
        if (bar) bar.start(total, 0, { file: '' });
        else log(`${total} article${total === 1 ? '' : 's'} selected.`);
      },
      onItem: (item) => {
        if (bar) bar.increment(1, { file: item.file });
        else log(`${options.dryRun ? 'would write' : 'wrote'} ${item.file} (article ${item.articleId}, revision ${item.revisionNumber})`);
      },
    });
  } catch (err) {
    throw err instanceof HttpError && err.status === 400 ? new CliError(err.message) : err;
  } finally {
    bar?.stop();
  }
  // The head after this export's events goes to the checkpoint file outside the database, as printed.
  if (report.auditHead) {
    const dbName = (await headCheckpoint(db, 'export'))?.db;
    if (dbName) await appendCheckpoint(config.auditCheckpointFile, { db: dbName, ...report.auditHead, at: new Date().toISOString(), source: options.dryRun ? 'export --dry-run' : 'export' });
  }
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else printSummary(report);
  return 0;
}, { checkpoint: false });
