import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const SCHEMAS = path.resolve(import.meta.dirname, '../fixtures/xliff-schemas');

/** The official schema an XLIFF document of this namespace must satisfy. */
function schemaFor(xml: string): string {
  if (xml.includes('xmlns="urn:oasis:names:tc:xliff:document:2.0"')) return path.join(SCHEMAS, 'xliff_core_2.0.xsd');
  if (xml.includes('xmlns="urn:oasis:names:tc:xliff:document:1.2"')) return path.join(SCHEMAS, 'xliff-core-1.2-transitional.xsd');
  assert.fail(`not an XLIFF 1.2 or 2.0 document:\n${xml.slice(0, 300)}`);
}

/**
 * Validates an exported XLIFF document with `xmllint --schema` against the
 * OASIS schema of its version (offline: --nonet, local schemas). Every test
 * that exports XLIFF runs its output through this.
 */
export function assertValidXliff(xml: string, what = 'the XLIFF export'): void {
  const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schemaFor(xml), '-'], { input: xml, encoding: 'utf8' });
  if (r.error) throw new Error(`xmllint could not run (install libxml2-utils): ${r.error.message}`);
  assert.equal(r.status, 0, `${what} does not validate:\n${r.stderr}\n${xml.slice(0, 2000)}`);
}
