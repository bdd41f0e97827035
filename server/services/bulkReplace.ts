import vm from 'node:vm';
import { z } from 'zod';
import { Prisma, type PrismaClient } from '../db/client';
import { BadRequestError, NotFoundError } from '../errors';
import type { UserActor } from '../auth/context';
import { diffParagraph, type ParagraphDiff } from '../policy/textDiff';
import { statusAfterSave, type ArticleStatus } from '../policy/workflow';
import type { Snapshot } from './revisionData';
import type { SavedState } from './articleRecord';
import { loadArticle, saveRevision, type LoadedArticle } from './saveRevision';
import { parseInput } from './users';

/** Statuses bulk replace touches: everything not yet approved (nor archived). */
export const BULK_STATUSES = ['mt_draft', 'in_edit', 'in_review', 'changes_requested'] as const satisfies readonly ArticleStatus[];
/** Most articles a preview lists (and an apply accepts). */
export const BULK_PREVIEW_LIMIT = 200;
/** Longest regular expression accepted. */
export const MAX_REGEX_LENGTH = 200;
/** Wall-clock budget for running the pattern over one page of articles; a pattern that needs more is refused as too slow. */
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
  skipped: Array<{ articleId: number; reason: 'version_conflict' | 'not_found' | 'status' | 'no_match' | 'empty_title'; message: string }>;
}

/** What the pattern does to each text: null when it does not match. */
type ReplaceOutcome = Array<{ count: number; after: string } | null>;

/**
 * Runs a find/replace over many texts in a separate V8 context with a time
 * limit, so that a catastrophically backtracking pattern is stopped instead of
 * blocking the server's event loop.
 */
class Replacer {
  private readonly ctx = vm.createContext(Object.create(null) as object);
  private readonly source: string;
  private readonly flags: string;
  private readonly replacement: string;

  constructor(p: Pattern) {
    const find = p.find.normalize('NFC');
    if (p.regex && find.length > MAX_REGEX_LENGTH) {
      throw new BadRequestError(`find: a regular expression may be at most ${MAX_REGEX_LENGTH} characters.`, { field: 'find' }, 'validation_failed');
    }
    this.source = p.regex ? find : find.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.flags = `gu${p.caseSensitive ? '' : 'i'}`;
    // Literal mode inserts the text as typed; regex mode keeps $1, $<name> and $& references.
    this.replacement = p.regex ? p.replace.normalize('NFC') : p.replace.normalize('NFC').replace(/\$/g, '$$$$');
    try {
      new RegExp(this.source, this.flags);
    } catch (err) {
      throw new BadRequestError(`find: not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`, { field: 'find' }, 'invalid_regex');
    }
    vm.runInContext(
      `globalThis.run = function (texts, source, flags, replacement) {
         const re = new RegExp(source, flags);
         const out = [];
         for (const t of texts) {
           let count = 0;
           for (const m of t.matchAll(re)) {
             if (m[0] === '') return { empty: true };
             count++;
           }
           out.push(count === 0 ? null : { count, after: t.replace(re, replacement) });
         }
         return { out: JSON.stringify(out) };
       };`,
      this.ctx,
    );
  }

