// npm run maintenance -- recompute-stats [--dry-run] [--all] [--json]
// Thin wrapper over server/services/recomputeStats. See docs/maintenance.md.
import { recomputeRevisionStats, type RecomputeReport, type StatTotals } from '../server/services/recomputeStats';
import { cliActor, CliError, parseArgs, reportCliError, runWithDatabase } from './lib/cli';

const USAGE = `usage:
  npm run maintenance -- recompute-stats [--dry-run] [--all] [--json]
      Recomputes the stored diffs and edit statistics of revisions saved while diffs
      were bounded by wall-clock time, and corrects those that differ, as one audited
      maintenance event (the former figures are kept in revision_corrections).
      --dry-run  report what would change, write nothing
      --all      check every revision but imports, not only those with a truncated diff
      --json     print the report as JSON`;

const percent = (rate: number | null) => (rate === null ? '–' : `${(rate * 100).toFixed(1)} %`);

function totalsLine(t: StatTotals): string {
  return `mean edit rate ${percent(t.meanEditRate)}, ${t.wordsInserted} inserted, ${t.wordsDeleted} deleted, ${t.wordsSubstituted} substituted, ${t.truncatedDiffs} truncated diffs`;
}

function reportText(r: RecomputeReport): string {
  const lines = [
    `${r.dryRun ? 'Dry run: checked' : 'Checked'} ${r.checked} revision${r.checked === 1 ? '' : 's'} (${r.scope === 'all' ? 'all but imports' : 'those with a truncated diff'}).`,
  ];
  if (r.changed === 0) lines.push('Every stored figure equals its recomputation: nothing to correct.');
  else {
    lines.push(`${r.dryRun ? 'Would correct' : 'Corrected'} ${r.changed} revision${r.changed === 1 ? '' : 's'}: ${r.revisionIds.join(', ')}`);
    lines.push(`  before: ${totalsLine(r.before)}`);
    lines.push(`  after:  ${totalsLine(r.after)}`);
    lines.push(`  current edit rate ${r.dryRun ? 'would change' : 'changed'} on ${r.articlesUpdated} article${r.articlesUpdated === 1 ? '' : 's'}`);
    if (r.auditEventId !== null) lines.push(`Audit event #${r.auditEventId} (maintenance.recompute_stats); the former figures are kept in revision_corrections.`);
  }
  for (const s of r.skipped) lines.push(`skipped revision ${s.revisionId}: ${s.reason}`);
  return lines.join('\n') + '\n';
}

let parsed: ReturnType<typeof parseArgs>;
try {
  parsed = parseArgs(process.argv.slice(2), { booleans: ['dry-run', 'all', 'json', 'help'] });
  const [cmd, extra] = parsed.positionals;
  if (parsed.flags.help || !cmd) {
    console.log(USAGE);
    process.exit(cmd || parsed.flags.help ? 0 : 2);
  }
  if (cmd !== 'recompute-stats') throw new CliError(`unknown command "${cmd}"\n${USAGE}`);
  if (extra !== undefined) throw new CliError(`unexpected argument "${extra}"\n${USAGE}`);
} catch (err) {
  process.exit(reportCliError(err));
}

await runWithDatabase(async ({ db }) => {
  const report = await recomputeRevisionStats(db, cliActor(), { dryRun: parsed.flags['dry-run'] === true, all: parsed.flags.all === true });
  process.stdout.write(parsed.flags.json ? JSON.stringify(report, null, 2) + '\n' : reportText(report));
  return 0;
});
