import { z } from 'zod';
import type { Db, Prisma, PrismaClient } from '../db/client';
import { ConflictError, NotFoundError, uniqueViolation } from '../errors';
import { asList, idOrIds, type ListQuery } from '../http/listQuery';
import { csvRow } from '../policy/csv';
import { GLOSSARY_CSV_COLUMNS, glossaryInput, parseGlossaryCsv } from './glossaryCsv';
export { GLOSSARY_CSV_COLUMNS, glossaryInput, parseCsv, parseGlossaryCsv, type CsvRecord, type GlossaryInput, type ParsedGlossaryCsv } from './glossaryCsv';
import type { QaGlossaryEntry } from '../policy/qa';
import { recordAudit, type Actor } from './audit';
import { escapeLike } from '../db/like';
import { entriesWithForbiddenLike } from '../db/sql/glossary';

/** A glossary entry as the API returns it. */
export interface GlossaryRecord {
  id: number;
  term: string;
  preferred: string;
  forbidden: string[];
  sourceTerm: string | null;
  note: string;
  createdAt: Date;
  updatedAt: Date;
}

const select = { id: true, term: true, preferred: true, forbidden: true, sourceTerm: true, note: true, createdAt: true, updatedAt: true } as const satisfies Prisma.GlossaryEntrySelect;


export const glossaryListFilter = z
  .object({
    id: idOrIds.optional(),
    q: z.string().max(200).optional(),
  })
  .strict();

export const GLOSSARY_SORTABLE = ['id', 'term', 'updatedAt'] as const;

/** One page of entries; `q` searches term, preferred, forbidden variants, source term and note. */
export async function listGlossary(db: Db, q: ListQuery<z.output<typeof glossaryListFilter>>): Promise<{ rows: GlossaryRecord[]; total: number }> {
  const f = q.filter;
  const needle = f.q?.trim();
  // Prisma cannot match part of an array element; find entries whose forbidden variants contain the text in SQL.
  const forbiddenIds = needle
    ? await entriesWithForbiddenLike(db, needle)
    : [];
  const where: Prisma.GlossaryEntryWhereInput = {
    ...(f.id !== undefined ? { id: { in: asList(f.id) } } : {}),
    ...(needle
      ? {
          OR: [
            { term: { contains: escapeLike(needle), mode: 'insensitive' } },
            { preferred: { contains: escapeLike(needle), mode: 'insensitive' } },
            { sourceTerm: { contains: escapeLike(needle), mode: 'insensitive' } },
            { note: { contains: escapeLike(needle), mode: 'insensitive' } },
            { id: { in: forbiddenIds } },
          ],
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db.glossaryEntry.findMany({ where, select, orderBy: [{ [q.sort.field]: q.sort.order }, { id: 'asc' }], skip: q.skip, take: q.take }),
    db.glossaryEntry.count({ where }),
  ]);
  return { rows, total };
}

export async function getGlossaryEntry(db: Db, id: number): Promise<GlossaryRecord> {
  const row = await db.glossaryEntry.findUnique({ where: { id }, select });
  if (!row) throw new NotFoundError(`Glossary entry ${id} does not exist.`);
  return row;
}

async function termTaken(db: Db, term: string, exceptId?: number): Promise<void> {
  const other = await db.glossaryEntry.findFirst({ where: { term: { equals: term, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true, term: true } });
  if (other) throw new ConflictError(`term: "${other.term}" is already in the glossary (entry ${other.id}); edit that entry instead.`, { field: 'term', id: other.id }, 'term_taken');
}

/**
 * Runs a write that may give an entry a term another entry already has. The
 * check before the write (termTaken) gives the usual answer; the unique index
 * on lower(term) decides races between parallel requests, and its violation
 * becomes the same 409 naming the term.
 */
async function withTermUnique<T>(db: PrismaClient, term: string, exceptId: number | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!uniqueViolation(err)) throw err;
    await termTaken(db, term, exceptId);
    // The winner was deleted again in the meantime: still a conflict, just nameless.
    throw new ConflictError(`term: "${term}" was added to the glossary by someone else at the same time; reload and try again.`, { field: 'term' }, 'term_taken');
  }
}

/** Creates an entry (terms are unique, case-insensitively), audited `glossary.create`. */
export async function createGlossaryEntry(db: PrismaClient, input: z.output<typeof glossaryInput>, actor: Actor): Promise<GlossaryRecord> {
  return withTermUnique(db, input.term, undefined, () =>
    db.$transaction(async (tx) => {
      await termTaken(tx, input.term);
      const row = await tx.glossaryEntry.create({ data: { ...input, createdById: actor.id }, select });
      await recordAudit(tx, actor, { action: 'glossary.create', entity: 'glossary', entityId: row.id, data: { term: row.term, preferred: row.preferred, forbidden: row.forbidden, sourceTerm: row.sourceTerm } });
      return row;
    }),
  );
}

