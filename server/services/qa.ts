import type { Db } from '../db/client';
import { NotFoundError } from '../errors';
import { decodeJson, paragraphCodes, paragraphMetaColumn } from '../db/json';
import { runQaChecks, type Finding, type QaConfigInput } from '../policy/qa';
import { glossaryForQa } from './glossary';

/**
 * The QA findings of an article's current title and text, checked against
 * the MT and source of each and against the whole glossary. Title findings
 * have paragraphIndex -1 (TITLE_INDEX).
 */
export async function articleQa(db: Db, articleId: number, config: QaConfigInput = {}): Promise<Finding[]> {
  const [article, glossary] = await Promise.all([
    db.article.findUnique({
      where: { id: articleId },
      select: { title: true, mtTitle: true, sourceTitle: true, targetLang: true, paragraphs: { orderBy: { position: 'asc' }, select: { id: true, text: true, mt: true, source: true, codes: true, meta: true } } },
    }),
    glossaryForQa(db),
  ]);
  if (!article) throw new NotFoundError(`Article ${articleId} does not exist.`);
  const title = { text: article.title, mt: article.mtTitle, source: article.sourceTitle };
  const paragraphs = article.paragraphs.map(({ id, codes, meta, ...p }) => ({
    ...p,
    codes: decodeJson(paragraphCodes, codes, id),
    emptyTarget: decodeJson(paragraphMetaColumn, meta, id)?.emptyTarget === true,
  }));
  return runQaChecks({ title, paragraphs, glossary, targetLang: article.targetLang }, config);
}

/**
 * The error-severity findings of an article's current text: what blocks
 * approval when COPYDESK_QA_BLOCKS_APPROVAL is on. Fits the transitions
 * service's `ApprovalQaCheck` hook (pass it as `qaCheck`).
 */
export async function qaErrorsFor(db: Db, articleId: number): Promise<Finding[]> {
  return (await articleQa(db, articleId)).filter((f) => f.severity === 'error');
}
