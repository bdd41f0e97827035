// The statements of the revision statistics recomputation
// (server/services/recomputeStats.ts): the candidates it reads page by page,
// the corrections it writes, and the maintenance task that queues it. The
// service decides what to correct; this module only says it in SQL.
import { Prisma, type Db } from '../client';
import { decodeJson, revisionDiffs, revisionParagraphs, revisionStats } from '../json';
import type { RevisionData } from '../../services/revisionData';
import { arrayOf, bool, execute, int, json, nullable, num, rowDecoder, selectRows, text, type RowOf } from './rows';

const candidateRow = {
  id: int,
  articleId: int,
  number: int,
  kind: text,
  title: text,
  paragraphs: json,
  diffs: json,
  stats: json,
  editRate: num,
  wordsInserted: int,
  wordsDeleted: int,
  wordsSubstituted: int,
  prevTitle: nullable(text),
  prevParagraphs: json,
  mtTitle: text,
  mtParagraphs: arrayOf(text),
  revisionCount: int,
};
const decodeCandidateRow = rowDecoder('recomputeStats.candidates', candidateRow);

/** A revision to check, with what it was computed from: the previous revision's text and the article's MT. */
export type RecomputeCandidate = Omit<RowOf<typeof candidateRow>, 'paragraphs' | 'diffs' | 'stats' | 'prevParagraphs'> &
  Pick<RevisionData, 'paragraphs' | 'diffs' | 'stats'> & { prevParagraphs: string[] | null };

function decodeCandidate(raw: unknown): RecomputeCandidate {
  const r = decodeCandidateRow(raw);
  return {
    ...r,
    paragraphs: decodeJson(revisionParagraphs, r.paragraphs, r.id),
    diffs: decodeJson(revisionDiffs, r.diffs, r.id),
    stats: decodeJson(revisionStats, r.stats, r.id),
    prevParagraphs: r.prevParagraphs === null ? null : decodeJson(revisionParagraphs, r.prevParagraphs, `${r.id} (its previous revision)`),
  };
}

/**
 * Up to `take` revisions after `cursor` (by id), imports excluded (they compare
 * the MT with itself); with `truncatedOnly`, only those with a truncated diff.
 */
export async function selectRecomputeCandidates(db: Db, cursor: number, truncatedOnly: boolean, take: number): Promise<RecomputeCandidate[]> {
  const truncated = truncatedOnly ? Prisma.sql`AND jsonb_path_exists(r.diffs, '$.** ? (@.truncated == true)')` : Prisma.empty;
  return selectRows(
    db,
    Prisma.sql`
      SELECT r.id, r."articleId", r.number, r.kind::text AS kind, r.title, r.paragraphs, r.diffs, r.stats, r."editRate",
             r."wordsInserted", r."wordsDeleted", r."wordsSubstituted",
             p.title AS "prevTitle", p.paragraphs AS "prevParagraphs",
             a."mtTitle", a."revisionCount",
             (SELECT coalesce(jsonb_agg(x.mt ORDER BY x.position), '[]'::jsonb) FROM paragraphs x WHERE x."articleId" = r."articleId") AS "mtParagraphs"
        FROM revisions r
        JOIN articles a ON a.id = r."articleId"
        LEFT JOIN revisions p ON p."articleId" = r."articleId" AND p.number = r.number - 1
       WHERE r.id > ${cursor} AND r.kind <> 'import'::"RevisionKind" ${truncated}
       ORDER BY r.id
       LIMIT ${take}`,
    decodeCandidate,
  );
}

/** A revision's stored figures, as a correction writes them and as revision_corrections.before keeps them. */
export interface StoredFigures {
  diffs: unknown;
  stats: unknown;
  editRate: number;
  wordsInserted: number;
  wordsDeleted: number;
  wordsSubstituted: number;
}

/**
 * Keeps each revision's former figures (`before`, under the event id
 * `pendingEvent` until the run's audit event exists) and writes its new ones.
 */
export async function writeCorrections(
  tx: Db,
  pendingEvent: bigint,
  corrections: ReadonlyArray<{ id: number; before: StoredFigures; after: StoredFigures }>,
): Promise<void> {
  const befores = JSON.stringify(corrections.map((c) => ({ id: c.id, before: c.before })));
  const afters = JSON.stringify(corrections.map((c) => ({ id: c.id, ...c.after })));
  await execute(
    tx,
    Prisma.sql`
    INSERT INTO revision_corrections ("revisionId", "auditEventId", before)
    SELECT x.id, ${pendingEvent}::bigint, x.before FROM jsonb_to_recordset(${befores}::jsonb) AS x(id int, before jsonb)`,
  );
  await execute(
    tx,
    Prisma.sql`
    UPDATE revisions r
       SET diffs = x.diffs, stats = x.stats, "editRate" = x."editRate", "wordsInserted" = x."wordsInserted",
           "wordsDeleted" = x."wordsDeleted", "wordsSubstituted" = x."wordsSubstituted"
      FROM jsonb_to_recordset(${afters}::jsonb)
           AS x(id int, diffs jsonb, stats jsonb, "editRate" float8, "wordsInserted" int, "wordsDeleted" int, "wordsSubstituted" int)
     WHERE r.id = x.id`,
  );
}

/** Gives the corrections written under `pendingEvent` the run's audit event. */
export async function attachCorrections(tx: Db, pendingEvent: bigint, eventId: bigint): Promise<void> {
  await execute(tx, Prisma.sql`UPDATE revision_corrections SET "auditEventId" = ${eventId}::bigint WHERE "auditEventId" = ${pendingEvent}::bigint`);
}

/** Sets the current edit rate of articles whose latest revision is still number `number`: a save since then set its own. */
export async function updateCurrentEditRates(tx: Db, current: ReadonlyArray<{ id: number; number: number; editRate: number }>): Promise<void> {
  await execute(
    tx,
    Prisma.sql`
        UPDATE articles a SET "editRate" = x."editRate"
          FROM jsonb_to_recordset(${JSON.stringify(current)}::jsonb) AS x(id int, number int, "editRate" float8)
         WHERE a.id = x.id AND a."revisionCount" = x.number`,
  );
}

/** Marks the queued maintenance task `task` done, with the run's audit event when it wrote one. */
export async function markMaintenanceTaskDone(tx: Db, task: string, auditEventId: bigint | null): Promise<void> {
  await execute(
    tx,
    Prisma.sql`
      UPDATE maintenance_tasks SET "doneAt" = now(), "auditEventId" = ${auditEventId}::bigint
       WHERE name = ${task} AND "doneAt" IS NULL`,
  );
}

const decodePending = rowDecoder('recomputeStats.taskPending', { pending: bool });

/** True when a migration queued the maintenance task `task` and no run has completed it yet. */
export async function maintenanceTaskPending(db: Db, task: string): Promise<boolean> {
  const rows = await selectRows(db, Prisma.sql`SELECT EXISTS (SELECT 1 FROM maintenance_tasks WHERE name = ${task} AND "doneAt" IS NULL) AS pending`, decodePending);
  return rows[0]?.pending === true;
}
