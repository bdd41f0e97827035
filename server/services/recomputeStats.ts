import type { PrismaClient, Tx } from '../db/client';
import {
  attachCorrections,
  maintenanceTaskPending,
  markMaintenanceTaskDone,
  selectRecomputeCandidates,
  updateCurrentEditRates,
  writeCorrections,
  type RecomputeCandidate,
} from '../db/sql/recomputeStats';
import { lockMaintenanceTask } from '../db/sql/locks';
import type { ParagraphDiff } from '../../shared/textDiff';
import { canonicalJson, recordAudit, type Actor } from './audit';
import { buildRevisionData, type RevisionData, type Snapshot } from './revisionData';

/** The maintenance task a migration queues for this command (see maintenance_tasks). */
export const RECOMPUTE_TASK = 'recompute-revision-stats';
/** The audit action of a run that corrected something. */
export const RECOMPUTE_ACTION = 'maintenance.recompute_stats';

/**
 * Revisions read and recomputed per round trip: a page of revisions with their
 * previous revision's text and their article's MT is a few MB at most.
 */
const PAGE = 200;
/** Audit data lists at most this many revision ids; the corrections table has them all. */
const MAX_IDS_IN_EVENT = 1000;

/** Totals over a set of revisions, before or after a run. */
export interface StatTotals {
  revisions: number;
  /** Paragraph and title diffs (against the MT and the previous revision) recorded as whole replacements. */
  truncatedDiffs: number;
  wordsInserted: number;
  wordsDeleted: number;
  wordsSubstituted: number;
  /** Mean of the revisions' edit rates against the MT; null for no revisions. */
  meanEditRate: number | null;
}

export interface RecomputeOptions {
  /** Compute and report, write nothing. */
  dryRun?: boolean;
  /** Check every revision written by a save, a restore, a bulk replace or an MT update, not only those with a truncated diff. */
  all?: boolean;
}

export interface RecomputeReport {
  dryRun: boolean;
  scope: 'truncated' | 'all';
  /** Revisions recomputed. */
  checked: number;
  /** Revisions whose stored diffs or statistics differ from the recomputation (corrected unless dryRun). */
  changed: number;
  revisionIds: number[];
  /** Articles whose current edit rate (the latest revision's) changed with it. */
  articlesUpdated: number;
  /** Revisions that cannot be recomputed, with the reason. */
  skipped: Array<{ revisionId: number; reason: string }>;
  before: StatTotals;
  after: StatTotals;
  /** The run's audit event; null when nothing changed (or dryRun). */
  auditEventId: string | null;
}

type Row = RecomputeCandidate;

/** What a correction writes and what it replaces. */
interface Correction {
  row: Row;
  data: RevisionData;
}

/** What the totals need of a revision, before or after. */
type Light = Pick<Row, 'editRate' | 'wordsInserted' | 'wordsDeleted' | 'wordsSubstituted'> & { truncatedDiffs: number };

/**
 * The event id the corrections of a run carry until the run's audit event is
 * written, in the same transaction (audit ids start at 1; runs are serialised).
 */
const PENDING_EVENT = 0n;

/** Keeps each revision's former figures and writes its recomputed ones. */
async function correct(tx: Tx, corrections: readonly Correction[]): Promise<void> {
  await writeCorrections(
    tx,
    PENDING_EVENT,
    corrections.map((c) => ({ id: c.row.id, before: storedOf(c.row), after: storedOf(c.data) })),
  );
}

function lightOf(r: Pick<Row, 'diffs' | 'editRate' | 'wordsInserted' | 'wordsDeleted' | 'wordsSubstituted'>): Light {
  return { editRate: r.editRate, wordsInserted: r.wordsInserted, wordsDeleted: r.wordsDeleted, wordsSubstituted: r.wordsSubstituted, truncatedDiffs: truncatedDiffs(r.diffs) };
}

