import { z } from 'zod';
import type { Db, Prisma, PrismaClient } from '../db/client';
import { BadRequestError, ConflictError, NotFoundError, uniqueViolation } from '../errors';
import { asList, idOrIds, type ListQuery } from '../http/listQuery';
import { csvRow, csvText } from '../policy/csv';
import type { QaGlossaryEntry } from '../policy/qa';
import { recordAudit, type Actor } from './audit';
import { escapeLike } from '../db/like';

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

const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .transform((s) => s.normalize('NFC').trim().replace(/\s+/gu, ' '));
const required = (max: number) => text(max).refine((s) => s !== '', 'must not be empty');

/** The editable fields of an entry. `forbidden` entries may not contain "|", the CSV list separator. */
export const glossaryInput = z
  .object({
    term: required(256),
    preferred: required(256),
    forbidden: z
      .array(required(256).refine((s) => !s.includes('|'), 'must not contain "|"'))
      .max(50, 'must list at most 50 terms')
      .optional()
      .default([]),
    sourceTerm: z
      .union([text(256), z.null()])
      .optional()
      .transform((s) => (s ? s : null)),
    // Notes may run over several lines; terms may not.
    note: z
      .union([z.string().max(2000, 'must be at most 2000 characters'), z.null()])
      .optional()
      .transform((s) => (s ?? '').normalize('NFC').trim()),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.forbidden.forEach((f, i) => {
      const key = f.toLowerCase();
      if (key === v.preferred.toLowerCase()) ctx.addIssue({ code: 'custom', path: ['forbidden', i], message: `cannot forbid the preferred term "${v.preferred}"` });
      else if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['forbidden', i], message: `"${f}" is listed twice` });
      seen.add(key);
    });
  });
export type GlossaryInput = z.input<typeof glossaryInput>;
type ParsedEntry = z.output<typeof glossaryInput>;

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
    ? (await db.$queryRaw<Array<{ id: number }>>`
        SELECT id FROM glossary_entries g
         WHERE EXISTS (SELECT 1 FROM unnest(g.forbidden) AS v WHERE v ILIKE ${`%${escapeLike(needle)}%`})`).map((r) => r.id)
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

/** The CSV columns, in order. */
export const GLOSSARY_CSV_COLUMNS = ['term', 'preferred', 'forbidden', 'sourceTerm', 'note'] as const;

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

/** One record of a CSV file with the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Parses RFC 4180 CSV: fields separated by commas, records by CRLF or LF,
 * quoted fields may hold commas, line breaks and doubled quotes. A UTF-8 BOM
 * is ignored and blank lines are skipped. Throws BadRequestError naming the
 * line of a malformed quoted field.
 */
export function parseCsv(input: string): CsvRecord[] {
  const src = input.replace(/^\uFEFF/, '');
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let atRecordEnd = false;
    while (!atRecordEnd) {
      if (src[i] === '"') {
        i++;
        for (;;) {
          if (i >= src.length) throw new BadRequestError(`csv: line ${startLine}: a quoted field is never closed.`, { line: startLine, field: 'csv' }, 'validation_failed');
          const c = src[i];
          if (c === '"') {
            if (src[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < src.length && src[i] !== ',' && src[i] !== '\n' && src[i] !== '\r') {
          throw new BadRequestError(`csv: line ${line}: unexpected text after a closing quote.`, { line, field: 'csv' }, 'validation_failed');
        }
      } else {
        while (i < src.length && src[i] !== ',' && src[i] !== '\n' && src[i] !== '\r') {
          if (src[i] === '"') throw new BadRequestError(`csv: line ${line}: a quote inside an unquoted field; quote the whole field and double the quote.`, { line, field: 'csv' }, 'validation_failed');
          field += src[i++];
        }
      }
      fields.push(field);
      field = '';
      if (i >= src.length) atRecordEnd = true;
      else if (src[i] === ',') i++;
      else {
        if (src[i] === '\r') i++;
        if (src[i] === '\n') i++;
        line++;
        atRecordEnd = true;
      }
    }
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: startLine, fields });
  }
  return records;
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

/** The rows of a glossary CSV, validated, with the columns its header names. */
export interface ParsedGlossaryCsv {
  columns: string[];
  entries: Array<ParsedEntry & { line: number }>;
}

/**
 * Parses and validates a glossary CSV (header `term,preferred,forbidden,sourceTerm,note`;
 * columns may come in any order, only term and preferred are required; `forbidden`
 * is split on "|"). Throws BadRequestError naming the line and field of the first
 * bad row, or of a term given twice. Pure: used by the import and by `npm run check`.
 */
export function parseGlossaryCsv(csv: string): ParsedGlossaryCsv {
  const records = parseCsv(csv);
  if (records.length === 0) throw new BadRequestError('csv: the file is empty; the first line must be the header term,preferred,forbidden,sourceTerm,note.', { field: 'csv' }, 'validation_failed');
  const [header, ...rows] = records;
  const columns = header.fields.map((h) => h.trim());
  for (const c of columns) {
    if (!(GLOSSARY_CSV_COLUMNS as readonly string[]).includes(c)) {
      throw new BadRequestError(`csv: line ${header.line}: unknown column "${c}"; expected ${GLOSSARY_CSV_COLUMNS.join(',')}.`, { line: header.line, field: c }, 'validation_failed');
    }
  }
  for (const c of ['term', 'preferred']) {
    if (!columns.includes(c)) throw new BadRequestError(`csv: line ${header.line}: the header has no "${c}" column.`, { line: header.line, field: c }, 'validation_failed');
  }
  if (new Set(columns).size !== columns.length) throw new BadRequestError(`csv: line ${header.line}: a column is named twice.`, { line: header.line, field: 'csv' }, 'validation_failed');

  const entries: Array<ParsedEntry & { line: number }> = [];
  const byTerm = new Map<string, number>();
  for (const r of rows) {
    if (r.fields.length !== columns.length) {
      throw new BadRequestError(`csv: line ${r.line}: has ${r.fields.length} fields, the header has ${columns.length}.`, { line: r.line, field: 'csv' }, 'validation_failed');
    }
    const obj: Record<string, unknown> = {};
    // Undo the export's formula escape (a leading single quote), so a round trip is exact.
    columns.forEach((c, k) => (obj[c] = csvText(r.fields[k])));
    const forbiddenRaw = typeof obj.forbidden === 'string' ? obj.forbidden : '';
    obj.forbidden = forbiddenRaw.trim() === '' ? [] : forbiddenRaw.split('|');
    const parsed = glossaryInput.safeParse(obj);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = String(issue.path[0] ?? 'csv');
      throw new BadRequestError(`csv: line ${r.line}: ${field}: ${issue.message}`, { line: r.line, field }, 'validation_failed');
    }
    const key = parsed.data.term.toLowerCase();
    const first = byTerm.get(key);
    if (first !== undefined) throw new BadRequestError(`csv: line ${r.line}: term: "${parsed.data.term}" is already on line ${first}.`, { line: r.line, field: 'term' }, 'validation_failed');
    byTerm.set(key, r.line);
    entries.push({ ...parsed.data, line: r.line });
  }

  return { columns, entries };
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
