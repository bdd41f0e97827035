import type { Prisma, PrismaClient } from '../../server/db/client';
import type { ArticleStatus } from '../../shared/workflow';
import { buildRevisionData, contentHash, searchTextOf } from '../../server/services/revisionData';

/** A paragraph given to `makeArticle`: its MT text alone, or the MT with its source-language text. */
export type ParagraphSeed = string | { mt: string; source?: string | null };

export interface MakeArticleOptions {
  /** The MT title (the current title starts equal to it). Defaults to a unique "Article N". */
  title?: string;
  sourceTitle?: string | null;
  /** MT paragraphs, in order. Defaults to two short English paragraphs. */
  paragraphs?: ParagraphSeed[];
  /**
   * Status to create the article in (default mt_draft). Anything else adds a
   * system status change mt_draft → status after the import one. `approved` and
   * `exported` also pin revision 1 as the approved revision (approvedAt = now,
   * approvedById = `approvedById`); `exported` sets exportedAt.
   */
  status?: ArticleStatus;
  approvedById?: number | null;
  assigneeId?: number | null;
  externalId?: string | null;
  importBatchId?: number | null;
  sourceLang?: string | null;
  targetLang?: string | null;
  publishedAt?: Date | null;
  metadata?: Prisma.InputJsonObject;
}

/** What `makeArticle` created. */
export interface MadeArticle {
  id: number;
  version: number;
  /** Revision 1 (kind import). */
  revisionId: number;
  title: string;
  /** The MT paragraph texts (also the current texts). */
  paragraphs: string[];
}

let counter = 0;

const DEFAULT_PARAGRAPHS = ['The council approved the new budget on Monday.', 'Opposition members said the plan lacked detail.'];

/**
 * Creates an article exactly as the importer does: the article row (version 1,
 * revisionCount 1, status mt_draft, text = MT, word counts and searchText
 * computed), its paragraphs, revision 1 (kind import, authorId null,
 * articleVersion 1, diffs/stats from `buildRevisionData(null, mt, mt)`), and
 * the status change null → mt_draft. No audit event is written.
 *
 * The article's identity is its content hash (MT title + paragraphs), as for
 * an import without an externalId: creating the same title and paragraphs
 * twice fails with a unique violation, so give distinct titles (the default
 * title is unique per test process).
 *
 * @example
 *   const a = await makeArticle(t.db, { paragraphs: ['Our city will strike hard against illegal fishing'] });
 *   const b = await makeArticle(t.db, { status: 'in_review', assigneeId: editorId, paragraphs: [{ mt: 'Hello.', source: 'Bonjour.' }] });
 */
export async function makeArticle(db: PrismaClient, opts: MakeArticleOptions = {}): Promise<MadeArticle> {
  counter += 1;
  const title = (opts.title ?? `Article ${counter} ${process.pid}`).normalize('NFC');
  const seeds = (opts.paragraphs ?? DEFAULT_PARAGRAPHS).map((p) => (typeof p === 'string' ? { mt: p, source: null } : { mt: p.mt, source: p.source ?? null }));
  const mts = seeds.map((p) => p.mt.normalize('NFC'));
  const snapshot = { title, paragraphs: mts };
  const data = buildRevisionData(null, snapshot, snapshot);
  const status = opts.status ?? 'mt_draft';
  const approved = status === 'approved' || status === 'exported';

  return db.$transaction(async (tx) => {
    const article = await tx.article.create({
      data: {
        externalId: opts.externalId ?? null,
        contentHash: contentHash(title, mts),
        title,
        mtTitle: title,
        sourceTitle: opts.sourceTitle ?? null,
        status: 'mt_draft',
        sourceLang: opts.sourceLang === undefined ? 'fr' : opts.sourceLang,
        targetLang: opts.targetLang === undefined ? 'en' : opts.targetLang,
        publishedAt: opts.publishedAt ?? null,
        metadata: opts.metadata ?? {},
        assigneeId: opts.assigneeId ?? null,
        importBatchId: opts.importBatchId ?? null,
        mtWordCount: data.stats.mt.mtWords,
        wordCount: data.stats.mt.words,
        editRate: data.editRate,
        searchText: searchTextOf(snapshot),
        paragraphs: { create: seeds.map((p, i) => ({ position: i, mt: mts[i], text: mts[i], source: p.source })) },
      },
      select: { id: true },
    });
    const revision = await tx.revision.create({
      data: {
        articleId: article.id,
        number: 1,
        articleVersion: 1,
        kind: 'import',
        authorId: null,
        title: data.title,
        paragraphs: data.paragraphs,
        diffs: data.diffs as unknown as Prisma.InputJsonValue,
        stats: data.stats as unknown as Prisma.InputJsonValue,
        editRate: data.editRate,
        wordsInserted: data.wordsInserted,
        wordsDeleted: data.wordsDeleted,
        wordsSubstituted: data.wordsSubstituted,
      },
      select: { id: true },
    });
    await tx.statusChange.create({ data: { articleId: article.id, fromStatus: null, toStatus: 'mt_draft', actorId: null, revisionId: revision.id } });
    if (status !== 'mt_draft') {
      await tx.statusChange.create({
        data: { articleId: article.id, fromStatus: 'mt_draft', toStatus: status, actorId: approved ? (opts.approvedById ?? null) : null, revisionId: revision.id, note: 'set up by a test factory' },
      });
      await tx.article.update({
        where: { id: article.id },
        data: {
          status,
          ...(approved ? { approvedRevisionId: revision.id, approvedAt: new Date(), approvedById: opts.approvedById ?? null } : {}),
          ...(status === 'exported' ? { exportedAt: new Date() } : {}),
        },
      });
    }
    return { id: article.id, version: 1, revisionId: revision.id, title, paragraphs: mts };
  });
}

/** An article's current paragraph texts, in order, straight from the database. */
export async function paragraphTexts(db: PrismaClient, articleId: number): Promise<string[]> {
  const rows = await db.paragraph.findMany({ where: { articleId }, orderBy: { position: 'asc' } });
  return rows.map((r) => r.text);
}
