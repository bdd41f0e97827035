import type { Db } from '../db/client';
import { NotFoundError } from '../errors';
import { authorsSinceApproval, selectArticleState } from '../db/sql/articleRecord';
import { allowedTransitions, decideTransition, type ArticleStatus } from '../../shared/workflow';
import type { EditStats } from '../../shared/textDiff';
import type { UserActor } from '../auth/context';
import type { InlineCode, ParagraphMeta } from '../../shared/inlineCodes';

/** Switches from the configuration that change what the workflow allows. */
export interface WorkflowOptions {
  /** COPYDESK_FOUR_EYES: a reviewer may not approve text they edited since the last approval. */
  fourEyes: boolean;
}

/** The fields of a row of `GET /api/articles`. */
export interface ArticleRow {
  id: number;
  externalId: string | null;
  title: string;
  status: ArticleStatus;
  version: number;
  assigneeId: number | null;
  assigneeName: string | null;
  importBatchId: number | null;
  editRate: number;
  wordCount: number;
  mtWordCount: number;
  revisionCount: number;
  approvedRevisionId: number | null;
  sourceLang: string | null;
  targetLang: string | null;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ArticleParagraph {
  index: number;
  mt: string;
  text: string;
  source: string | null;
  /** Inline-code table for the code characters of mt/text/source (translation files), else null. */
  codes: InlineCode[] | null;
  /** What the imported file said of the paragraph (ids, state, notes, locked, emptyTarget), else null. */
  meta: ParagraphMeta | null;
}

/** `GET /api/articles/:id`: the row plus what the editor needs. */
export interface ArticleRecord extends ArticleRow {
  mtTitle: string;
  sourceTitle: string | null;
  paragraphs: ArticleParagraph[];
  /** The latest revision's statistics against the MT; null only if the article has no revision (never, once imported). */
  stats: (EditStats & { paragraphsChanged: number }) | null;
  approvedAt: Date | null;
  approvedById: number | null;
  approvedByName: string | null;
  exportedAt: Date | null;
  currentRevisionId: number | null;
  /** What this user's role may request from the current status (policy `allowedTransitions`; the four-eyes rule is in `approval`). */
  allowedTransitions: ArticleStatus[];
  /** Whether this user may approve now, and why not. */
  approval: { allowed: boolean; reason?: string };
}

/**
 * Ids of users who authored a person's revision (edit, restore, bulk replace, review)
 * after the last approval, or since import when never approved: the rule in
 * policy/revisionKinds, by the same SQL the record query uses.
 */
export async function authorsSinceLastApproval(db: Db, articleId: number): Promise<number[]> {
  return authorsSinceApproval(db, articleId);
}

/**
 * An article as the record query reads it: the row, its paragraphs, the
 * current revision and the authors the four-eyes rule needs, from one snapshot.
 */
export interface ArticleState extends Omit<ArticleRecord, 'paragraphs' | 'stats' | 'currentRevisionId' | 'allowedTransitions' | 'approval'> {
  paragraphs: ArticleParagraph[];
  stats: ArticleRecord['stats'];
  currentRevisionId: number | null;
  /** Null unless the approval check needs them (status in_review with the four-eyes rule on). */
  authors: number[] | null;
  /** A revision id taken from the sequence for the save about to be written; null unless asked for. */
  nextRevisionId: number | null;
}

/**
 * Reads an article's state by one statement: a single statement sees one
 * snapshot, so a concurrent save cannot tear the record (version N with the
 * texts of N+1) without the cost of a REPEATABLE READ transaction around
 * several queries. The authors are the same as `authorsSinceLastApproval`'s.
 * With `reserveRevisionId`, the statement also takes the id of the revision a
 * save will write (sequence values are never reused; an unused one is a gap).
 */
export async function readArticleState(db: Db, id: number, opts: WorkflowOptions, reserveRevisionId = false): Promise<ArticleState> {
  const a = await selectArticleState(db, id, opts.fourEyes, reserveRevisionId);
  if (!a) throw new NotFoundError(`Article ${id} does not exist.`);
  // The schema's `position` is the API's `index`.
  return { ...a, paragraphs: a.paragraphs.map(({ position, ...p }) => ({ index: position, ...p })) };
}

/** The record `actor` sees of an article in `state`. */
export function recordOf(a: ArticleState, actor: UserActor, opts: WorkflowOptions): ArticleRecord {
  const d = decideTransition({
    role: actor.role,
    actorId: actor.id,
    from: a.status,
    to: 'approved',
    note: null,
    authorsSinceLastApproval: a.authors ?? [],
    fourEyes: opts.fourEyes,
  });
  return {
    id: a.id,
    externalId: a.externalId,
    title: a.title,
    status: a.status,
    version: a.version,
    assigneeId: a.assigneeId,
    importBatchId: a.importBatchId,
    editRate: a.editRate,
    wordCount: a.wordCount,
    mtWordCount: a.mtWordCount,
    revisionCount: a.revisionCount,
    approvedRevisionId: a.approvedRevisionId,
    sourceLang: a.sourceLang,
    targetLang: a.targetLang,
    publishedAt: a.publishedAt,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    mtTitle: a.mtTitle,
    sourceTitle: a.sourceTitle,
    approvedAt: a.approvedAt,
    approvedById: a.approvedById,
    exportedAt: a.exportedAt,
    assigneeName: a.assigneeName,
    approvedByName: a.approvedByName,
    paragraphs: a.paragraphs,
    stats: a.stats ?? null,
    currentRevisionId: a.currentRevisionId,
    allowedTransitions: allowedTransitions(a.status, actor.role),
    approval: d.ok ? { allowed: true } : { allowed: false, reason: d.message },
  };
}

/**
 * The full article record as `GET /api/articles/:id` answers it for `actor`.
 * Also the body of every successful write and the `current` of a version conflict.
 */
export async function getArticleRecord(db: Db, id: number, actor: UserActor, opts: WorkflowOptions): Promise<ArticleRecord> {
  return recordOf(await readArticleState(db, id, opts), actor, opts);
}

/** What a save wrote, as `saveRevision` reports it. */
export interface SavedState {
  revisionId: number;
  version: number;
  revisionCount: number;
  status: ArticleStatus;
  title: string;
  paragraphs: readonly string[];
  editRate: number;
  wordCount: number;
  stats: NonNullable<ArticleRecord['stats']>;
  updatedAt: Date;
  assigneeId: number | null;
}

/**
 * The state after `actor` saved `saved` over `before`: what reading the
 * article again would return, without the round trip. Only the save's
 * columns change; the revision it wrote is authored, so its author joins the
 * four-eyes authors (which `before` holds whenever the status keeps needing them).
 */
export function stateAfterSave(before: ArticleState, saved: SavedState, actor: UserActor, assigneeName: string | null): ArticleState {
  return {
    ...before,
    title: saved.title,
    status: saved.status,
    version: saved.version,
    revisionCount: saved.revisionCount,
    editRate: saved.editRate,
    wordCount: saved.wordCount,
    updatedAt: saved.updatedAt,
    assigneeId: saved.assigneeId,
    // A save that claimed an unassigned article assigned it to its author.
    assigneeName: saved.assigneeId === before.assigneeId ? before.assigneeName : saved.assigneeId === actor.id ? actor.displayName : assigneeName,
    paragraphs: before.paragraphs.map((p, i) => ({ ...p, text: saved.paragraphs[i] })),
    stats: saved.stats,
    currentRevisionId: saved.revisionId,
    authors: before.authors === null || before.authors.includes(actor.id) ? before.authors : [...before.authors, actor.id],
    nextRevisionId: null,
  };
}
