import { z } from 'zod';
import type { PrismaClient } from '../db/client';
import { bulkReplaceCandidateIds } from '../db/sql/bulkReplace';
import { nextRevisionId, runSave } from '../db/sql/saveRevision';
import { BadRequestError, NotFoundError, TooManyRequestsError } from '../errors';
import type { UserActor } from '../auth/context';
import { diffParagraph, type ParagraphDiff } from '../../shared/textDiff';
import { statusAfterSave, type ArticleStatus } from '../../shared/workflow';
import { loadArticle, saveStatement, snapshotOf, type LoadedArticle } from './saveRevision';
import { buildRevisionData } from './revisionData';
import { recordAudit } from './audit';
import { MAX_PARAGRAPH_CHARS } from '../http/inputGuards';
import { RegexPoolBusy, RegexTimeout, RegexWorkerFailed, sharedRegexPool, type RegexJobResult, type RegexPool } from './regexPool';
import { escapeLike } from '../db/like';

/** Statuses bulk replace touches: everything not yet approved (nor archived). */
export const BULK_STATUSES = ['mt_draft', 'in_edit', 'in_review', 'changes_requested'] as const satisfies readonly ArticleStatus[];
/** Most articles a preview lists (and an apply accepts). */
export const BULK_PREVIEW_LIMIT = 200;
/** Longest regular expression accepted. */
export const MAX_REGEX_LENGTH = 200;
/** Hard limit for running the pattern over one page of articles in a worker; a pattern that needs more is stopped and refused as too slow. */
export const MATCH_BUDGET_MS = 1_000;
const PAGE = 100;

const patternFields = {
  find: z
    .string()
    .min(1, 'must not be empty')
    .max(500, 'must be at most 500 characters'),
  replace: z.string().max(2000, 'must be at most 2000 characters'),
  regex: z.boolean().optional().default(false),
  caseSensitive: z.boolean().optional().default(false),
  /** Titles too, not only paragraphs: a title change is previewed as its own diff row and lands in the same revision. */
  includeTitles: z.boolean().optional().default(false),
};

export const bulkPreviewInput = z.object({
  ...patternFields,
  statuses: z
    .array(z.enum(BULK_STATUSES, { error: () => `must be one of: ${BULK_STATUSES.join(', ')}` }))
    .min(1, 'must list at least one status')
    .optional(),
});

export const bulkApplyInput = z.object({
  ...patternFields,
  articles: z
    .array(z.object({ id: z.number().int().positive(), version: z.number().int().positive() }))
    .min(1, 'must list at least one article')
    .max(BULK_PREVIEW_LIMIT, `must list at most ${BULK_PREVIEW_LIMIT} articles`),
});

type Pattern = { find: string; replace: string; regex: boolean; caseSensitive: boolean };

export interface BulkParagraphMatch {
  index: number;
  before: string;
  after: string;
  replacements: number;
  diff: ParagraphDiff;
}

/** What the replacement does to an article's title (with `includeTitles`). */
export interface BulkTitleMatch {
  before: string;
  after: string;
  replacements: number;
  diff: ParagraphDiff;
}

export interface BulkPreview {
  /** `titleChange` is null unless `includeTitles` was asked and the title matches; `replacements` counts it. */
  matches: Array<{ articleId: number; title: string; version: number; status: ArticleStatus; replacements: number; titleChange: BulkTitleMatch | null; paragraphs: BulkParagraphMatch[] }>;
  totalArticles: number;
  totalReplacements: number;
  /** True when more than `limit` articles match: only the first `limit` (by id) are listed and counted. */
  truncated: boolean;
  limit: number;
}

export interface BulkApplyResult {
  applied: Array<{ articleId: number; revisionId: number; replacements: number }>;
  skipped: Array<{ articleId: number; reason: 'version_conflict' | 'not_found' | 'status' | 'no_match' | 'too_long' | 'empty_title'; message: string }>;
  /** The `article.bulk_replace` audit event that records the request. */
  auditEventId: string;
}

/** What the pattern does to each text: null when it does not match. */
type ReplaceOutcome = Array<{ count: number; after: string } | null>;

/**
 * A find/replace, validated here and run in the regex worker pool (see
 * regexPool.ts), so that a catastrophically backtracking pattern is stopped
 * after MATCH_BUDGET_MS without ever blocking the server's event loop.
 */
