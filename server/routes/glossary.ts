import type { Request, Response } from 'express';
import type { PrismaClient } from '../db/client';
import { actorOf } from '../auth/context';
import { parseListQuery, sendList } from '../http/listQuery';
import { Routes, type Guard } from '../http/routes';
import { idParams } from '../http/schemas';
import {
  createGlossaryEntry,
  deleteGlossaryEntry,
  exportGlossaryCsv,
  getGlossaryEntry,
  GLOSSARY_SORTABLE,
  glossaryImportInput,
  glossaryInput,
  glossaryListFilter,
  importGlossaryCsv,
  listGlossary,
  updateGlossaryEntry,
} from '../services/glossary';

/** `/api/glossary`: a simple-rest resource plus CSV export and import. */
export function glossaryRoutes(deps: { db: PrismaClient; guard: Guard }): Routes {
  const { db } = deps;
  const r = new Routes('/api/glossary', deps.guard);

  r.get('/', { access: 'glossary.read' }, async (req: Request, res: Response) => {
    const q = parseListQuery(req, { sortable: GLOSSARY_SORTABLE, defaultSort: ['term', 'asc'], filter: glossaryListFilter });
    const { rows, total } = await listGlossary(db, q);
    sendList(res, 'glossary', rows, q.skip, total);
  });

  // Declared before "/:id" so that "export.csv" is not read as an id.
  r.get('/export.csv', { access: 'glossary.read' }, async (_req: Request, res: Response) => {
    const csv = await exportGlossaryCsv(db);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="glossary.csv"');
    res.send(csv);
  });

  r.post('/import', { access: 'glossary.manage', audit: 'glossary.import', body: glossaryImportInput }, async (_req: Request, res: Response, { body }) => {
    res.json(await importGlossaryCsv(db, body, actorOf(res)));
  });

  r.get('/:id', { access: 'glossary.read', params: idParams }, async (_req: Request, res: Response, { params }) => {
    res.json(await getGlossaryEntry(db, params.id));
  });

  r.post('/', { access: 'glossary.manage', audit: 'glossary.create', body: glossaryInput }, async (_req: Request, res: Response, { body }) => {
    res.status(201).json(await createGlossaryEntry(db, body, actorOf(res)));
  });

  r.put('/:id', { access: 'glossary.manage', audit: 'glossary.update', body: glossaryInput, params: idParams }, async (_req: Request, res: Response, { body, params }) => {
    res.json(await updateGlossaryEntry(db, params.id, body, actorOf(res)));
  });

  r.delete('/:id', { access: 'glossary.manage', audit: 'glossary.delete', params: idParams }, async (_req: Request, res: Response, { params }) => {
    res.json(await deleteGlossaryEntry(db, params.id, actorOf(res)));
  });

  return r;
}
