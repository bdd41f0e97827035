import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { parseListQuery, sendList } from '../http/listQuery';
import { Routes, type Guard, type RouteSpec } from '../http/routes';
import { idParams } from '../http/schemas';
import { auditVocabulary } from '../services/auditVocabulary';
import { AUDIT_EVENT_SORTABLE, auditEventListFilter, getAuditEvent, listAuditEvents } from '../services/auditEvents';
import { verifyAuditChain } from '../services/auditVerify';

/** The audit log, read-only: the list, one event, and a chain check for the UI. */
export function auditEventRoutes(deps: { db: PrismaClient; guard: Guard; checkpointFile: string; routeTable: () => readonly RouteSpec[] }): Routes {
  const { db } = deps;
  const r = new Routes('/api/audit-events', deps.guard);

  r.get('/', { access: 'audit.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: AUDIT_EVENT_SORTABLE, defaultSort: ['id', 'desc'], filter: auditEventListFilter });
    const { rows, total } = await listAuditEvents(db, q);
    sendList(res, 'audit-events', rows, q.skip, total);
  });

  // Registered before /:id so "verify" is not taken for an id.
  r.get('/verify', { access: 'audit.read' }, async (_req: Request, res: Response) => {
    const result = await verifyAuditChain(db, { checkpointFile: deps.checkpointFile });
    res.json(result);
  });

  // The filters' choices, from the server's own definitions (see services/auditVocabulary.ts), not a list kept in the UI.
  r.get('/vocabulary', { access: 'audit.read' }, async (_req: Request, res: Response) => {
    res.json(await auditVocabulary(db, deps.routeTable()));
  });

  r.get('/:id', { access: 'audit.read', params: idParams }, async (_req: Request, res: Response, { params }) => {
    res.json(await getAuditEvent(db, params.id));
  });

  return r;
}
