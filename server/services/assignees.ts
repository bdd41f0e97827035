import { z } from 'zod';
import type { Db, Prisma } from '../db/client';
import { NotFoundError } from '../errors';
import { asList, idOrIds, type ListQuery } from '../http/listQuery';
import { escapeLike } from '../db/like';

export const ASSIGNEE_SORTABLE = ['id', 'username', 'displayName', 'role'] as const;

export const assigneeListFilter = z
  .object({
    id: idOrIds.optional(),
    q: z.string().max(200).optional(),
  })
  .strict();

/** Someone an article can be assigned to. */
export interface Assignee {
  id: number;
  username: string;
  displayName: string;
  role: 'editor' | 'reviewer' | 'admin' | 'auditor';
}

const select = { id: true, username: true, displayName: true, role: true } as const satisfies Prisma.UserSelect;

/**
 * Active editors, reviewers and admins, for the assignee picker. With the `id`
 * filter (react-admin's getMany, used to show the current assignee) disabled
 * users are included too, so an article assigned to a departed colleague still
 * shows their name.
 */
export async function listAssignees(db: Db, q: ListQuery<z.output<typeof assigneeListFilter>>): Promise<{ rows: Assignee[]; total: number }> {
  const f = q.filter;
  const text = f.q?.trim();
  const where: Prisma.UserWhereInput =
    f.id !== undefined
      ? { id: { in: asList(f.id) } }
      : { disabled: false, role: { in: ['editor', 'reviewer', 'admin'] } };
  if (text) where.OR = [{ username: { contains: escapeLike(text), mode: 'insensitive' } }, { displayName: { contains: escapeLike(text), mode: 'insensitive' } }];
  const [rows, total] = await Promise.all([
    db.user.findMany({ where, select, orderBy: [{ [q.sort.field]: q.sort.order }, { id: 'asc' }], skip: q.skip, take: q.take }),
    db.user.count({ where }),
  ]);
  return { rows, total };
}

/** One user by id, as an assignee (any user, so a disabled assignee still has a name). */
export async function getAssignee(db: Db, id: number): Promise<Assignee> {
  const u = await db.user.findUnique({ where: { id }, select });
  if (!u) throw new NotFoundError(`User ${id} does not exist.`);
  return u;
}
