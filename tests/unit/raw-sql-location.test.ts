// Raw SQL lives in server/db/ (the statements in server/db/sql/, one module
// per area, each with a row decoder): a service says what to read or write
// and calls a function there. This scans every server file outside
// server/db/ for a raw statement or the SQL built for one.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('../../server/', import.meta.url));

/**
 * Files allowed to hold raw SQL outside server/db/, relative to server/: none.
 * An entry whose file has none fails the test, so the set only shrinks.
 */
const ALLOWED = new Set<string>();

/** What a raw statement, or SQL built for one, looks like in TypeScript. */
const RAW_SQL: ReadonlyArray<[string, RegExp]> = [
  ['$queryRaw / $executeRaw (and their Unsafe forms)', /\$(?:queryRaw|executeRaw)(?:Unsafe)?\b/],
  ['queryRows / executeStatement', /\b(?:queryRows|executeStatement)\s*[<(]/],
  ['selectRows / selectTxRows / execute / executeTx from server/db/sql/rows.ts', /\b(?:selectRows|selectTxRows|executeTx)\s*[<(]|from\s+'[./]*db\/sql\/rows'/],
  ['Prisma.sql / Prisma.raw / Prisma.join / Prisma.empty', /\bPrisma\.(?:sql|raw|join|empty)\b/],
  ['a node-postgres query (pool or client .query, poolOf)', /\.query\s*\(|\bpoolOf\s*\(/],
];

/** Drops comments (keeping line numbers), so that one naming a statement is not taken for it. */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, '')).replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The kinds of raw SQL in `source`, with the first line of each. */
function rawSqlIn(source: string): string[] {
  const lines = code(source).split('\n');
  const found: string[] = [];
  for (const [what, re] of RAW_SQL) {
    const i = lines.findIndex((l) => re.test(l));
    if (i !== -1) found.push(`${what} (line ${i + 1}: ${lines[i].trim().slice(0, 80)})`);
  }
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return full === path.join(serverDir, 'db') ? [] : filesUnder(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

describe('raw SQL lives in server/db/', () => {
  test('the scan recognises each form of a raw statement, and not a comment about one', () => {
    assert.equal(rawSqlIn('const rows = await tx.$queryRaw`select 1`;').length, 1);
    assert.equal(rawSqlIn('await db.$executeRawUnsafe(text);').length, 1);
    assert.equal(rawSqlIn('const [r] = await queryRows<{ n: number }>(db, statement);').length, 1);
    assert.equal(rawSqlIn('return selectRows(db, statement, decode);').length, 1);
    assert.equal(rawSqlIn("const where = Prisma.sql`a.id = ${id}`;").length, 1);
    assert.equal(rawSqlIn('const r = await client.query(text, values);').length, 1);
    assert.deepEqual(rawSqlIn('// the save used to call $queryRaw here\n/* Prisma.sql */ const x = 1;'), []);
    assert.deepEqual(rawSqlIn("const url = 'http://example.org/'; const n = req.query.limit;"), []);
  });

  test('no file outside server/db/ runs or builds a raw statement, but the allowed ones', () => {
    const files = filesUnder(serverDir);
    assert.ok(files.length > 50, `only ${files.length} files under server/`);
    const offenders: string[] = [];
    const stale: string[] = [];
    for (const file of files) {
      const rel = path.relative(serverDir, file).split(path.sep).join('/');
      const found = rawSqlIn(readFileSync(file, 'utf8'));
      if (ALLOWED.has(rel)) {
        if (found.length === 0) stale.push(rel);
      } else if (found.length > 0) offenders.push(`server/${rel}: ${found.join('; ')}`);
    }
    assert.deepEqual(offenders, [], 'move these statements to a module under server/db/sql/ with a row decoder');
    assert.deepEqual(stale, [], 'these files no longer hold raw SQL: remove them from ALLOWED');
    for (const rel of ALLOWED) assert.ok(files.some((f) => path.relative(serverDir, f).split(path.sep).join('/') === rel), `ALLOWED names a missing file: server/${rel}`);
  });
});
