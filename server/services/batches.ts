import { z } from 'zod';
import type { Db, Prisma } from '../db/client';
import { NotFoundError } from '../errors';
import { idOrIds, type ListQuery } from '../http/listQuery';
import { dateBound, dateRange } from '../http/dateRange';
import { escapeLike } from '../db/like';
import { decodeJson, exportBatchOptions, importBatchFailures, importBatchFiles, importBatchOptions } from '../db/json';

// Read-only lists of import and export runs: the rows of import_batches /
// export_batches with the name of who ran them. Batches are written by the
// import/export CLIs, never through the API.

const batchStatus = z.enum(['running', 'completed', 'failed']);
const statusFilter = z.union([batchStatus, z.array(batchStatus)]).optional();

export const importBatchFilter = z
  .object({ id: idOrIds.optional(), status: statusFilter, importerId: z.coerce.number().int().positive().optional(), q: z.string().max(200).optional(), startedAt_gte: dateBound('start').optional(), startedAt_lte: dateBound('end').optional() })
  .strict();
export const exportBatchFilter = z
  .object({ id: idOrIds.optional(), status: statusFilter, exporterId: z.coerce.number().int().positive().optional(), format: z.string().max(16).optional(), startedAt_gte: dateBound('start').optional(), startedAt_lte: dateBound('end').optional() })
  .strict();

export const IMPORT_BATCH_SORTABLE = ['id', 'name', 'status', 'startedAt', 'finishedAt', 'fileCount', 'imported', 'updated', 'skipped', 'conflicts', 'failed'] as const;
export const EXPORT_BATCH_SORTABLE = ['id', 'status', 'format', 'startedAt', 'finishedAt', 'articleCount'] as const;

const ids = (v: number | number[]) => ({ in: Array.isArray(v) ? v : [v] });
const statuses = <T>(v: T | T[]) => ({ in: Array.isArray(v) ? v : [v] });
const startedAt = (gte?: Date, lte?: Date) => {
  const range = dateRange(gte, lte);
  return range ? { startedAt: range } : {};
};

const importerName = { importer: { select: { username: true, displayName: true } } } as const;
const exporterName = { exporter: { select: { username: true, displayName: true } } } as const;

type ImportBatchRow = Prisma.ImportBatchGetPayload<{ include: typeof importerName }>;
type ExportBatchRow = Prisma.ExportBatchGetPayload<{ include: typeof exporterName }>;

/** An import batch as the API answers it: the runner's name flattened in, its JSON columns decoded. */
function importBatchOf({ importer, ...row }: ImportBatchRow) {
  const decoded = {
    ...row,
    files: decodeJson(importBatchFiles, row.files, row.id),
    failures: decodeJson(importBatchFailures, row.failures, row.id),
    options: decodeJson(importBatchOptions, row.options, row.id),
  };
  return withRunner(decoded, importer, 'importerName');
}

/** An export batch as the API answers it. */
function exportBatchOf({ exporter, ...row }: ExportBatchRow) {
  return withRunner({ ...row, options: decodeJson(exportBatchOptions, row.options, row.id) }, exporter, 'exporterName');
}

/** A batch row with the runner's name flattened in; `actorName` (the name at run time) is the fallback for deleted users and the CLI. */
function withRunner<T extends { actorName: string }>(row: T, user: { username: string; displayName: string } | null, key: 'importerName' | 'exporterName') {
  return { ...row, [key]: user?.displayName ?? row.actorName };
}

export async function listImportBatches(db: Db, q: ListQuery<z.output<typeof importBatchFilter>>) {
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
  return { rows: rows.map(importBatchOf), total };
}

export async function getImportBatch(db: Db, id: number) {
  const row = await db.importBatch.findUnique({ where: { id }, include: importerName });
  if (!row) throw new NotFoundError(`Import batch ${id} does not exist.`);
  return importBatchOf(row);
}

export async function listExportBatches(db: Db, q: ListQuery<z.output<typeof exportBatchFilter>>) {
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
  return { rows: rows.map(exportBatchOf), total };
}

export async function getExportBatch(db: Db, id: number) {
  const row = await db.exportBatch.findUnique({ where: { id }, include: { ...exporterName, _count: { select: { items: true } } } });
  if (!row) throw new NotFoundError(`Export batch ${id} does not exist.`);
  const { _count, ...rest } = row;
  return { ...exportBatchOf(rest), itemCount: _count.items };
}