class Replacer {
  private readonly source: string;
  private readonly flags: string;
  private readonly replacement: string;

  constructor(
    p: Pattern,
    private readonly pool: RegexPool,
  ) {
    const find = p.find.normalize('NFC');
    if (p.regex && find.length > MAX_REGEX_LENGTH) {
      throw new BadRequestError(`find: a regular expression may be at most ${MAX_REGEX_LENGTH} characters.`, { field: 'find' }, 'validation_failed');
    }
    this.source = p.regex ? find : find.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.flags = `gu${p.caseSensitive ? '' : 'i'}`;
    // Literal mode inserts the text as typed; regex mode keeps $1, $<name> and $& references.
    this.replacement = p.regex ? p.replace.normalize('NFC') : p.replace.normalize('NFC').replace(/\$/g, '$$$$');
    try {
      // Compiling is linear in the pattern's length; only matching can run away.
      new RegExp(this.source, this.flags);
    } catch (err) {
      throw new BadRequestError(`find: not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`, { field: 'find' }, 'invalid_regex');
    }
  }

  async run(texts: string[]): Promise<ReplaceOutcome> {
    let result: RegexJobResult;
    try {
      result = await this.pool.run({ texts, source: this.source, flags: this.flags, replacement: this.replacement });
    } catch (err) {
      if (err instanceof RegexTimeout) {
        throw new BadRequestError(
          `find: the pattern took more than ${err.timeoutMs} ms on ${texts.length} paragraphs and was stopped; it probably backtracks catastrophically (nested repetition such as (a+)+). Simplify it.`,
          { field: 'find', timeoutMs: err.timeoutMs },
          'regex_too_slow',
        );
      }
      if (err instanceof RegexPoolBusy) {
        throw new TooManyRequestsError(
          `find: the server is already running ${err.capacity} pattern searches, the most it runs or queues at once; try again in a moment.`,
          1,
          'regex_busy',
          { field: 'find' },
        );
      }
      if (err instanceof RegexWorkerFailed) throw new BadRequestError(`find: ${err.message}.`, { field: 'find' }, 'regex_failed');
      throw err;
    }
    if (result.empty) throw new BadRequestError('find: the pattern matches empty text; it must match at least one character.', { field: 'find' }, 'validation_failed');
    return result.out.map((o) => (o ? { count: o.count, after: o.after.normalize('NFC') } : null));
  }
}

/**
 * A title after the replacement, trimmed as an editor's title is; null when
 * the pattern does not change it. An empty result is reported by the caller.
 */
function replacedTitle(title: string, o: { count: number; after: string } | null | undefined): { after: string; replacements: number } | null {
  if (!o) return null;
  const after = o.after.trim();
  return after === title ? null : { after, replacements: o.count };
}

/**
 * `POST /api/bulk-replace/preview`: what a find/replace would change in the
 * articles not yet approved, with a word diff per changed paragraph. Lists at
 * most BULK_PREVIEW_LIMIT articles (by id) and says when there are more.
 */
