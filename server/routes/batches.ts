import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Prisma, PrismaClient } from '../db/client';
import { NotFoundError } from '../errors';
import { idOrIds, parseListQuery, routeId, sendList } from '../http/listQuery';
import { dateBound, dateRange } from '../http/dateRange';
import { Routes, type Guard } from '../http/routes';
import { escapeLike } from '../db/like';

const batchStatus = z.enum(['running', 'completed', 'failed']);
const statusFilter = z.union([batchStatus, z.array(batchStatus)]).optional();

const importFilter = z
  .object({ id: idOrIds.optional(), status: statusFilter, importerId: z.coerce.number().int().positive().optional(), q: z.string().max(200).optional(), startedAt_gte: dateBound('start').optional(), startedAt_lte: dateBound('end').optional() })
  .strict();
const exportFilter = z
  .object({ id: idOrIds.optional(), status: statusFilter, exporterId: z.coerce.number().int().positive().optional(), format: z.string().max(16).optional(), startedAt_gte: dateBound('start').optional(), startedAt_lte: dateBound('end').optional() })
  .strict();

const IMPORT_SORTABLE = ['id', 'name', 'status', 'startedAt', 'finishedAt', 'fileCount', 'imported', 'updated', 'skipped', 'conflicts', 'failed'] as const;
const EXPORT_SORTABLE = ['id', 'status', 'format', 'startedAt', 'finishedAt', 'articleCount'] as const;

const ids = (v: number | number[]) => ({ in: Array.isArray(v) ? v : [v] });
const statuses = <T>(v: T | T[]) => ({ in: Array.isArray(v) ? v : [v] });
const startedAt = (gte?: Date, lte?: Date) => {
  const range = dateRange(gte, lte);
  return range ? { startedAt: range } : {};
};

const importerName = { importer: { select: { username: true, displayName: true } } } as const;
const exporterName = { exporter: { select: { username: true, displayName: true } } } as const;

/** A batch row with the runner's name flattened in; `actorName` (the name at run time) is the fallback for deleted users and the CLI. */
function withRunner<T extends { actorName: string }>(row: T, user: { username: string; displayName: string } | null, key: 'importerName' | 'exporterName') {
  return { ...row, [key]: user?.displayName ?? row.actorName };
}

/**
 * Read-only lists of import and export runs (ra-data-simple-rest): the rows of
 * import_batches / export_batches with the name of who ran them. Batches are
 * written by the import/export CLIs, never through the API.
 */
export function batchRoutes(deps: { db: PrismaClient; guard: Guard }): Routes[] {
  const { db } = deps;
  const imports = new Routes('/api/import-batches', deps.guard);
  const exports = new Routes('/api/export-batches', deps.guard);

  imports.get('/', { access: 'import.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: IMPORT_SORTABLE, defaultSort: ['startedAt', 'desc'], filter: importFilter });
    const f = q.filter;
    const where: Prisma.ImportBatchWhereInput = {
      ...(f.id !== undefined ? { id: ids(f.id) } : {}),
      ...(f.status !== undefined ? { status: statuses(f.status) } : {}),
      ...(f.importerId !== undefined ? { importerId: f.importerId } : {}),
      ...(f.q ? { OR: [{ name: { contains: escapeLike(f.q), mode: 'insensitive' } }, { actorName: { contains: escapeLike(f.q), mode: 'insensitive' } }] } : {}),
      ...startedAt(f.startedAt_gte, f.startedAt_lte),
    };
    const [rows, total] = await Promise.all([
      db.importBatch.findMany({ where, include: importerName, orderBy: [{ [q.sort.field]: q.sort.order }, { id: 'desc' }], skip: q.skip, take: q.take }),
      db.importBatch.count({ where }),
    ]);
    sendList(res, 'import-batches', rows.map(({ importer, ...row }) => withRunner(row, importer, 'importerName')), q.skip, total);
  });

  imports.get('/:id', { access: 'import.read' }, async (req: Request, res: Response) => {
    const id = routeId(req.params.id);
    const row = await db.importBatch.findUnique({ where: { id }, include: importerName });
    if (!row) throw new NotFoundError(`Import batch ${id} does not exist.`);
    const { importer, ...rest } = row;
    res.json(withRunner(rest, importer, 'importerName'));
  });

  exports.get('/', { access: 'export.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: EXPORT_SORTABLE, defaultSort: ['startedAt', 'desc'], filter: exportFilter });
    const f = q.filter;
    const where: Prisma.ExportBatchWhereInput = {
      ...(f.id !== undefined ? { id: ids(f.id) } : {}),
      ...(f.status !== undefined ? { status: statuses(f.status) } : {}),
      ...(f.exporterId !== undefined ? { exporterId: f.exporterId } : {}),
      ...(f.format !== undefined ? { format: f.format } : {}),
      ...startedAt(f.startedAt_gte, f.startedAt_lte),
    };
    const [rows, total] = await Promise.all([
      db.exportBatch.findMany({ where, include: exporterName, orderBy: [{ [q.sort.field]: q.sort.order }, { id: 'desc' }], skip: q.skip, take: q.take }),
      db.exportBatch.count({ where }),
    ]);
    sendList(res, 'export-batches', rows.map(({ exporter, ...row }) => withRunner(row, exporter, 'exporterName')), q.skip, total);
  });

  exports.get('/:id', { access: 'export.read' }, async (req: Request, res: Response) => {
    const id = routeId(req.params.id);
    const row = await db.exportBatch.findUnique({ where: { id }, include: { ...exporterName, _count: { select: { items: true } } } });
    if (!row) throw new NotFoundError(`Export batch ${id} does not exist.`);
    const { exporter, _count, ...rest } = row;
    res.json({ ...withRunner(rest, exporter, 'exporterName'), itemCount: _count.items });
  });

  return [imports, exports];
}
