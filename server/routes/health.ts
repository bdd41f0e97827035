import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { Routes, type Guard } from '../http/routes';
import { ServiceUnavailableError } from '../errors';
import { pingDatabase } from '../db/sql/health';

export function healthRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const r = new Routes('/healthz', deps.guard);
  r.get('/', { access: 'public' }, async (_req: Request, res: Response) => {
    try {
      await pingDatabase(deps.db);
    } catch (err) {
      throw new ServiceUnavailableError('The database does not answer.', err);
    }
    res.json({ status: 'ok', database: 'ok' });
  });
  return r;
}
