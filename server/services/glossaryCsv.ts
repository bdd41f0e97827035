// The glossary's input rules and its CSV format: pure (no database), so
// `npm run check` validates a glossary file without loading Prisma, pg or argon2.
import { z } from 'zod';
import { BadRequestError } from '../errors';
import { csvText } from '../policy/csv';

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
export type ParsedEntry = z.output<typeof glossaryInput>;

/** The CSV columns, in order. */
export const GLOSSARY_CSV_COLUMNS = ['term', 'preferred', 'forbidden', 'sourceTerm', 'note'] as const;

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
