/** The statements that write imported articles: lookup, bulk insert, MT update. */
import type { Db, SqlTx } from '../../db/client';
import { insertImportedArticles, lockImportedArticle, selectCurrentText, selectKnownArticles, selectUnitIds, writeMtUpdate } from '../../db/sql/importArticles';
import type { ParagraphDiff } from '../../../shared/textDiff';
import { buildRevisionData, searchTextOf, type RevisionData } from '../revisionData';
import { classifyArticle, type Decision, type KnownArticle } from './classifyArticle';
import { type ParsedArticle } from './types';
import { type RunContext } from './runContext';

/** An incoming article with its identity computed. */
export interface Incoming {
  article: ParsedArticle;
  hash: string;
}

export interface Lookup {
  byExt: Map<string, KnownArticle>;
  byHash: Map<string, KnownArticle>;
}


/** The existing articles with any of these externalIds or content hashes, in one query. */
export async function lookupKnown(db: SqlTx, items: readonly Incoming[]): Promise<Lookup> {
  const ext = items.flatMap((i) => (i.article.externalId !== undefined ? [i.article.externalId] : []));
  const hashes = items.map((i) => i.hash);
  const rows = items.length === 0 ? [] : await selectKnownArticles(db, ext, hashes);
  const out: Lookup = { byExt: new Map(), byHash: new Map() };
  for (const row of rows) {
    const known: KnownArticle = row;
    if (row.externalId !== null) out.byExt.set(row.externalId, known);
    out.byHash.set(row.contentHash, known);
  }
  return out;
}

/** The article row fields written on import and on an MT update. */
function articleFields(item: Incoming, rev: RevisionData) {
  const a = item.article;
  return {
    externalId: a.externalId ?? null,
    contentHash: item.hash,
    title: a.title,
    sourceTitle: a.source?.title ?? null,
    sourceLang: a.sourceLang ?? null,
    targetLang: a.targetLang ?? null,
    publishedAt: a.publishedAt ? a.publishedAt.toISOString() : null,
    metadata: a.metadata,
    mtWordCount: rev.stats.mt.mtWords,
    wordCount: rev.stats.mt.words,
    searchText: searchTextOf(a),
    paragraphs: a.paragraphs,
    sources: a.source?.paragraphs ?? null,
    codes: a.details ? a.details.map((d) => d.codes) : null,
    metas: a.details ? a.details.map((d) => d.meta) : null,
    diffs: rev.diffs,
    stats: rev.stats,
    editRate: rev.editRate,
    wordsInserted: rev.wordsInserted,
    wordsDeleted: rev.wordsDeleted,
    wordsSubstituted: rev.wordsSubstituted,
  };
}

const identical = (d: ParagraphDiff, text: string): boolean => !d.truncated && d.parts.length === 1 && d.parts[0].op === 'eq' && d.parts[0].text === text && Object.keys(d.parts[0]).length === 2;

/** True when the diffs only say that every text equals the MT and there is no previous revision. */
function isIdentityDiff(rev: RevisionData, mt: { title: string; paragraphs: readonly string[] }): boolean {
  const { title, paragraphs } = rev.diffs;
  return title.prev === null && identical(title.mt, mt.title) && paragraphs.every((p, i) => p.prev === null && identical(p.mt, mt.paragraphs[i]));
}

/**
 * Inserts new articles with their paragraphs, revision 1 and status change in one statement.
 * Returns, by content hash, the rows actually inserted: an article a concurrent import
 * committed first is left out (ON CONFLICT DO NOTHING on the unique externalId / contentHash).
 */
