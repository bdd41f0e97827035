import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { actorOf } from '../auth/context';
import { parseListQuery, sendList } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { idParams } from '../http/schemas';
import { createUser, createUserInput, getUser, listUsers, updateUser, updateUserRecordInput, USER_SORTABLE, userListFilter } from '../services/users';

export function userRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/users', deps.guard);

  r.get('/', { access: 'user.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: USER_SORTABLE, defaultSort: ['username', 'asc'], filter: userListFilter });
    const { rows, total } = await listUsers(db, q);
    sendList(res, 'users', rows, q.skip, total);
  });

  r.get('/:id', { access: 'user.read', params: idParams }, async (_req: Request, res: Response, { params }) => {
    res.json(await getUser(db, params.id));
  });

  r.post('/', { access: 'user.manage', audit: 'user.create', body: createUserInput }, async (_req: Request, res: Response, { body }) => {
    res.status(201).json(await createUser(db, body, actorOf(res)));
  });

  r.put('/:id', { access: 'user.manage', audit: 'user.update', auditVariants: ['user.role_change', 'user.disable', 'user.enable', 'user.password_reset'], body: updateUserRecordInput, params: idParams }, async (_req: Request, res: Response, { body, params }) => {
    res.json(await updateUser(db, params.id, body, actorOf(res)));
  });

  // Users are never deleted (history refers to them): DELETE disables the account.
  r.delete('/:id', { access: 'user.manage', audit: 'user.disable', params: idParams }, async (_req: Request, res: Response, { params }) => {
    res.json(await updateUser(db, params.id, { disabled: true }, actorOf(res)));
  });

  return r;
}
