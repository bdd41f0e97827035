import type { Db } from '../../db/client';
import { countExportSelection, selectExistingArticleIds, selectExportDocument, selectExportPage, type ExportRow, type ExportSelection } from '../../db/sql/export';
import { NotFoundError } from '../../errors';

export { countExportSelection, type ExportRow, type ExportSelection };

/**
 * One page of the selection in id order, starting after `afterId` (a keyset
 * cursor: no OFFSET, so every page costs the same). Each row carries the
 * PINNED approved revision's title and paragraphs, never the current text.
 */
export async function findExportPage(db: Db, sel: ExportSelection, afterId: number, take: number): Promise<ExportRow[]> {
  return selectExportPage(db, sel, afterId, take);
}

/**
 * The approved revision of one article as an export document.
 *
 * @throws NotFoundError `not_found` when the article does not exist, `not_approved` when it has no approved revision
 */
export async function loadExportDocument(db: Db, id: number): Promise<ExportRow> {
  const row = await selectExportDocument(db, id);
  if (row) return row;
  if ((await selectExistingArticleIds(db, [id])).size === 0) throw new NotFoundError(`Article ${id} does not exist.`);
  throw new NotFoundError(`Article ${id} has no approved revision to export.`, 'not_approved');
}