  run(texts: string[]): ReplaceOutcome {
    Object.assign(this.ctx, { texts, source: this.source, flags: this.flags, replacement: this.replacement });
    let result: { empty?: boolean; out?: string };
    try {
      result = vm.runInContext('run(texts, source, flags, replacement)', this.ctx, { timeout: MATCH_BUDGET_MS }) as typeof result;
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        throw new BadRequestError(
          `find: the pattern took more than ${MATCH_BUDGET_MS} ms on ${texts.length} paragraphs; it probably backtracks catastrophically (nested repetition such as (a+)+). Simplify it.`,
          { field: 'find' },
          'regex_too_slow',
        );
      }
      throw err;
    }
    if (result.empty) throw new BadRequestError('find: the pattern matches empty text; it must match at least one character.', { field: 'find' }, 'validation_failed');
    // Crossing back from the other context as JSON gives plain objects of this realm.
    return (JSON.parse(result.out ?? '[]') as ReplaceOutcome).map((o) => (o ? { count: o.count, after: o.after.normalize('NFC') } : null));
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

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * `POST /api/bulk-replace/preview`: what a find/replace would change in the
 * articles not yet approved, with a word diff per changed paragraph. Lists at
 * most BULK_PREVIEW_LIMIT articles (by id) and says when there are more.
 */
export async function previewBulkReplace(db: PrismaClient, raw: unknown): Promise<BulkPreview> {
  const input = parseInput(bulkPreviewInput, raw);
  const replacer = new Replacer(input);
  const statuses = input.statuses ?? [...BULK_STATUSES];
  const statusSql = Prisma.join(statuses.map((s) => Prisma.sql`${s}::"ArticleStatus"`));
  // A literal search is narrowed in the database; a regex is not (PostgreSQL regexes differ from JavaScript's).
  const like = input.regex ? null : `%${escapeLike(input.find.normalize('NFC'))}%`;
  const op = input.caseSensitive ? Prisma.sql`LIKE` : Prisma.sql`ILIKE`;
  const prefilter = like
    ? Prisma.sql`AND (EXISTS (SELECT 1 FROM paragraphs p WHERE p."articleId" = a.id AND p.text ${op} ${like})${input.includeTitles ? Prisma.sql` OR a.title ${op} ${like}` : Prisma.empty})`
    : Prisma.empty;

  const preview: BulkPreview = { matches: [], totalArticles: 0, totalReplacements: 0, truncated: false, limit: BULK_PREVIEW_LIMIT };
  let cursor = 0;
  for (;;) {
    const ids = await db.$queryRaw<Array<{ id: number }>>`
      SELECT a.id FROM articles a WHERE a.status IN (${statusSql}) AND a.id > ${cursor} ${prefilter} ORDER BY a.id LIMIT ${PAGE}`;
    if (ids.length === 0) break;
    cursor = ids[ids.length - 1].id;
    const articles = await db.article.findMany({
      where: { id: { in: ids.map((r) => r.id) } },
      orderBy: { id: 'asc' },
      select: { id: true, title: true, version: true, status: true, paragraphs: { orderBy: { position: 'asc' }, select: { position: true, text: true } } },
    });
    // With titles, each article's title runs just before its paragraphs, in the same pass.
    const texts = articles.flatMap((a) => [...(input.includeTitles ? [a.title] : []), ...a.paragraphs.map((p) => p.text)]);
    const outcome = replacer.run(texts);
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
 * articles, one revision (kind bulk_replace) per changed article, each in its
 * own transaction with its own `article.bulk_replace` audit event. An article
 * whose version differs from the one given (edited since the preview), that
 * is gone, no longer in a bulk-editable status or no longer matches is
 * skipped and reported; the others are applied.
 */
export async function applyBulkReplace(db: PrismaClient, raw: unknown, actor: UserActor): Promise<BulkApplyResult> {
  const input = parseInput(bulkApplyInput, raw);
  const seen = new Set<number>();
  input.articles.forEach((a, i) => {
    if (seen.has(a.id)) throw new BadRequestError(`articles.${i}.id: article ${a.id} is listed twice.`, { field: `articles.${i}.id` }, 'validation_failed');
    seen.add(a.id);
  });
  const replacer = new Replacer(input);
  const note = `bulk replace: ${input.find} → ${input.replace}`.slice(0, 2000);
  const result: BulkApplyResult = { applied: [], skipped: [] };

  for (const { id, version } of input.articles) {
    let article: LoadedArticle;
    try {
      article = await loadArticle(db, id);
    } catch (err) {
      if (err instanceof NotFoundError) {
        result.skipped.push({ articleId: id, reason: 'not_found', message: `Article ${id} does not exist.` });
        continue;
      }
      throw err;
    }
    const conflict = { articleId: id, reason: 'version_conflict' as const, message: `Article ${id} was changed since the preview (version ${version}, now ${article.version}); preview again.` };
    if (article.version !== version) {
      result.skipped.push(conflict);
      continue;
    }
    if (!(BULK_STATUSES as readonly string[]).includes(article.status)) {
      result.skipped.push({ articleId: id, reason: 'status', message: `Article ${id} is ${article.status}; bulk replace only changes articles that are not yet approved.` });
      continue;
    }
    const all = replacer.run([...(input.includeTitles ? [article.title] : []), ...article.paragraphs.map((p) => p.text)]);
    const title = input.includeTitles ? replacedTitle(article.title, all[0]) : null;
    const outcome = input.includeTitles ? all.slice(1) : all;
    if (title && title.after === '') {
      result.skipped.push({ articleId: id, reason: 'empty_title', message: `Article ${id}: the replacement would leave the title empty; the article was not changed.` });
      continue;
    }
    const paragraphs = article.paragraphs.map((p, i) => outcome[i]?.after ?? p.text);
    const replacements = outcome.reduce((n, o, i) => n + (o && o.after !== article.paragraphs[i].text ? o.count : 0), title?.replacements ?? 0);
    if (!title && paragraphs.every((t, i) => t === article.paragraphs[i].text)) {
      result.skipped.push({ articleId: id, reason: 'no_match', message: `Article ${id} no longer contains the text to replace.` });
      continue;
    }
    const next = { title: title?.after ?? article.title, paragraphs };
    const saved = await saveBulkRevision(db, article, next, { note, find: input.find, replace: input.replace, regex: input.regex, caseSensitive: input.caseSensitive, replacements, includeTitles: input.includeTitles }, actor);
    if (!saved) {
      result.skipped.push({ ...conflict, message: `Article ${id} was changed by someone else while bulk replace ran; preview again.` });
      continue;
    }
    result.applied.push({ articleId: id, revisionId: saved.revisionId, replacements });
  }
  return result;
}

/**
 * One bulk-replace revision through the same write path as an editor's save
 * (saveRevision): atomic version check, changed paragraphs, the revision, a
 * status change when the status moves, and the `article.bulk_replace` audit
 * event with the job's pattern. Null when another write won the race or the
 * article can no longer be edited; nothing is written then.
 */
async function saveBulkRevision(
  db: PrismaClient,
  article: LoadedArticle,
  next: Snapshot,
  job: { note: string; find: string; replace: string; regex: boolean; caseSensitive: boolean; replacements: number; includeTitles: boolean },
  actor: UserActor,
): Promise<SavedState | null> {
  if (!statusAfterSave(article.status).ok) return null;
  return saveRevision(
    db,
    {
      article,
      next,
      kind: 'bulk_replace',
      note: job.note,
      statusNote: job.note,
      auditExtra: { find: job.find, replace: job.replace, regex: job.regex, caseSensitive: job.caseSensitive, replacements: job.replacements, ...(job.includeTitles ? { includeTitles: true } : {}) },
    },
    actor,
  );
}
