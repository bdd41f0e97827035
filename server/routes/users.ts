import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { actorOf } from '../auth/context';
import { parseListQuery, routeId, sendList } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { createUser, getUser, listUsers, updateUser, USER_SORTABLE, userListFilter } from '../services/users';

export function userRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/users', deps.guard);

  r.get('/', { access: 'user.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: USER_SORTABLE, defaultSort: ['username', 'asc'], filter: userListFilter });
    const { rows, total } = await listUsers(db, q);
    sendList(res, 'users', rows, q.skip, total);
  });

  r.get('/:id', { access: 'user.read' }, async (req: Request, res: Response) => {
    res.json(await getUser(db, routeId(req.params.id)));
  });

  r.post('/', { access: 'user.manage', audit: 'user.create' }, async (req: Request, res: Response) => {
    res.status(201).json(await createUser(db, req.body, actorOf(res)));
  });

  // react-admin sends the whole record; only the editable fields are read.
  r.put('/:id', { access: 'user.manage', audit: 'user.update', auditVariants: ['user.role_change', 'user.disable', 'user.enable', 'user.password_reset'] }, async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input = {
      displayName: body.displayName,
      role: body.role,
      disabled: body.disabled,
      password: typeof body.password === 'string' && body.password !== '' ? body.password : undefined,
    };
    res.json(await updateUser(db, routeId(req.params.id), input as Parameters<typeof updateUser>[2], actorOf(res)));
  });

  // Users are never deleted (history refers to them): DELETE disables the account.
  r.delete('/:id', { access: 'user.manage', audit: 'user.disable' }, async (req: Request, res: Response) => {
    res.json(await updateUser(db, routeId(req.params.id), { disabled: true }, actorOf(res)));
  });

  return r;
}
