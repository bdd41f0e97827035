// npm run audit -- <verify|report> …
// Thin wrapper over server/services/auditVerify and auditReport (queries), auditReportText and auditReportCsv (renderings). See docs/audit-log.md.
import { once } from 'node:events';
import { NotFoundError } from '../server/errors';
import { parseDateBound } from '../server/http/dateRange';
import {
  activity,
  buildArticleReport,
  findActivitySubject,
  findArticleForReport,
  REPORT_FORMATS,
  type ActivitySubject,
  type ReportFormat,
  type ReportWindow,
} from '../server/services/auditReport';
import { activityCsv, activityJson, articleReportCsv } from '../server/services/auditReportCsv';
import { activityText, articleReportText } from '../server/services/auditReportText';
import { connectionWarnings, verifyAuditChain } from '../server/services/auditVerify';
import { describeCheckpoint, writeCheckpoint } from '../server/services/auditCheckpoints';
import { CliError, parseArgs, reportCliError, runWithDatabase } from './lib/cli';

const USAGE = `usage:
  npm run audit -- verify [--json]
      Walks the whole keyed hash chain and checks it against the checkpoint file.
      Exit 0 when intact (and appends a checkpoint), 1 at the first broken event.
  npm run audit -- report [--article <id|externalId>] [--user <username|system>]
                          [--since <date>] [--until <date>] [--format text|json|csv] [--color|--no-color]
      --article: the article's timeline (import, saves with word diffs, status changes, exports);
                 with --user, only what that user did.
      --user:    every audited action of that user; neither: everyone's.
      Dates are YYYY-MM-DD (a whole UTC day) or ISO 8601 date-times.`;

async function write(chunk: string): Promise<void> {
  if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
}

interface ReportArgs {
  article?: string;
  user?: string;
  window: ReportWindow;
  format: ReportFormat;
  color: boolean;
}

function reportArgs(flags: Record<string, string | boolean>): ReportArgs {
  const format = (flags.format ?? 'text') as string;
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new CliError(`unknown format "${format}"; expected one of: ${REPORT_FORMATS.join(', ')}`);
  const window: ReportWindow = {};
  for (const [flag, bound] of [
    ['since', 'start'],
    ['until', 'end'],
  ] as const) {
    const raw = flags[flag];
    if (raw === undefined) continue;
    const d = parseDateBound(String(raw), bound);
    if (!d) throw new CliError(`--${flag}: "${String(raw)}" is not a date; use YYYY-MM-DD or an ISO 8601 date-time such as 2026-11-21T14:30:00Z`);
    window[flag] = d;
  }
  if (window.since && window.until && window.since > window.until) throw new CliError('--since is after --until');
  if (flags.color && flags['no-color']) throw new CliError('give --color or --no-color, not both');
  const article = flags.article as string | undefined;
  const user = flags.user as string | undefined;
  if (article !== undefined && article.trim() === '') throw new CliError('--article needs an article id');
  if (user !== undefined && user.trim() === '') throw new CliError('--user needs a username');
  const color = flags.color ? true : flags['no-color'] ? false : process.stdout.isTTY === true;
  return { article: article?.trim(), user: user?.trim(), window, format: format as ReportFormat, color };
}

let parsed: ReturnType<typeof parseArgs>;
let report: ReportArgs | undefined;
try {
  parsed = parseArgs(process.argv.slice(2), { booleans: ['json', 'help', 'color', 'no-color'], strings: ['article', 'user', 'since', 'until', 'format'] });
  const [cmd] = parsed.positionals;
  if (parsed.flags.help || !cmd) {
    console.log(USAGE);
    process.exit(cmd || parsed.flags.help ? 0 : 2);
  }
  // Everything that needs no database is checked before opening it.
  if (cmd !== 'verify' && cmd !== 'report') throw new CliError(`unknown command "${cmd}"\n${USAGE}`);
  if (parsed.positionals.length > 1) throw new CliError(`unexpected argument "${parsed.positionals[1]}"\n${USAGE}`);
  const reportOnly = ['article', 'user', 'since', 'until', 'format', 'color', 'no-color'].filter((f) => parsed.flags[f] !== undefined);
  if (cmd === 'verify' && reportOnly.length) throw new CliError(`verify takes no --${reportOnly[0]}`);
  if (cmd === 'report' && parsed.flags.json) throw new CliError('report takes --format json, not --json');
  if (cmd === 'report') report = reportArgs(parsed.flags);
} catch (err) {
  process.exit(reportCliError(err));
}

await runWithDatabase(async ({ db, config }) => {
  if (!report) {
    const r = await verifyAuditChain(db, { checkpointFile: config.auditCheckpointFile });
    // Only an intact chain is anchored: a checkpoint of a broken one would vouch for the damage.
    const written = r.ok ? await writeCheckpoint(db, config.auditCheckpointFile, 'verify') : null;
    if (parsed.flags.json) {
      await write(JSON.stringify({ ...r, checkpointWritten: written }, null, 2) + '\n');
    } else if (r.ok) {
      const unkeyed = r.unkeyedCount ? ` (the first ${r.unkeyedCount} unkeyed, from before the keyed chain)` : '';
      await write(r.count === 0 ? 'Audit chain intact: 0 events (the log is empty).\n' : `Audit chain intact: ${r.count} events${unkeyed}, last hash ${r.lastHash} (event #${r.lastId}).\n`);
      const cps = r.checkpoints;
      if (cps) await write(cps.count === 0 ? `No earlier checkpoints in ${cps.file} to compare with.\n` : `Consistent with the ${cps.count} checkpoints in ${cps.file} (newest: ${describeCheckpoint(cps.latest!)}).\n`);
      if (written) await write(`Checkpoint written: event #${written.id} hash ${written.hash}.\n`);
    } else {
      const b = r.firstBroken!;
      await write(`Audit chain BROKEN at event #${b.id}: ${b.problem}: ${b.detail}.\n`);
      await write(`The ${r.count - 1} event${r.count - 1 === 1 ? '' : 's'} before it are intact; nothing after it was checked.\n`);
    }
    // Guard problems go to stderr so that `verify --json` output stays one document.
    for (const w of [...r.warnings, ...(await connectionWarnings(db))]) console.error(`warning: ${w}`);
    return r.ok ? 0 : 1;
  }

  const { article, user, window, format, color } = report;
  try {
    if (article !== undefined) {
      const { id } = await findArticleForReport(db, article);
      if (user !== undefined) await findActivitySubject(db, user);
      const r = await buildArticleReport(db, id, window, user ?? null);
      await write(format === 'json' ? JSON.stringify(r, null, 2) + '\n' : format === 'csv' ? articleReportCsv(r) : articleReportText(r, { color }));
      return 0;
    }
    const subject: ActivitySubject = user !== undefined ? await findActivitySubject(db, user) : { kind: 'everyone' };
    const entries = activity(db, subject, window);
    const chunks = format === 'json' ? activityJson(entries, subject, window) : format === 'csv' ? activityCsv(entries) : activityText(entries, subject, window);
    for await (const c of chunks) await write(c);
    return 0;
  } catch (err) {
    // An unknown article or user is bad input (exit 2), not a failure.
    if (err instanceof NotFoundError) throw new CliError(err.message);
    throw err;
  }
}, { readOnly: true });
