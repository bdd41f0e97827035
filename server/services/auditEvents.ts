import { z } from 'zod';
import type { Db, Prisma } from '../db/client';
import { BadRequestError, NotFoundError } from '../errors';
import { idOrIds, MAX_PAGE } from '../http/listQuery';
import { dateBound, dateRange } from '../http/dateRange';
import type { StoredAuditEvent } from './audit';
import { escapeLike } from '../db/like';
import { auditEventData, decodeJson } from '../db/json';

/**
 * An audit event as the API sends it. `id` is a number (the column is bigint;
 * ids stay far below 2^53) so react-admin can use it as is.
 */
export type AuditEventRecord = Omit<StoredAuditEvent, 'id'> & { id: number };

/** The revision an `article.save` (or restore / bulk replace) event refers to, with its stored diffs. */
export interface AuditRevision {
  id: number;
  articleId: number;
  number: number;
  kind: string;
  note: string | null;
  diffs: unknown;
  stats: unknown;
}

export interface AuditEventDetail extends AuditEventRecord {
  /** For events whose data names a revisionId of an existing revision; else null. */
  revision: AuditRevision | null;
}

/** Serializes a stored event for the API (bigint id → number). */
export function auditEventRecord(e: StoredAuditEvent): AuditEventRecord {
  return { ...e, id: Number(e.id) };
}

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).max(MAX_PAGE)]);
const shortText = z.string().min(1).max(64);

export const auditEventListFilter = z
  .object({
    id: idOrIds.optional(),
    actorId: z.union([z.coerce.number().int().positive(), z.null(), z.array(z.coerce.number().int().positive()).max(MAX_PAGE)]).optional(),
    actorName: oneOrMany(shortText).optional(),
    action: oneOrMany(shortText).optional(),
    entity: oneOrMany(z.string().min(1).max(32)).optional(),
    entityId: oneOrMany(z.union([z.string().min(1).max(64), z.number().int().transform(String)])).optional(),
    at_gte: dateBound('start').optional(),
    at_lte: dateBound('end').optional(),
    q: z.string().max(200).optional(),
  })
  .strict();

export type AuditEventListFilter = z.output<typeof auditEventListFilter>;

export const AUDIT_EVENT_SORTABLE = ['id', 'at'] as const;

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** The Prisma condition for a list filter. */
export function auditEventWhere(f: AuditEventListFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (f.id !== undefined) and.push({ id: { in: list(f.id).map((n) => BigInt(n)) } });
  if (f.actorId !== undefined) and.push(f.actorId === null ? { actorId: null } : { actorId: { in: list(f.actorId) } });
  // One name typed in the admin's filter box matches as a case-insensitive prefix; a list (getMany) matches exactly.
  if (typeof f.actorName === 'string') and.push({ actorName: { startsWith: escapeLike(f.actorName), mode: 'insensitive' } });
  else if (f.actorName !== undefined) and.push({ actorName: { in: f.actorName } });
  if (f.action !== undefined) and.push({ action: { in: list(f.action) } });
  if (f.entity !== undefined) and.push({ entity: { in: list(f.entity) } });
  if (f.entityId !== undefined) and.push({ entityId: { in: list(f.entityId) } });
  const at = dateRange(f.at_gte, f.at_lte);
  if (at) and.push({ at });
  const q = f.q?.trim();
  if (q) and.push({ OR: [{ actorName: { startsWith: escapeLike(q), mode: 'insensitive' } }, { action: { startsWith: escapeLike(q), mode: 'insensitive' } }] });
  return and.length ? { AND: and } : {};
}

/** One page of audit events plus the total, for the admin list. */
export async function listAuditEvents(
  db: Db,
  q: { filter: AuditEventListFilter; sort: { field: string; order: 'asc' | 'desc' }; skip: number; take: number },
): Promise<{ rows: AuditEventRecord[]; total: number }> {
  const where = auditEventWhere(q.filter);
  // Ties on `at` are broken by id, which is the chain order.
  const orderBy: Prisma.AuditEventOrderByWithRelationInput[] = q.sort.field === 'at' ? [{ at: q.sort.order }, { id: q.sort.order }] : [{ id: q.sort.order }];
  const [rows, total] = await Promise.all([
    db.auditEvent.findMany({ where, orderBy, skip: q.skip, take: q.take }),
    db.auditEvent.count({ where }),
  ]);
  return { rows: rows.map(auditEventRecord), total };
}

/** The revision id an event's data names, if any. */
export function revisionIdOf(data: unknown): number | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const v = (data as Record<string, unknown>).revisionId;
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** One event with its data and, when the data names a revision, that revision's stored diffs and stats. */
export async function getAuditEvent(db: Db, id: number): Promise<AuditEventDetail> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new BadRequestError(`"${id}" is not a valid id.`, { param: 'id' }, 'invalid_id');
  const e = await db.auditEvent.findUnique({ where: { id: BigInt(id) } });
  if (!e) throw new NotFoundError(`Audit event ${id} does not exist.`);
  const revisionId = revisionIdOf(decodeJson(auditEventData, e.data, e.id));
  const revision = revisionId
    ? await db.revision.findUnique({
        where: { id: revisionId },
        select: { id: true, articleId: true, number: true, kind: true, note: true, diffs: true, stats: true },
      })
    : null;
  return { ...auditEventRecord(e), revision };
}