export async function previewBulkReplace(db: PrismaClient, input: z.output<typeof bulkPreviewInput>, pool: RegexPool = sharedRegexPool(MATCH_BUDGET_MS)): Promise<BulkPreview> {
  const replacer = new Replacer(input, pool);
  const statuses = input.statuses ?? [...BULK_STATUSES];
  // A literal search is narrowed in the database; a regex is not (PostgreSQL regexes differ from JavaScript's).
  const filter = input.regex ? null : { like: `%${escapeLike(input.find.normalize('NFC'))}%`, caseSensitive: input.caseSensitive, includeTitles: input.includeTitles };

  const preview: BulkPreview = { matches: [], totalArticles: 0, totalReplacements: 0, truncated: false, limit: BULK_PREVIEW_LIMIT };
  let cursor = 0;
  for (;;) {
    const ids = await bulkReplaceCandidateIds(db, statuses, cursor, PAGE, filter);
    if (ids.length === 0) break;
    cursor = ids[ids.length - 1];
    const articles = await db.article.findMany({
      where: { id: { in: ids } },
      orderBy: { id: 'asc' },
      select: { id: true, title: true, version: true, status: true, paragraphs: { orderBy: { position: 'asc' }, select: { position: true, text: true } } },
    });
    // With titles, each article's title runs just before its paragraphs, in the same pass.
    const texts = articles.flatMap((a) => [...(input.includeTitles ? [a.title] : []), ...a.paragraphs.map((p) => p.text)]);
    const outcome = await replacer.run(texts);
    let k = 0;
    for (const a of articles) {
      const t = input.includeTitles ? replacedTitle(a.title, outcome[k++]) : null;
      const titleChange = t ? { before: a.title, after: t.after, replacements: t.replacements, diff: diffParagraph(a.title, t.after) } : null;
      const paragraphs: BulkParagraphMatch[] = [];
      for (const p of a.paragraphs) {
        const o = outcome[k++];
        if (o && o.after !== p.text) paragraphs.push({ index: p.position, before: p.text, after: o.after, replacements: o.count, diff: diffParagraph(p.text, o.after) });
      }
      if (paragraphs.length === 0 && !titleChange) continue;
      if (preview.matches.length === BULK_PREVIEW_LIMIT) {
        preview.truncated = true;
        return preview;
      }
      const replacements = paragraphs.reduce((n, p) => n + p.replacements, titleChange?.replacements ?? 0);
      preview.matches.push({ articleId: a.id, title: a.title, version: a.version, status: a.status, replacements, titleChange, paragraphs });
      preview.totalArticles++;
      preview.totalReplacements += replacements;
    }
    if (ids.length < PAGE) break;
  }
  return preview;
}

/**
 * `POST /api/bulk-replace/apply`: runs the find/replace on the listed
 * articles, one revision (kind bulk_replace) per changed article. An article
 * whose version differs from the one given (edited since the preview), that
 * is gone, no longer in a bulk-editable status, no longer matches or would
 * get a paragraph over MAX_PARAGRAPH_CHARS is skipped and reported; the
 * others are applied.
 *
 * The pattern runs first, in the worker pool, with no transaction open. Then
 * one transaction writes every revision (each save's statement checks the
 * version atomically, as an editor's save does) and, last, ONE
 * `article.bulk_replace` audit event for the request with every article's
 * outcome, whether anything was applied or not: all of it commits together
 * or none of it does.
 */