export async function insertArticles(ctx: RunContext, tx: SqlTx, items: readonly Incoming[]): Promise<Map<string, { articleId: number; revisionId: number }>> {
  const out = new Map<string, { articleId: number; revisionId: number }>();
  if (items.length === 0) return out;
  // The payload is what the database parses, so text is not sent three times: searchText is
  // derived in SQL exactly as searchTextOf does, and diffs that only say "identical to the MT"
  // (always, for revision 1) are rebuilt in SQL. The service tests compare both with the
  // TypeScript originals.
  const rows = items.map((item, k) => {
    const mt = { title: item.article.title, paragraphs: item.article.paragraphs };
    const rev = buildRevisionData(null, mt, mt);
    const { searchText: _derived, ...fields } = articleFields(item, rev);
    return { k, ...fields, diffs: isIdentityDiff(rev, mt) ? null : rev.diffs };
  });
  const note = ctx.batchId === null ? null : `import batch #${ctx.batchId}`;
  const result = await insertImportedArticles(tx, JSON.stringify(rows), ctx.batchId, ctx.actor.id, note);
  for (const r of result) out.set(r.contentHash, { articleId: r.articleId, revisionId: r.revisionId });
  return out;
}

/**
 * Replaces the MT text of an untouched draft: locks the article, checks again that no editor
 * touched it meanwhile, replaces its paragraphs, records revision n+1 (kind mt_update) and bumps
 * the version. Returns the new decision instead when the article changed since classification.
 */
export async function updateArticle(
  ctx: RunContext,
  tx: SqlTx,
  item: Incoming,
  articleId: number,
): Promise<{ revisionId: number; number: number } | { decision: Decision }> {
  const locked = await lockImportedArticle(tx, articleId);
  if (!locked) return { decision: { action: 'conflict', articleId, reason: `article #${articleId} was deleted while importing` } };
  const current = await selectCurrentText(tx, articleId);
  const known: KnownArticle = { ...locked, edited: current.edited };
  const again = classifyArticle({ externalId: item.article.externalId, contentHash: item.hash }, known, undefined);
  if (again.action !== 'update') return { decision: again };
  const unrelated = unrelatedConflict(item, articleId, current.unitIds);
  if (unrelated) return { decision: unrelated };

  const mt = { title: item.article.title, paragraphs: item.article.paragraphs };
  const rev = buildRevisionData({ title: locked.title, paragraphs: current.paragraphs }, mt, mt);
  const fields = articleFields(item, rev);
  const number = known.revisionCount + 1;
  const version = locked.version + 1;
  const revisionId = await writeMtUpdate(tx, { articleId, fieldsJson: JSON.stringify(fields), number, version, actorId: ctx.actor.id, batchId: ctx.batchId });
  return { revisionId, number };
}

const unitIdsOf = (item: Incoming): string[] => item.article.details?.flatMap((d) => (d.meta?.unitId !== undefined ? [d.meta.unitId] : [])) ?? [];

function unrelatedConflict(item: Incoming, articleId: number, before: readonly string[]): Decision | undefined {
  const why = differentDocument(before, unitIdsOf(item));
  if (!why) return undefined;
  return { action: 'conflict', articleId, reason: `article #${articleId} has this file's identity (externalId "${item.article.externalId}"), but ${why}; it looks like another document, so it was left unchanged (rename the file to import it as a new article)` };
}

/** For a dry run: the conflict an update of `articleId` would meet because the file is another document, if any. */
export async function sameDocument(db: Db | SqlTx, item: Incoming, articleId: number): Promise<Decision | undefined> {
  if (unitIdsOf(item).length === 0) return undefined;
  return unrelatedConflict(item, articleId, await selectUnitIds(db, articleId));
}

/**
 * Why two versions of a translation file are not the same document, or undefined when they may
 * be: a new version of a document keeps most of its unit ids (tools derive them from the
 * source), an unrelated file that happens to share a name and file id does not.
 */
export function differentDocument(before: readonly string[], after: readonly string[]): string | undefined {
  if (before.length === 0 || after.length === 0) return undefined;
  const old = new Set(before);
  const next = new Set(after);
  const shared = [...next].filter((id) => old.has(id)).length;
  if (shared * 2 >= Math.max(old.size, next.size)) return undefined;
  return `only ${shared} of its ${next.size} unit ids are among the ${old.size} of the article`;
}
