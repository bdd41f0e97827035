import { z } from 'zod';
import type { Db, Prisma } from '../db/client';
import { NotFoundError } from '../errors';
import { asList, idOrIds, type ListQuery } from '../http/listQuery';
import { can } from '../../shared/permissions';
import { ROLES, type Role } from '../../shared/roles';
import { escapeLike } from '../db/like';

export const ASSIGNEE_SORTABLE = ['id', 'displayName'] as const;

export const assigneeListFilter = z
  .object({
    id: idOrIds.optional(),
    q: z.string().max(200).optional(),
  })
  .strict();

/**
 * Someone an article can be assigned to: only what the picker shows. Every
 * role that reads articles reads this list, so it carries no username, role
 * or account state.
 */
export interface Assignee {
  id: number;
  displayName: string;
}

/** Roles that can be given an article: those who may edit one (one definition, the permission matrix). */
export const ASSIGNABLE_ROLES: Role[] = ROLES.filter((r) => can(r, 'article.edit'));

/** Whether a user of `role` can be given an article; the assignment check and the picker share it. */
export function isAssignableRole(role: Role): boolean {
  return ASSIGNABLE_ROLES.includes(role);
}

const select = { id: true, displayName: true } as const satisfies Prisma.UserSelect;
const assignable = { disabled: false, role: { in: ASSIGNABLE_ROLES } } as const satisfies Prisma.UserWhereInput;

/**
 * Active users who can be assigned, for the assignee picker; the `id` filter
 * (react-admin's getMany) narrows the same set, so it cannot be used to look
 * up auditors or disabled accounts. Articles carry their assignee's name
 * (`assigneeName`) themselves.
 */
export async function listAssignees(db: Db, q: ListQuery<z.output<typeof assigneeListFilter>>): Promise<{ rows: Assignee[]; total: number }> {
  const f = q.filter;
  const text = f.q?.trim();
  const where: Prisma.UserWhereInput = {
    ...assignable,
    ...(f.id !== undefined ? { id: { in: asList(f.id) } } : {}),
    ...(text ? { displayName: { contains: escapeLike(text), mode: 'insensitive' } } : {}),
  };
  const [rows, total] = await Promise.all([
    db.user.findMany({ where, select, orderBy: [{ [q.sort.field]: q.sort.order }, { id: 'asc' }], skip: q.skip, take: q.take }),
    db.user.count({ where }),
  ]);
  return { rows, total };
}

/** One assignable user by id; 404 for anyone else, as for an id that does not exist. */
export async function getAssignee(db: Db, id: number): Promise<Assignee> {
  const u = await db.user.findFirst({ where: { id, ...assignable }, select });
  if (!u) throw new NotFoundError(`User ${id} is not someone an article can be assigned to.`);
  return u;
}
