import { z } from 'zod';
import type { Db, PrismaClient, Prisma } from '../db/client';
import { ConflictError, NotFoundError } from '../errors';
import { hashPassword, passwordProblem } from '../auth/passwords';
import { can, rolesAllowed } from '../../shared/permissions';
import { ROLES, type Role } from '../../shared/roles';
import { recordAudit, type Actor } from './audit';
import { asList } from '../http/listQuery';
import { escapeLike } from '../db/like';
import { lockAdmins } from '../db/sql/locks';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const RESERVED = new Set(['system', 'anonymous']);

export const userSelect = {
  id: true,
  username: true,
  displayName: true,
  role: true,
  disabled: true,
  createdAt: true,
  updatedAt: true,
  lastLoginAt: true,
} as const satisfies Prisma.UserSelect;

export type UserRecord = Prisma.UserGetPayload<{ select: typeof userSelect }>;

const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(USERNAME_PATTERN, 'must be 2–64 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter or digit')
  .refine((u) => !RESERVED.has(u), 'is reserved');
const role = z.enum(ROLES, { error: () => `must be one of: ${ROLES.join(', ')}` });
const password = z.string().superRefine((p, ctx) => {
  const problem = passwordProblem(p);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const createUserInput = z.object({
  username,
  displayName: z.string().trim().min(1).max(128).optional(),
  role,
  password,
});
export type CreateUserInput = z.input<typeof createUserInput>;

export const updateUserInput = z.object({
  displayName: z.string().trim().min(1).max(128).optional(),
  role: role.optional(),
  disabled: z.boolean().optional(),
  password: password.optional(),
});
export type UpdateUserInput = z.input<typeof updateUserInput>;

/**
 * `PUT /api/users/:id`'s body: react-admin sends the whole record, so only the
 * editable fields are read, and an empty password means "unchanged".
 */
export const updateUserRecordInput = z.preprocess((raw) => {
  const body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    displayName: body.displayName,
    role: body.role,
    disabled: body.disabled,
    password: typeof body.password === 'string' && body.password !== '' ? body.password : undefined,
  };
}, updateUserInput);

// "Admin" below means a role holding user.manage: someone must always be able to manage users.
async function ensureAnotherActiveAdmin(tx: Db, exceptId: number): Promise<void> {
  const others = await tx.user.count({ where: { role: { in: [...rolesAllowed('user.manage')] }, disabled: false, id: { not: exceptId } } });
  if (others === 0) throw new ConflictError('This is the last active admin; make another user admin first.', undefined, 'last_admin');
}

/** Creates a user (argon2id password), audited. */
export async function createUser(db: PrismaClient, input: z.output<typeof createUserInput>, actor: Actor): Promise<UserRecord> {
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const exists = await tx.user.findUnique({ where: { username: input.username }, select: { id: true } });
    if (exists) throw new ConflictError(`username: "${input.username}" is already taken.`, { field: 'username' }, 'username_taken');
    const user = await tx.user.create({
      data: { username: input.username, displayName: input.displayName ?? input.username, role: input.role, passwordHash },
      select: userSelect,
    });
    await recordAudit(tx, actor, { action: 'user.create', entity: 'user', entityId: user.id, data: { username: user.username, role: user.role } });
    return user;
  });
}

/**
 * Changes a user's display name, role, disabled flag or password. Exactly one
 * audit event is written, named after the change (role change, disable,
 * password reset, or a general update when several fields change). Disabling
 * a user or resetting a password ends their sessions.
 */
export async function updateUser(db: PrismaClient, id: number, input: z.output<typeof updateUserInput>, actor: Actor): Promise<UserRecord> {
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
  return db.$transaction(async (tx) => {
    // Two admins demoting or disabling each other at once would each see the
    // other still active and leave none. Holding the lock from before the
    // read, each such change sees every earlier one committed (READ COMMITTED
    // takes a new snapshot per statement).
    if (input.role !== undefined || input.disabled !== undefined) await lockAdmins(tx);
    const before = await tx.user.findUnique({ where: { id }, select: userSelect });
    if (!before) throw new NotFoundError(`User ${id} does not exist.`);
    const changes: Record<string, unknown> = {};
    if (input.displayName !== undefined && input.displayName !== before.displayName) changes.displayName = [before.displayName, input.displayName];
    if (input.role !== undefined && input.role !== before.role) changes.role = [before.role, input.role];
    if (input.disabled !== undefined && input.disabled !== before.disabled) changes.disabled = [before.disabled, input.disabled];
    if (passwordHash) changes.password = 'reset';
    if (Object.keys(changes).length === 0) return before;

    if (can(before.role, 'user.manage') && !before.disabled && ((changes.role && !can(input.role ?? before.role, 'user.manage')) || (changes.disabled && input.disabled))) {
      await ensureAnotherActiveAdmin(tx, id);
    }
    const user = await tx.user.update({
      where: { id },
      data: {
        displayName: input.displayName,
        role: input.role as Role | undefined,
        disabled: input.disabled,
        ...(passwordHash ? { passwordHash, passwordChangedAt: new Date() } : {}),
      },
      select: userSelect,
    });
    if (changes.password || (changes.disabled && input.disabled)) await tx.session.deleteMany({ where: { userId: id } });

    const keys = Object.keys(changes);
    const action =
      keys.length > 1
        ? 'user.update'
        : keys[0] === 'role'
          ? 'user.role_change'
          : keys[0] === 'disabled'
            ? input.disabled
              ? 'user.disable'
              : 'user.enable'
            : keys[0] === 'password'
              ? 'user.password_reset'
              : 'user.update';
    await recordAudit(tx, actor, { action, entity: 'user', entityId: id, data: { username: user.username, changes } });
    return user;
  });
}

export async function getUser(db: Db, id: number): Promise<UserRecord> {
  const user = await db.user.findUnique({ where: { id }, select: userSelect });
  if (!user) throw new NotFoundError(`User ${id} does not exist.`);
  return user;
}

export async function findUserByUsername(db: Db, name: string): Promise<UserRecord> {
  const user = await db.user.findUnique({ where: { username: name.trim().toLowerCase() }, select: userSelect });
  if (!user) throw new NotFoundError(`No user is called "${name}".`);
  return user;
}

export const userListFilter = z
  .object({
    id: z.union([z.coerce.number().int().positive(), z.array(z.coerce.number().int().positive()).max(1000)]).optional(),
    q: z.string().max(200).optional(),
    role: z.union([role, z.array(role)]).optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

export const USER_SORTABLE = ['id', 'username', 'displayName', 'role', 'disabled', 'createdAt', 'lastLoginAt'] as const;

/** One page of users plus the total, for the admin list. */
export async function listUsers(
  db: Db,
  q: { filter: z.output<typeof userListFilter>; sort: { field: string; order: 'asc' | 'desc' }; skip: number; take: number },
): Promise<{ rows: UserRecord[]; total: number }> {
  const f = q.filter;
  const where: Prisma.UserWhereInput = {
    ...(f.id !== undefined ? { id: { in: asList(f.id) } } : {}),
    ...(f.role !== undefined ? { role: { in: asList(f.role) } } : {}),
    ...(f.disabled !== undefined ? { disabled: f.disabled } : {}),
    ...(f.q
      ? { OR: [{ username: { contains: escapeLike(f.q), mode: 'insensitive' } }, { displayName: { contains: escapeLike(f.q), mode: 'insensitive' } }] }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db.user.findMany({ where, select: userSelect, orderBy: [{ [q.sort.field]: q.sort.order }, { id: 'asc' }], skip: q.skip, take: q.take }),
    db.user.count({ where }),
  ]);
  return { rows, total };
}