function storedOf(r: Pick<Row, 'diffs' | 'stats' | 'editRate' | 'wordsInserted' | 'wordsDeleted' | 'wordsSubstituted'>) {
  return { diffs: r.diffs, stats: r.stats, editRate: r.editRate, wordsInserted: r.wordsInserted, wordsDeleted: r.wordsDeleted, wordsSubstituted: r.wordsSubstituted };
}

function truncatedDiffs(diffs: RevisionData['diffs']): number {
  const all: Array<ParagraphDiff | null> = [diffs.title.mt, diffs.title.prev, ...diffs.paragraphs.flatMap((p) => [p.mt, p.prev])];
  return all.filter((d) => d?.truncated === true).length;
}

function totals(items: readonly Light[]): StatTotals {
  const t: StatTotals = { revisions: items.length, truncatedDiffs: 0, wordsInserted: 0, wordsDeleted: 0, wordsSubstituted: 0, meanEditRate: null };
  let rates = 0;
  for (const r of items) {
    t.truncatedDiffs += r.truncatedDiffs;
    t.wordsInserted += r.wordsInserted;
    t.wordsDeleted += r.wordsDeleted;
    t.wordsSubstituted += r.wordsSubstituted;
    rates += r.editRate;
  }
  if (items.length > 0) t.meanEditRate = Math.round((rates / items.length) * 10_000) / 10_000;
  return t;
}

/**
 * The revisions to check, a page at a time after `cursor`, each with what it was
 * computed from: the previous revision's text and the MT. An MT update's text is
 * its MT; every other checked revision follows the article's last MT update
 * (the importer replaces the MT only of articles nobody has edited), so its MT is
 * the article's current one. Imports are never checked: they compare the MT
 * with itself, which no bound can cut short.
 */
async function candidates(db: PrismaClient | Tx, cursor: number, all: boolean): Promise<Row[]> {
  return selectRecomputeCandidates(db, cursor, !all, PAGE);
}

/** The revision data a save of the same text would store today, or why it cannot be recomputed. */
function recompute(row: Row): RevisionData | string {
  const next: Snapshot = { title: row.title, paragraphs: row.paragraphs };
  const mt: Snapshot = row.kind === 'mt_update' ? next : { title: row.mtTitle, paragraphs: row.mtParagraphs };
  if (mt.paragraphs.length !== next.paragraphs.length) {
    return `it has ${next.paragraphs.length} paragraphs and the article's MT ${mt.paragraphs.length}`;
  }
  const prev: Snapshot | null = row.number === 1 ? null : row.prevParagraphs ? { title: row.prevTitle ?? '', paragraphs: row.prevParagraphs } : null;
  if (row.number > 1 && !prev) return `revision ${row.number - 1} of article ${row.articleId} is missing`;
  return buildRevisionData(prev, next, mt);
}

/**
 * Recomputes the stored diffs and statistics of revisions saved while diffs were
 * bounded by wall-clock time (by default those with a truncated diff; `all`:
 * every revision but imports) with today's deterministic bounds, and corrects
 * those that differ. Revisions are otherwise never rewritten, so a correction
 * is a recorded maintenance update: in ONE transaction, the run's audit event
 * (`maintenance.recompute_stats`: counts, revision ids, totals before and
 * after), a `revision_corrections` row per revision keeping what it stored
 * before, the revision's new figures, the current edit rate of articles whose
 * latest revision it is, and the queued maintenance task marked done. Runs are
 * serialised by an advisory lock; a second run finds nothing to change and
 * writes nothing (no audit event).
 */
