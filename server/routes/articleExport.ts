import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { BadRequestError } from '../errors';
import { Routes, type Guard } from '../http/routes';
import { idParams } from '../http/schemas';
import { loadExportDocument } from '../services/export/exportDocuments';
import { EXPORT_CONTENT_TYPES, EXPORT_FORMATS, exportFileName, isExportFormat, renderExport, type ExportFormat } from '../services/export/render';

/** The format a download gets when the request names none. */
export const DEFAULT_DOWNLOAD_FORMAT: ExportFormat = 'json';

/**
 * `GET /api/articles/:id/export?format=text|markdown|json|xliff|xliff12`: the approved
 * revision as a file download. Anyone who may read the article may download
 * its approved text; 404 `not_approved` when it has none. The order of mounting
 * does not matter: the articles router's `/:id` never matches a longer path.
 */
export function articleExportRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/articles', deps.guard);

  r.get('/:id/export', { access: 'article.read', params: idParams }, async (req: Request, res: Response, { params }) => {
    const id = params.id;
    const raw = req.query.format ?? DEFAULT_DOWNLOAD_FORMAT;
    if (!isExportFormat(raw)) {
      throw new BadRequestError(`Unknown export format "${String(raw)}"; expected one of ${EXPORT_FORMATS.join(', ')}.`, { param: 'format', allowed: EXPORT_FORMATS }, 'invalid_format');
    }
    const doc = await loadExportDocument(db, id);
    const body = renderExport(doc, raw);
    const name = exportFileName(doc, raw);
    res.setHeader('Content-Type', EXPORT_CONTENT_TYPES[raw]);
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Revision-Id', String(doc.revision.id));
    res.send(Buffer.from(body, 'utf8'));
  });

  return r;
}
