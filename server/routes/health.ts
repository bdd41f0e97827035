import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { Routes, type Guard } from '../http/routes';
import { ServiceUnavailableError } from '../errors';

export function healthRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const r = new Routes('/healthz', deps.guard);
  r.get('/', { access: 'public' }, async (_req: Request, res: Response) => {
    try {
      await deps.db.$queryRaw`select 1`;
    } catch (err) {
      throw new ServiceUnavailableError('The database does not answer.', err);
    }
    res.json({ status: 'ok', database: 'ok' });
  });
  return r;
}