/** Replaces an entry's fields (react-admin sends the whole record), audited `glossary.update` with the changes. */
export async function updateGlossaryEntry(db: PrismaClient, id: number, input: z.output<typeof glossaryInput>, actor: Actor): Promise<GlossaryRecord> {
  return withTermUnique(db, input.term, id, () =>
    db.$transaction(async (tx) => {
      const before = await tx.glossaryEntry.findUnique({ where: { id }, select });
      if (!before) throw new NotFoundError(`Glossary entry ${id} does not exist.`);
      await termTaken(tx, input.term, id);
      const changes: Record<string, [unknown, unknown]> = {};
      for (const k of ['term', 'preferred', 'forbidden', 'sourceTerm', 'note'] as const) {
        if (JSON.stringify(before[k]) !== JSON.stringify(input[k])) changes[k] = [before[k], input[k]];
      }
      if (Object.keys(changes).length === 0) return before;
      const row = await tx.glossaryEntry.update({ where: { id }, data: input, select });
      await recordAudit(tx, actor, { action: 'glossary.update', entity: 'glossary', entityId: id, data: { term: row.term, changes } });
      return row;
    }),
  );
}

/** Deletes an entry, audited `glossary.delete` with what it held; returns the deleted record. */
export async function deleteGlossaryEntry(db: PrismaClient, id: number, actor: Actor): Promise<GlossaryRecord> {
  return db.$transaction(async (tx) => {
    const before = await tx.glossaryEntry.findUnique({ where: { id }, select });
    if (!before) throw new NotFoundError(`Glossary entry ${id} does not exist.`);
    await tx.glossaryEntry.delete({ where: { id } });
    await recordAudit(tx, actor, { action: 'glossary.delete', entity: 'glossary', entityId: id, data: { term: before.term, preferred: before.preferred, forbidden: before.forbidden, sourceTerm: before.sourceTerm, note: before.note } });
    return before;
  });
}

/** Every entry in the shape the QA checks take. */
export async function glossaryForQa(db: Db): Promise<QaGlossaryEntry[]> {
  return db.glossaryEntry.findMany({ select: { term: true, preferred: true, forbidden: true, sourceTerm: true }, orderBy: { id: 'asc' } });
}

// ---------------------------------------------------------------- CSV

/**
 * The glossary as RFC 4180 CSV (CRLF line ends), sorted by term; `forbidden` is
 * joined with "|". Formula-like cells get a leading single quote (see policy/csv),
 * which the import removes again.
 */
export async function exportGlossaryCsv(db: Db): Promise<string> {
  const rows = await db.glossaryEntry.findMany({ select, orderBy: [{ term: 'asc' }, { id: 'asc' }] });
  const lines = [csvRow(GLOSSARY_CSV_COLUMNS)];
  for (const r of rows) lines.push(csvRow([r.term, r.preferred, r.forbidden.join('|'), r.sourceTerm ?? '', r.note]));
  return lines.join('');
}

export const glossaryImportInput = z.object({
  csv: z.string().min(1, 'must not be empty').max(5_000_000, 'must be at most 5 MB'),
  mode: z.enum(['merge', 'replace'], { error: () => 'must be "merge" or "replace"' }),
});

export interface GlossaryImportResult {
  mode: 'merge' | 'replace';
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}


/**
 * Imports a glossary CSV (header `term,preferred,forbidden,sourceTerm,note`;
 * columns may come in any order, only term and preferred are required).
 * Every row is validated first: any bad row answers 400 naming its line and
 * field, and nothing is written. `merge` updates entries whose term matches
 * (case-insensitively) and adds the others; `replace` makes the glossary
 * exactly the file. One transaction, one `glossary.import` audit event with
 * the counts.
 */
export async function importGlossaryCsv(db: PrismaClient, input: z.output<typeof glossaryImportInput>, actor: Actor): Promise<GlossaryImportResult> {
  const { csv, mode } = input;
  const { columns, entries } = parseGlossaryCsv(csv);

  return db.$transaction(
    async (tx) => {
      const result: GlossaryImportResult = { mode, rows: entries.length, created: 0, updated: 0, unchanged: 0, deleted: 0 };
      if (mode === 'replace') {
        result.deleted = (await tx.glossaryEntry.deleteMany({})).count;
        if (entries.length > 0) {
          result.created = (
            await tx.glossaryEntry.createMany({ data: entries.map(({ line: _line, ...e }) => ({ ...e, createdById: actor.id })) })
          ).count;
        }
      } else {
        const existing = await tx.glossaryEntry.findMany({ select });
        const current = new Map(existing.map((e) => [e.term.toLowerCase(), e]));
        // A column the file leaves out keeps its current value on merge.
        const given = GLOSSARY_CSV_COLUMNS.filter((c) => columns.includes(c));
        for (const { line: _line, ...e } of entries) {
          const before = current.get(e.term.toLowerCase());
          if (!before) {
            await tx.glossaryEntry.create({ data: { ...e, createdById: actor.id } });
            result.created++;
            continue;
          }
          const data = Object.fromEntries(given.map((k) => [k, e[k]])) as Prisma.GlossaryEntryUpdateInput;
          if (given.every((k) => JSON.stringify(before[k]) === JSON.stringify(e[k]))) {
            result.unchanged++;
          } else {
            await tx.glossaryEntry.update({ where: { id: before.id }, data });
            result.updated++;
          }
        }
      }
      await recordAudit(tx, actor, { action: 'glossary.import', entity: 'glossary', entityId: null, data: { ...result } });
      return result;
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}
