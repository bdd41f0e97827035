// npm run migrate:new -- <name>
//
// Authors a migration from the change to prisma/schema.prisma since the last
// migration, without `prisma migrate dev` (which needs a shadow database that
// the offline WASM engine cannot manage, see docs/architecture.md, "Database and migrations"). Each migration folder
// keeps a snapshot of the schema it produced, and the next migration is the
// pure schema-to-schema diff from that snapshot. Hand-written SQL (triggers,
// expression indexes) can be appended to the generated file before committing.
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db/embedded';
import { runPrisma } from '../server/db/migrate';
import { CliError, reportCliError } from './lib/cli';
import { ROOT } from './lib/prepare';

try {
  const name = process.argv[2];
  if (!name) throw new CliError('usage: npm run migrate:new -- <name>   (e.g. add_glossary_notes)');
  if (!/^[a-z0-9_]{1,60}$/.test(name)) throw new CliError(`migration name "${name}" must be lower-case letters, digits and _ (at most 60)`);
  const dir = path.join(ROOT, 'prisma', 'migrations');
  const folders = readdirSync(dir).filter((f) => existsSync(path.join(dir, f, 'migration.sql'))).sort();
  const withSnapshot = [...folders].reverse().find((f) => existsSync(path.join(dir, f, 'schema.snapshot.prisma')));
  const from = withSnapshot ? ['--from-schema-datamodel', path.join(dir, withSnapshot, 'schema.snapshot.prisma')] : ['--from-empty'];
  const schema = path.join(ROOT, 'prisma', 'schema.prisma');

  // The JS engine's diff goes through the configured adapter, so it needs a
  // database to connect to, though it reads nothing from it.
  const handle = await openDatabase(loadConfig(), 'cli', (m) => console.error(m));
  let sql: string;
  try {
    const out = await runPrisma(['migrate', 'diff', ...from, '--to-schema-datamodel', schema, '--script'], handle.ownerUrl);
    const start = out.search(/^-- /m);
    sql = start >= 0 ? out.slice(start) : '';
  } finally {
    await handle.stop();
  }
  if (!sql.trim() || /^-- This is an empty migration\./m.test(sql)) {
    console.log('prisma/schema.prisma has not changed since the last migration: nothing to write.');
  } else {
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const folder = path.join(dir, `${stamp}_${name}`);
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'migration.sql'), sql.endsWith('\n') ? sql : sql + '\n');
    copyFileSync(schema, path.join(folder, 'schema.snapshot.prisma'));
    console.log(`Wrote ${path.relative(ROOT, folder)}/migration.sql. Review it, then run npm run migrate.`);
  }
} catch (err) {
  process.exitCode = reportCliError(err);
}
