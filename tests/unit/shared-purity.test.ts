// shared/ holds the pure rules both the server and the admin UI run (roles and
// permissions, workflow, diffs, inline codes, QA checks, gates). The admin
// bundle takes them as they are, so they may import only each other and the
// diff package: nothing from Node, the database or the server.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const sharedDir = fileURLToPath(new URL('../../shared/', import.meta.url));
const PACKAGES = new Set(['diff']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : name.endsWith('.ts') ? [full] : [];
  });
}

describe('shared/', () => {
  test('imports only shared/ itself and the diff package', () => {
    const files = filesUnder(sharedDir);
    assert.ok(files.length > 20, `only ${files.length} files under shared/`);
    const outside: string[] = [];
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'";]*?from\s+'([^']+)'/g)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) {
          const target = path.resolve(path.dirname(file), spec);
          if (!target.startsWith(sharedDir)) outside.push(`${path.relative(sharedDir, file)}: ${spec}`);
        } else if (!PACKAGES.has(spec)) outside.push(`${path.relative(sharedDir, file)}: ${spec}`);
      }
    }
    assert.deepEqual(outside, []);
  });
});
