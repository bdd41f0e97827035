import type { Request, Response } from 'express';
import { z } from 'zod';
import { BadRequestError } from '../errors';
import { unstorableText } from './inputGuards';

export interface ListQuery<F> {
  sort: { field: string; order: 'asc' | 'desc' };
  skip: number;
  take: number;
  filter: F;
}

/** The largest page a list answers; react-admin asks for 10–50. */
export const MAX_PAGE = 1000;

function parseJsonParam(name: string, raw: unknown): unknown {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new BadRequestError(`Query parameter "${name}" must be given once, as JSON.`, { param: name });
  let bad: ReturnType<typeof unstorableText> = null;
  let parsed: unknown;
  try {
    // PostgreSQL cannot store U+0000 or a lone surrogate; a JSON-escaped one would otherwise fail inside a query as a 500.
    parsed = JSON.parse(raw, (key, value: unknown) => {
      bad ??= unstorableText(key) ?? (typeof value === 'string' ? unstorableText(value) : null);
      return value;
    });
  } catch {
    throw new BadRequestError(`Query parameter "${name}" is not valid JSON.`, { param: name });
  }
  const found = bad as ReturnType<typeof unstorableText>;
  if (found) throw new BadRequestError(`Query parameter "${name}" ${found.reason}.`, { param: name }, found.code);
  return parsed;
}

const sortSchema = z.tuple([z.string().min(1).max(64), z.string().transform((s) => s.toUpperCase()).pipe(z.enum(['ASC', 'DESC']))]);
const rangeSchema = z
  .tuple([z.number().int().min(0), z.number().int().min(0)])
  .refine(([a, b]) => b >= a, 'the end must not be before the start')
  .refine(([a, b]) => b - a < MAX_PAGE, `a page holds at most ${MAX_PAGE} rows`);

/**
 * Parses ra-data-simple-rest's `sort`, `range` and `filter` parameters.
 * Malformed values answer 400 naming the parameter; an unknown sort field or
 * filter key answers 400 too, so typos are not silently ignored.
 */
export function parseListQuery<S extends z.ZodType>(
  req: Request,
  opts: { sortable: readonly string[]; defaultSort: [string, 'asc' | 'desc']; filter: S },
): ListQuery<z.output<S>> {
  const sortRaw = parseJsonParam('sort', req.query.sort);
  const rangeRaw = parseJsonParam('range', req.query.range);
  const filterRaw = parseJsonParam('filter', req.query.filter) ?? {};

  let sort = { field: opts.defaultSort[0], order: opts.defaultSort[1] };
  if (sortRaw !== undefined) {
    const s = sortSchema.safeParse(sortRaw);
    if (!s.success) throw new BadRequestError('Query parameter "sort" must be ["field","ASC"|"DESC"].', { param: 'sort' });
    if (!opts.sortable.includes(s.data[0])) {
      throw new BadRequestError(`Cannot sort by "${s.data[0]}"; sortable fields: ${opts.sortable.join(', ')}.`, { param: 'sort' });
    }
    sort = { field: s.data[0], order: s.data[1] === 'ASC' ? 'asc' : 'desc' };
  }

  let skip = 0;
  let take = 25;
  if (rangeRaw !== undefined) {
    const r = rangeSchema.safeParse(rangeRaw);
    if (!r.success) throw new BadRequestError(`Query parameter "range" must be [start,end] with 0 ≤ start ≤ end and at most ${MAX_PAGE} rows.`, { param: 'range' });
    skip = r.data[0];
    take = r.data[1] - r.data[0] + 1;
  }

  if (filterRaw === null || typeof filterRaw !== 'object' || Array.isArray(filterRaw)) {
    throw new BadRequestError('Query parameter "filter" must be a JSON object.', { param: 'filter' });
  }
  const f = opts.filter.safeParse(filterRaw);
  if (!f.success) {
    const issue = f.error.issues[0];
    const where = issue.path.length ? `filter.${issue.path.join('.')}` : 'filter';
    throw new BadRequestError(`Query parameter ${where}: ${issue.message}`, { param: 'filter', issues: f.error.issues });
  }
  return { sort, skip, take, filter: f.data };
}

/** Sends a page the way ra-data-simple-rest expects: a bare array and a Content-Range header. */
export function sendList(res: Response, resource: string, rows: unknown[], skip: number, total: number): void {
  const end = rows.length === 0 ? skip : skip + rows.length - 1;
  res.set('Content-Range', `${resource} ${skip}-${end}/${total}`);
  res.json(rows);
}

/** A filter value that may be one id or a list of ids (getMany sends a list). */
/** A filter value given as one or many (`{"id": 3}` or `{"id": [3, 4]}`, as react-admin sends either), as a list. */
export function asList<T>(value: T | readonly T[]): T[] {
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

export const idOrIds = z.union([z.coerce.number().int().positive(), z.array(z.coerce.number().int().positive()).max(MAX_PAGE)]);
