import { z } from 'zod';
import type { Db, PrismaClient } from '../db/client';
import { ConflictError, HttpError, NotFoundError } from '../errors';
import type { UserActor } from '../auth/context';
import { confirmationHolds } from '../../shared/gates';
import { TITLE_INDEX } from '../../shared/qa/types';
import { recordAudit } from './audit';
import { WRITE_TX } from './saveRevision';

/** One paragraph (or the title, paragraphIndex -1) confirmed for its current text. */
export interface ConfirmationRow {
  paragraphIndex: number;
  confirmedById: number;
  confirmedByName: string;
  confirmedAt: Date;
}

/** `GET/POST /api/articles/:id/confirmations`: the confirmations that still hold, out of `total` (paragraphs + the title). */
export interface ArticleConfirmations {
  articleId: number;
  total: number;
  confirmations: ConfirmationRow[];
}

export const confirmationInput = z
  .object({
    paragraphIndex: z.number({ error: () => 'must be a paragraph index (-1 for the title)' }).int().min(TITLE_INDEX),
    confirmed: z.boolean({ error: () => 'must be true (confirm) or false (withdraw)' }),
    /** The text being confirmed, exactly as the editor sees it saved; refused when the stored text differs. */
    text: z.string().max(1_000_000).optional(),
  })
  .strict();

async function currentTexts(db: Db, articleId: number): Promise<{ status: string; texts: Map<number, string> }> {
  const article = await db.article.findUnique({
    where: { id: articleId },
    select: { status: true, title: true, paragraphs: { select: { position: true, text: true } } },
  });
  if (!article) throw new NotFoundError(`Article ${articleId} does not exist.`);
  const texts = new Map<number, string>([[TITLE_INDEX, article.title]]);
  for (const p of article.paragraphs) texts.set(p.position, p.text);
  return { status: article.status, texts };
}

/**
 * The confirmations of an article that still hold: a stored confirmation
 * whose text is no longer the paragraph's text was cleared by that change
 * and is left out (see `confirmationHolds`).
 */
export async function listConfirmations(db: Db, articleId: number): Promise<ArticleConfirmations> {
  const [{ texts }, rows] = await Promise.all([
    currentTexts(db, articleId),
    db.paragraphConfirmation.findMany({
      where: { articleId },
      select: { paragraphIndex: true, text: true, confirmedById: true, confirmedAt: true, confirmedBy: { select: { displayName: true } } },
      orderBy: { paragraphIndex: 'asc' },
    }),
  ]);
  const confirmations = rows
    .filter((r) => texts.has(r.paragraphIndex) && confirmationHolds(r.text, texts.get(r.paragraphIndex) as string))
    .map((r) => ({ paragraphIndex: r.paragraphIndex, confirmedById: r.confirmedById, confirmedByName: r.confirmedBy.displayName, confirmedAt: r.confirmedAt }));
  return { articleId, total: texts.size, confirmations };
}

/**
 * Confirms a paragraph (or withdraws its confirmation). The write touches
 * only the confirmation row, never the article, its version or its text, so
 * it cannot overwrite anyone's save: a save that lands after a confirmation
 * changes the text, and the confirmation stops holding. A confirmation
 * carrying `text` that is no longer the stored text (a save landed first)
 * is refused with 409 `paragraph_changed`. Audited as `paragraph.confirm` /
 * `paragraph.unconfirm` in the same transaction.
 */
export async function setConfirmation(db: PrismaClient, articleId: number, input: z.output<typeof confirmationInput>, actor: UserActor): Promise<ArticleConfirmations> {
  const i = input.paragraphIndex;
  await db.$transaction(async (tx) => {
    const { status, texts } = await currentTexts(tx, articleId);
    if (status === 'archived') throw new ConflictError(`Article ${articleId} is archived and read-only; unarchive it first.`, undefined, 'article_archived');
    const current = texts.get(i);
    if (current === undefined) {
      throw new HttpError(400, 'validation_failed', `paragraphIndex: article ${articleId} has no paragraph ${i} (it has ${texts.size - 1}, numbered from 0; -1 is the title).`, { field: 'paragraphIndex' });
    }
    if (input.confirmed) {
      if (input.text !== undefined && input.text !== current) {
        throw new ConflictError(`${i === TITLE_INDEX ? 'The title' : `Paragraph ${i + 1}`} changed since you loaded it; reload and confirm the current text.`, { paragraphIndex: i }, 'paragraph_changed');
      }
      await tx.paragraphConfirmation.upsert({
        where: { articleId_paragraphIndex: { articleId, paragraphIndex: i } },
        create: { articleId, paragraphIndex: i, text: current, confirmedById: actor.id },
        update: { text: current, confirmedById: actor.id, confirmedAt: new Date() },
      });
    } else {
      await tx.paragraphConfirmation.deleteMany({ where: { articleId, paragraphIndex: i } });
    }
    await recordAudit(tx, actor, { action: input.confirmed ? 'paragraph.confirm' : 'paragraph.unconfirm', entity: 'article', entityId: articleId, data: { paragraphIndex: i } });
  }, WRITE_TX);
  return listConfirmations(db, articleId);
}
