import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDb, Prisma, queryRows, type PrismaClient } from '../../server/db/client';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

// Hot reads run as named prepared statements (parsed and planned once per
// pooled connection). Through a transaction-mode pooler the server connection
// changes under the client and forgets the name; the statement must then
// still answer, unnamed, and the pool stop preparing.

let t: TestContext;
let db: PrismaClient;

before(async () => {
  t = await createTestContext();
  // One connection, so the test sees and changes the very session the statements run on.
  db = createDb(t.url, { dbPoolSize: 1, dbConnectTimeoutMs: 5000 });
});

after(async () => {
  await db.$disconnect();
  await t.drop();
});

const read = (id: number) => Prisma.sql`SELECT a.id, a.title FROM articles a WHERE a.id = ${id}`;
const preparedNames = async () =>
  (await queryRows<{ name: string }>(db, Prisma.sql`SELECT name FROM pg_prepared_statements WHERE statement LIKE '%FROM articles a WHERE a.id = $1%'`)).map((r) => r.name);

test('a statement run with prepare is prepared once on the connection and answers like an unnamed one', async () => {
  const a = await makeArticle(t.db, { title: 'Prepared once' });
  const b = await makeArticle(t.db, { title: 'Prepared twice' });
  assert.deepEqual(await queryRows(db, read(a.id), { prepare: true }), [{ id: a.id, title: 'Prepared once' }]);
  assert.deepEqual(await queryRows(db, read(b.id), { prepare: true }), [{ id: b.id, title: 'Prepared twice' }]);
  assert.deepEqual(await queryRows(db, read(b.id)), [{ id: b.id, title: 'Prepared twice' }]);
  const names = await preparedNames();
  assert.equal(names.length, 1, `one prepared statement for one text: ${names.join(', ')}`);
  assert.match(names[0], /^cd_/);
});

test('when the server connection forgot the name (as behind a transaction-mode pooler), the statement still answers, unnamed from then on', async () => {
  const a = await makeArticle(t.db, { title: 'After the pooler' });
  await queryRows(db, read(a.id), { prepare: true });
  // What a pooler's switch of server connection looks like to the client: the name is gone.
  await queryRows(db, Prisma.sql`DEALLOCATE ALL`);
  assert.deepEqual(await queryRows(db, read(a.id), { prepare: true }), [{ id: a.id, title: 'After the pooler' }]);
  assert.deepEqual(await queryRows(db, read(a.id), { prepare: true }), [{ id: a.id, title: 'After the pooler' }]);
  assert.deepEqual(await preparedNames(), [], 'the pool stopped preparing');
});

test('an error of the statement itself is not taken for a pooler and reaches the caller', async () => {
  const other = createDb(t.url, { dbPoolSize: 1, dbConnectTimeoutMs: 5000 });
  try {
    await assert.rejects(queryRows(other, Prisma.sql`SELECT 1 / ${0}::int AS x`, { prepare: true }), /division by zero/);
    assert.deepEqual(await queryRows(other, Prisma.sql`SELECT ${2}::int AS x`, { prepare: true }), [{ x: 2 }]);
  } finally {
    await other.$disconnect();
  }
});
