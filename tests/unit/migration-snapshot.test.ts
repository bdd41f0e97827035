// `npm run migrate:new` diffs prisma/schema.prisma against the newest
// migration's schema snapshot. When migrations written on parallel branches
// are merged, each snapshot holds only its own branch's schema; the newest
// must be brought up to the merged schema, or the next migration would
// repeat changes that are already applied.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = path.join(ROOT, 'prisma', 'migrations');

test('the newest migration snapshot is the current prisma/schema.prisma', () => {
  const withSnapshot = readdirSync(dir)
    .filter((f) => existsSync(path.join(dir, f, 'schema.snapshot.prisma')))
    .sort();
  const newest = withSnapshot[withSnapshot.length - 1];
  assert.ok(newest, 'no migration has a schema snapshot');
  const newestMigration = readdirSync(dir).filter((f) => existsSync(path.join(dir, f, 'migration.sql'))).sort().pop();
  assert.equal(newest, newestMigration, 'the newest migration keeps a snapshot');
  assert.equal(readFileSync(path.join(dir, newest, 'schema.snapshot.prisma'), 'utf8'), readFileSync(path.join(ROOT, 'prisma', 'schema.prisma'), 'utf8'), `${newest}/schema.snapshot.prisma differs from prisma/schema.prisma: copy the schema into it`);
});