export async function recomputeRevisionStats(db: PrismaClient, actor: Actor, opts: RecomputeOptions = {}): Promise<RecomputeReport> {
  const dryRun = opts.dryRun === true;
  const all = opts.all === true;
  const run = async (tx: Tx): Promise<RecomputeReport> => {
    if (!dryRun) await lockMaintenanceTask(tx, RECOMPUTE_TASK);
    const before: Light[] = [];
    const after: Light[] = [];
    const current: Array<{ id: number; number: number; editRate: number }> = [];
    const revisionIds: number[] = [];
    const skipped: RecomputeReport['skipped'] = [];
    let checked = 0;
    for (let cursor = 0; ; ) {
      const page = await candidates(tx, cursor, all);
      const corrections: Correction[] = [];
      for (const row of page) {
        checked++;
        const data = recompute(row);
        if (typeof data === 'string') skipped.push({ revisionId: row.id, reason: data });
        else if (canonicalJson(storedOf(row)) !== canonicalJson(storedOf(data))) corrections.push({ row, data });
      }
      for (const { row, data } of corrections) {
        revisionIds.push(row.id);
        before.push(lightOf(row));
        after.push(lightOf(data));
        if (row.number === row.revisionCount && row.editRate !== data.editRate) current.push({ id: row.articleId, number: row.number, editRate: data.editRate });
      }
      // Written page by page so that memory holds one page of texts, not every corrected revision.
      if (!dryRun && corrections.length > 0) await correct(tx, corrections);
      if (page.length < PAGE) break;
      cursor = page[page.length - 1].id;
    }
    const report: RecomputeReport = {
      dryRun,
      scope: all ? 'all' : 'truncated',
      checked,
      changed: revisionIds.length,
      revisionIds,
      articlesUpdated: current.length,
      skipped,
      before: totals(before),
      after: totals(after),
      auditEventId: null,
    };
    if (dryRun) return report;
    if (revisionIds.length > 0) {
      const eventId = await recordAudit(tx, actor, {
        action: RECOMPUTE_ACTION,
        entity: 'revision',
        data: {
          task: RECOMPUTE_TASK,
          scope: report.scope,
          checked,
          changed: revisionIds.length,
          revisionIds: revisionIds.slice(0, MAX_IDS_IN_EVENT),
          ...(revisionIds.length > MAX_IDS_IN_EVENT ? { revisionIdsOmitted: revisionIds.length - MAX_IDS_IN_EVENT } : {}),
          articlesUpdated: current.length,
          before: report.before,
          after: report.after,
        },
      });
      report.auditEventId = eventId.toString();
      await attachCorrections(tx, PENDING_EVENT, eventId);
      await updateCurrentEditRates(tx, current);
    }
    await markMaintenanceTaskDone(tx, RECOMPUTE_TASK, report.auditEventId === null ? null : BigInt(report.auditEventId));
    return report;
  };
  // Recomputing is CPU work bounded per revision (REVISION_DIFF_WORK); a database
  // with thousands of affected revisions takes minutes.
  return db.$transaction(run, { maxWait: 30_000, timeout: 30 * 60_000 });
}

/** True when a migration queued the recomputation and no run has completed it yet. */
export async function recomputePending(db: PrismaClient | Tx): Promise<boolean> {
  return maintenanceTaskPending(db, RECOMPUTE_TASK);
}

/**
 * Runs the recomputation when a migration queued it (`npm start` calls this in
 * the background once it listens): an upgraded installation corrects its
 * figures without anyone having to remember the command.
 */
export async function runQueuedRecompute(db: PrismaClient, actor: Actor, say: (line: string) => void): Promise<RecomputeReport | null> {
  if (!(await recomputePending(db))) return null;
  const r = await recomputeRevisionStats(db, actor);
  // A new installation has nothing to recompute and hears nothing of it.
  if (r.checked > 0) {
    say(
      r.changed === 0
        ? `Recomputed the statistics of ${r.checked} revision(s) saved with time-bounded diffs (queued by a migration): nothing to correct.`
        : `Recomputed the statistics of ${r.checked} revision(s) saved with time-bounded diffs (queued by a migration): corrected ${r.changed}, audit event #${r.auditEventId}; see docs/maintenance.md.`,
    );
  }
  return r;
}
