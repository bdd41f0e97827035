import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { parseListQuery, sendList } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { idParams } from '../http/schemas';
import {
  EXPORT_BATCH_SORTABLE,
  exportBatchFilter,
  getExportBatch,
  getImportBatch,
  IMPORT_BATCH_SORTABLE,
  importBatchFilter,
  listExportBatches,
  listImportBatches,
} from '../services/batches';

/** `/api/import-batches` and `/api/export-batches`: read-only simple-rest lists of import and export runs. */
export function batchRoutes(deps: { db: PrismaClient; guard: Guard }): Routes[] {
  const { db } = deps;
  const imports = new Routes('/api/import-batches', deps.guard);
  const exports = new Routes('/api/export-batches', deps.guard);

  imports.get('/', { access: 'import.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: IMPORT_BATCH_SORTABLE, defaultSort: ['startedAt', 'desc'], filter: importBatchFilter });
    const { rows, total } = await listImportBatches(db, q);
    sendList(res, 'import-batches', rows, q.skip, total);
  });

  imports.get('/:id', { access: 'import.read', params: idParams }, async (_req: Request, res: Response, { params }) => {
    res.json(await getImportBatch(db, params.id));
  });

  exports.get('/', { access: 'export.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: EXPORT_BATCH_SORTABLE, defaultSort: ['startedAt', 'desc'], filter: exportBatchFilter });
    const { rows, total } = await listExportBatches(db, q);
    sendList(res, 'export-batches', rows, q.skip, total);
  });

  exports.get('/:id', { access: 'export.read', params: idParams }, async (_req: Request, res: Response, { params }) => {
    res.json(await getExportBatch(db, params.id));
  });

  return [imports, exports];
}