export async function applyBulkReplace(db: PrismaClient, input: z.output<typeof bulkApplyInput>, actor: UserActor, pool: RegexPool = sharedRegexPool(MATCH_BUDGET_MS)): Promise<BulkApplyResult> {
  const seen = new Set<number>();
  input.articles.forEach((a, i) => {
    if (seen.has(a.id)) throw new BadRequestError(`articles.${i}.id: article ${a.id} is listed twice.`, { field: `articles.${i}.id` }, 'validation_failed');
    seen.add(a.id);
  });
  const replacer = new Replacer(input, pool);
  const note = `bulk replace: ${input.find} → ${input.replace}`.slice(0, 2000);
  const skipped: BulkApplyResult['skipped'] = [];

  // Read and check every article, then run the pattern over the candidates a page at a time.
  const candidates: LoadedArticle[] = [];
  for (const { id, version } of input.articles) {
    let article: LoadedArticle;
    try {
      article = await loadArticle(db, id);
    } catch (err) {
      if (err instanceof NotFoundError) {
        skipped.push({ articleId: id, reason: 'not_found', message: `Article ${id} does not exist.` });
        continue;
      }
      throw err;
    }
    if (article.version !== version) {
      skipped.push({ articleId: id, reason: 'version_conflict', message: `Article ${id} was changed since the preview (version ${version}, now ${article.version}); preview again.` });
      continue;
    }
    if (!(BULK_STATUSES as readonly string[]).includes(article.status) || !statusAfterSave(article.status).ok) {
      skipped.push({ articleId: id, reason: 'status', message: `Article ${id} is ${article.status}; bulk replace only changes articles that are not yet approved.` });
      continue;
    }
    candidates.push(article);
  }
  const planned: Array<{ article: LoadedArticle; title: string; paragraphs: string[]; replacements: number }> = [];
  for (let i = 0; i < candidates.length; i += PAGE) {
    const page = candidates.slice(i, i + PAGE);
    // With titles, each article's title runs just before its paragraphs, in the same pass.
    const outcome = await replacer.run(page.flatMap((a) => [...(input.includeTitles ? [a.title] : []), ...a.paragraphs.map((p) => p.text)]));
    let k = 0;
    for (const article of page) {
      const title = input.includeTitles ? replacedTitle(article.title, outcome[k++]) : null;
      const own = article.paragraphs.map(() => outcome[k++]);
      if (title && title.after === '') {
        skipped.push({ articleId: article.id, reason: 'empty_title', message: `Article ${article.id}: the replacement would leave the title empty; the article was not changed.` });
        continue;
      }
      // Locked paragraphs (translate="no" in an imported file) are left as they are.
      const paragraphs = article.paragraphs.map((p, j) => (p.locked ? p.text : (own[j]?.after ?? p.text)));
      const replacements = own.reduce((n, o, j) => n + (o && !article.paragraphs[j].locked && o.after !== article.paragraphs[j].text ? o.count : 0), title?.replacements ?? 0);
      const tooLong = paragraphs.findIndex((t, j) => t !== article.paragraphs[j].text && t.length > MAX_PARAGRAPH_CHARS);
      if (!title && paragraphs.every((t, j) => t === article.paragraphs[j].text)) {
        skipped.push({ articleId: article.id, reason: 'no_match', message: `Article ${article.id} no longer contains the text to replace.` });
      } else if (tooLong !== -1) {
        skipped.push({
          articleId: article.id,
          reason: 'too_long',
          message: `Article ${article.id}: paragraph ${tooLong} would be ${paragraphs[tooLong].length} characters long; a paragraph may hold at most ${MAX_PARAGRAPH_CHARS}.`,
        });
      } else {
        planned.push({ article, title: title?.after ?? article.title, paragraphs, replacements });
      }
    }
  }

  return db.$transaction(
    async (tx) => {
      const applied: BulkApplyResult['applied'] = [];
      const changes: Array<Record<string, unknown>> = [];
      const lost: BulkApplyResult['skipped'] = [];
      for (const { article, title, paragraphs, replacements } of planned) {
        const next = { title, paragraphs };
        const mt = { title: article.mtTitle, paragraphs: article.paragraphs.map((p) => p.mt) };
        const data = buildRevisionData(snapshotOf(article), next, mt);
        const revisionId = await nextRevisionId(tx);
        const { statement, saved } = saveStatement(
          { article, next, kind: 'bulk_replace', note, statusNote: note, audit: false, data, revisionId, updatedAt: new Date() },
          actor,
        );
        if ((await runSave(tx, statement)) === null) {
          lost.push({ articleId: article.id, reason: 'version_conflict', message: `Article ${article.id} was changed by someone else while bulk replace ran; preview again.` });
          continue;
        }
        applied.push({ articleId: article.id, revisionId, replacements });
        changes.push({
          articleId: article.id,
          revisionId,
          number: saved.revisionCount,
          replacements,
          paragraphsChanged: paragraphs.filter((t, j) => t !== article.paragraphs[j].text).length,
          ...(title !== article.title ? { titleChanged: true } : {}),
          editRate: data.editRate,
          ...(saved.status !== article.status ? { statusFrom: article.status, statusTo: saved.status } : {}),
        });
      }
      const allSkipped = [...skipped, ...lost].sort((x, y) => order(x.articleId) - order(y.articleId));
      const auditEventId = await recordAudit(tx, actor, {
        action: 'article.bulk_replace',
        entity: 'article',
        entityId: null,
        data: {
          find: input.find,
          replace: input.replace,
          regex: input.regex,
          caseSensitive: input.caseSensitive,
          ...(input.includeTitles ? { includeTitles: true } : {}),
          requested: input.articles.length,
          replacements: applied.reduce((n, a) => n + a.replacements, 0),
          applied: changes,
          skipped: allSkipped.map(({ articleId, reason }) => ({ articleId, reason })),
        },
      });
      return { applied, skipped: allSkipped, auditEventId: String(auditEventId) };
    },
    { maxWait: 15_000, timeout: 120_000 },
  );

  /** Position of an article in the request, so outcomes are reported in the order asked. */
  function order(id: number): number {
    return input.articles.findIndex((a) => a.id === id);
  }
}
