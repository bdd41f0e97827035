// The statement behind /healthz.
import { Prisma, type Db } from '../client';
import { int, rowDecoder, selectRows } from './rows';

const decode = rowDecoder('health.ping', { ok: int });

/** One round trip to the database; rejects with the driver's error when it does not answer. */
export async function pingDatabase(db: Db): Promise<void> {
  await selectRows(db, Prisma.sql`select 1 as ok`, decode);
}
