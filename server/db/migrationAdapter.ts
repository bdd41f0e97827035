import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

/** PostgreSQL's `name` type and `text`, by OID. */
const NAME_OID = 19;
const TEXT_OID = 25;

type QueryResultLike = { fields?: Array<{ dataTypeID: number }> } | Array<{ fields?: Array<{ dataTypeID: number }> }>;

function relabelNameColumns(result: unknown): void {
  const results = (Array.isArray(result) ? result : [result]) as Array<{ fields?: Array<{ dataTypeID: number }> } | null>;
  for (const r of results) {
    for (const field of r?.fields ?? []) {
      if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
    }
  }
}

/**
 * A pg client for the migration adapter only.
 *
 * Workaround for prisma/orm#27403: @prisma/adapter-pg 6.19.3 (pinned in
 * package.json) cannot deserialize PostgreSQL's `name` type (OID 19), which the
 * schema engine reads while it introspects, so `migrate deploy` fails with
 * "Column type 'name' could not be deserialized". `name` values are plain
 * strings, so relabelling them as `text` is lossless. Remove this when the
 * adapter maps OID 19 itself (it does from 7.x).
 */
export class NameAsTextClient extends pg.Client {
  // pg's query has many overloads (promise form, callback form, Submittable);
  // wrap them all by intercepting the result on the way out.
  override query(...args: unknown[]): never {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const callback = last as (err: Error | null, res: QueryResultLike) => void;
      args[args.length - 1] = (err: Error | null, res: QueryResultLike) => {
        if (!err) relabelNameColumns(res);
        callback(err, res);
      };
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    if (out && typeof (out as Promise<unknown>).then === 'function') {
      return (out as Promise<QueryResultLike>).then((res) => {
        relabelNameColumns(res);
        return res;
      }) as never;
    }
    return out as never;
  }
}

/** Pool options for the migration adapter: discrete fields, so that a shadow database would really be a different database (prisma-offline.md, pitfall 2). */
export function migrationPoolConfig(databaseUrl: string): pg.PoolConfig {
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: run migrations through `npm run migrate`, which sets it.');
  const url = new URL(databaseUrl);
  return {
    host: decodeURIComponent(url.hostname),
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
    ssl: url.searchParams.get('sslmode') === 'require' ? { rejectUnauthorized: false } : undefined,
    Client: NameAsTextClient,
  };
}

type ScriptAdapter = {
  executeScript(script: string): Promise<void>;
  underlyingDriver(): pg.Pool;
  onError(error: unknown): never;
};

/**
 * The driver adapter the Prisma CLI uses for migrations.
 *
 * Workaround for a second defect of @prisma/adapter-pg 6.19.3 (pinned):
 * its `executeScript` splits a migration on every ";" and runs the pieces one
 * by one. That breaks any semicolon inside a string or a `$$` function body
 * (the audit log's trigger function) and applies a migration statement by
 * statement instead of atomically. PostgreSQL's simple query protocol runs a
 * whole multi-statement script as one implicit transaction, so the script is
 * sent in one piece. Errors still go through the adapter's own error mapping.
 */
export class MigrationPrismaPg extends PrismaPg {
  constructor(databaseUrl: string) {
    super(migrationPoolConfig(databaseUrl));
  }

  override async connect(): ReturnType<PrismaPg['connect']> {
    const adapter = await super.connect();
    const a = adapter as unknown as ScriptAdapter;
    a.executeScript = async (script: string) => {
      try {
        await a.underlyingDriver().query(script);
      } catch (error) {
        a.onError(error);
      }
    };
    return adapter;
  }
}
