// The client's pool used directly: sqlTransaction (raw statements in one transaction) and queryRows.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PrismaPg } from '@prisma/adapter-pg';
import { createDb, Prisma, PrismaClient, queryRows, sqlTransaction } from '../../server/db/client';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let t: TestDatabase;
let db: PrismaClient;
before(async () => {
  t = await createTestDatabase();
  // A pool of two: leaked connections would make the later transactions wait forever.
  db = createDb(t.url, { dbPoolSize: 2, dbConnectTimeoutMs: 5000 });
  await t.query('create table tx_probe (n int primary key)');
});
after(async () => {
  await db.$disconnect();
  await t.drop();
});

const rows = async () => (await t.query<{ n: number }>('select n from tx_probe order by n')).rows.map((r) => r.n);

test('commits what fn wrote, with tagged templates and Prisma.Sql alike, and returns its result', async () => {
  const result = await sqlTransaction(
    db,
    async (tx) => {
      await tx.$executeRaw`insert into tx_probe values (${1}::int)`;
      await tx.$executeRaw(Prisma.sql`insert into tx_probe values (${2}::int)`);
      const [{ n }] = await tx.$queryRaw<Array<{ n: number }>>`select count(*)::int as n from tx_probe`;
      return n;
    },
    10_000,
  );
  assert.equal(result, 2);
  assert.deepEqual(await rows(), [1, 2]);
});

test('rolls everything back when fn throws, and when a statement fails', async () => {
  await assert.rejects(
    sqlTransaction(db, async (tx) => {
      await tx.$executeRaw`insert into tx_probe values (${3}::int)`;
      throw new Error('the file failed');
    }, 10_000),
    /the file failed/,
  );
  await assert.rejects(
    sqlTransaction(db, async (tx) => {
      await tx.$executeRaw`insert into tx_probe values (${4}::int)`;
      await tx.$executeRaw`insert into tx_probe values (${1}::int)`;
    }, 10_000),
    (e: Error & { code?: string }) => e.code === '23505',
  );
  assert.deepEqual(await rows(), [1, 2]);
});

test('past the timeout, further statements fail and nothing is committed', async () => {
  await assert.rejects(
    sqlTransaction(db, async (tx) => {
      await tx.$executeRaw`insert into tx_probe values (${5}::int)`;
      await new Promise((resolve) => setTimeout(resolve, 80));
      await tx.$executeRaw`insert into tx_probe values (${6}::int)`;
    }, 40),
    /Transaction expired: it ran for more than 40 ms and was rolled back/,
  );
  assert.deepEqual(await rows(), [1, 2]);
});

test('connections go back to the pool: 20 transactions on a pool of two, 4 at a time', async () => {
  for (let round = 0; round < 5; round++) {
    await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        sqlTransaction(db, (tx) => tx.$executeRaw`insert into tx_probe values (${100 + round * 4 + i}::int)`, 10_000),
      ),
    );
  }
  assert.equal((await rows()).length, 22);
});

test('a pooled connection killed while idle does not bring the process down; the next query reconnects', async () => {
  // queryRows on a fresh client: Prisma has not connected yet, so only createDb's own listener guards the pool.
  const fresh = createDb(t.url, { dbPoolSize: 1, dbConnectTimeoutMs: 5000 });
  try {
    const [{ pid }] = await queryRows<{ pid: number }>(fresh, Prisma.sql`select pg_backend_pid() as pid`);
    await t.query('select pg_terminate_backend($1)', [pid]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [{ pid: again }] = await queryRows<{ pid: number }>(fresh, Prisma.sql`select pg_backend_pid() as pid`);
    assert.notEqual(again, pid);
  } finally {
    await fresh.$disconnect();
  }
});

test('queryRows in an open transaction runs on that transaction: it sees its uncommitted rows, and they go with its rollback', async () => {
  await assert.rejects(
    db.$transaction(async (tx) => {
      await tx.$executeRaw`insert into tx_probe values (${900}::int)`;
      const [{ n }] = await queryRows<{ n: number }>(tx, Prisma.sql`select count(*)::int as n from tx_probe where n = ${900}::int`);
      assert.equal(n, 1);
      // The pool's other connection must not see the uncommitted row.
      const [{ n: outside }] = await queryRows<{ n: number }>(db, Prisma.sql`select count(*)::int as n from tx_probe where n = ${900}::int`);
      assert.equal(outside, 0);
      throw new Error('roll back');
    }),
    /roll back/,
  );
  assert.equal((await rows()).includes(900), false);
});

test('a client not made by createDb is refused, not served through another path', async () => {
  const foreign = new PrismaClient({ adapter: new PrismaPg({ connectionString: t.url }) });
  try {
    await assert.rejects(queryRows(foreign, Prisma.sql`select 1`), /not made by createDb/);
    await assert.rejects(
      sqlTransaction(foreign, async () => undefined, 1000),
      /not made by createDb/,
    );
  } finally {
    await foreign.$disconnect();
  }
});
