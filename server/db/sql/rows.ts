// Row decoders for raw statements. A statement's rows come back typed by
// the driver that ran it (node-postgres on the pool, Prisma in a transaction;
// they differ on int8 and numeric), so each statement's module decodes its
// rows field by field: a row has one type whichever connection ran it, and a
// column that is not what the code expects fails naming the statement and
// column instead of flowing on as a wrong value.
import { executeStatement, queryRows, type Db, type Prisma, type QueryOptions, type SqlTx } from '../client';

/** A row whose column does not have the type its statement's decoder expects. */
export class RowShapeError extends Error {
  override name = 'RowShapeError';
}

/** Decodes one column's value; `at` names the statement and column for the error. */
export type Field<T> = (value: unknown, at: string) => T;

const fail = (at: string, expected: string, value: unknown): never => {
  const shown = typeof value === 'string' ? `"${value.slice(0, 40)}"` : typeof value === 'bigint' ? `${value}n` : JSON.stringify(value) ?? String(value);
  throw new RowShapeError(`${at}: expected ${expected}, got ${shown}`);
};

/** An integer: int4 as a number, int8 as node-postgres's string or Prisma's BigInt, when it is a safe integer. */
export const int: Field<number> = (v, at) => {
  const n = typeof v === 'bigint' || (typeof v === 'string' && /^-?\d+$/.test(v)) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : fail(at, 'an integer', v);
};
/** An int8 as a BigInt: node-postgres's string, Prisma's BigInt, or a safe integer. */
export const bigint: Field<bigint> = (v, at) =>
  typeof v === 'bigint' ? v : (typeof v === 'string' && /^-?\d+$/.test(v)) || (typeof v === 'number' && Number.isSafeInteger(v)) ? BigInt(v) : fail(at, 'an int8', v);
/** A float8 (or a numeric written as a string by node-postgres, or a Prisma Decimal). */
export const num: Field<number> = (v, at) => {
  const n = typeof v === 'number' ? v : typeof v === 'string' || (typeof v === 'object' && v !== null && 'toNumber' in v) ? Number(String(v)) : NaN;
  return Number.isFinite(n) ? n : fail(at, 'a number', v);
};
export const text: Field<string> = (v, at) => (typeof v === 'string' ? v : fail(at, 'text', v));
export const bool: Field<boolean> = (v, at) => (typeof v === 'boolean' ? v : fail(at, 'a boolean', v));
/** A timestamptz: a Date from either driver (a string when it came through JSON). */
export const date: Field<Date> = (v, at) => {
  const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : fail(at, 'a timestamp', v);
};
/** A json/jsonb value, passed on for the column's own decoder (server/db/json.ts) or a caller that checks it. */
export const json: Field<unknown> = (v) => v;
/** A column that may be NULL. */
export const nullable =
  <T>(f: Field<T>): Field<T | null> =>
  (v, at) =>
    v === null || v === undefined ? null : f(v, at);
/** An SQL array (or a JSON array) of values each decoded by `f`. */
export const arrayOf =
  <T>(f: Field<T>): Field<T[]> =>
  (v, at) =>
    Array.isArray(v) ? v.map((x, i) => f(x, `${at}[${i}]`)) : fail(at, 'an array', v);
/** Text that must be one of `values` (an enum cast to text). */
export const oneOf =
  <const T extends string>(values: readonly T[]): Field<T> =>
  (v, at) =>
    typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : fail(at, `one of ${values.join(', ')}`, v);

type Shape = Record<string, Field<unknown>>;
/** The row type a shape decodes to. */
export type RowOf<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

/** A decoder for the rows of the statement named `statement`, one field decoder per column. */
export function rowDecoder<S extends Shape>(statement: string, shape: S): (row: unknown) => RowOf<S> {
  const keys = Object.keys(shape) as Array<keyof S & string>;
  return (row) => {
    if (row === null || typeof row !== 'object') return fail(statement, 'a row', row);
    const r = row as Record<string, unknown>;
    const out = {} as RowOf<S>;
    for (const k of keys) out[k] = shape[k](r[k], `${statement}.${k}`) as RowOf<S>[typeof k];
    return out;
  };
}

/** Runs `statement` (see queryRows) and decodes each row. */
export async function selectRows<T>(db: Db, statement: Prisma.Sql, decode: (row: unknown) => T, opts: QueryOptions = {}): Promise<T[]> {
  return (await queryRows<unknown>(db, statement, opts)).map(decode);
}

/** Runs a statement whose rows are not read (a write without RETURNING, a lock); returns the row count. */
export async function execute(db: Db, statement: Prisma.Sql): Promise<number> {
  return executeStatement(db, statement);
}

/**
 * Runs `statement` in a transaction of raw statements (sqlTransaction's, or
 * Prisma's interactive one, which has the same two methods) and decodes each row.
 */
export async function selectTxRows<T>(tx: SqlTx, statement: Prisma.Sql, decode: (row: unknown) => T): Promise<T[]> {
  return (await tx.$queryRaw<unknown[]>(statement)).map(decode);
}

/** Runs a statement whose rows are not read in a transaction of raw statements; returns the row count. */
export async function executeTx(tx: SqlTx, statement: Prisma.Sql): Promise<number> {
  return tx.$executeRaw(statement);
}
