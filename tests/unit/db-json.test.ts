import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  articleMetadata,
  auditEventData,
  decodeJson,
  exportBatchOptions,
  importBatchFailures,
  importBatchFiles,
  importBatchOptions,
  paragraphCodes,
  paragraphMetaColumn,
  revisionCorrectionBefore,
  revisionDiffs,
  revisionMtDiffs,
  revisionMtStats,
  revisionParagraphs,
  revisionStats,
  StoredJsonError,
  type JsonColumn,
} from '../../server/db/json';
import { buildRevisionData } from '../../server/services/revisionData';

/** Round-trips through JSON, as a value does through a jsonb column. */
const stored = <T>(v: T): unknown => JSON.parse(JSON.stringify(v));

function refused<T>(col: JsonColumn<T>, value: unknown, row: number | bigint, why: RegExp) {
  assert.throws(
    () => decodeJson(col, value, row),
    (e: unknown) => {
      assert.ok(e instanceof StoredJsonError);
      assert.equal(e.table, col.table);
      assert.equal(e.column, col.column);
      assert.equal(e.row, row);
      assert.match(e.message, new RegExp(`^${col.table}\\.${col.column} of row ${String(row)} is not what that column holds`));
      assert.match(e.message, why);
      return true;
    },
  );
}

describe('stored JSON decoders: one per column', () => {
  const mt = { title: 'Budget vote', paragraphs: ['The council voted.', 'It rained.'] };
  const first = buildRevisionData(null, { title: 'Budget vote', paragraphs: ['The council voted yes.', 'It rained.'] }, mt);
  const second = buildRevisionData(first, { title: 'Budget vote passes', paragraphs: ['The council voted yes.', 'It poured.'] }, mt);

  test('revision paragraphs, diffs and stats as the save writes them decode to the same value', () => {
    for (const data of [first, second]) {
      assert.deepEqual(decodeJson(revisionParagraphs, stored(data.paragraphs), 1), data.paragraphs);
      assert.deepEqual(decodeJson(revisionDiffs, stored(data.diffs), 1), stored(data.diffs));
      assert.deepEqual(decodeJson(revisionStats, stored(data.stats), 1), stored(data.stats));
    }
    const before = { diffs: second.diffs, stats: second.stats, editRate: second.editRate, wordsInserted: second.wordsInserted, wordsDeleted: second.wordsDeleted, wordsSubstituted: second.wordsSubstituted };
    assert.deepEqual(decodeJson(revisionCorrectionBefore, stored(before), 9), stored(before));
  });

  test('a bad revision value is refused naming table, column, row and path', () => {
    refused(revisionParagraphs, ['ok', 3], 12, /at 1: /);
    refused(revisionParagraphs, null, 12, /expected array/);
    const diffs = stored(second.diffs) as { paragraphs: Array<{ mt: { parts: Array<{ op: string }> } }> };
    diffs.paragraphs[1].mt.parts[0].op = 'swap';
    refused(revisionDiffs, diffs, 7, /at paragraphs\.1\.mt\.parts\.0\.op/);
    const stats = stored(second.stats) as { mt: { words: unknown } };
    stats.mt.words = '12';
    refused(revisionStats, stats, 7, /at mt\.words/);
    refused(revisionCorrectionBefore, { stats: second.stats }, 3, /at diffs/);
  });

  test('paragraph codes and meta: null, the importer shapes, and keys a later version adds', () => {
    assert.equal(decodeJson(paragraphCodes, null, 1), null);
    assert.equal(decodeJson(paragraphMetaColumn, null, 1), null);
    const codes = [
      { id: '1', kind: 'open', element: 'g', family: '1', xml: '<g id="1">', label: 'g', pair: 1 },
      { id: '1', kind: 'close', element: 'g', family: '1', xml: '</g>', label: '/g', pair: 0 },
    ];
    assert.deepEqual(decodeJson(paragraphCodes, codes, 5), codes);
    const meta = { unitId: 'u1', state: 'translated', notes: [{ text: 'check the name', from: 'editor' }], emptyTarget: true, future: { x: 1 } };
    assert.deepEqual(decodeJson(paragraphMetaColumn, meta, 5), meta);
    refused(paragraphCodes, [{ ...codes[0], family: '3' }], 5n, /at 0\.family/);
    refused(paragraphMetaColumn, { emptyTarget: 'yes' }, 5, /at emptyTarget/);
    refused(paragraphMetaColumn, [], 5, /expected object/);
  });

  test('audit data, article metadata and export options are objects; anything else is refused', () => {
    assert.deepEqual(decodeJson(auditEventData, { revisionId: 3 }, 1n), { revisionId: 3 });
    assert.deepEqual(decodeJson(articleMetadata, {}, 1), {});
    assert.deepEqual(decodeJson(exportBatchOptions, { format: 'json' }, 1), { format: 'json' });
    refused(auditEventData, 'text', 44n, /expected record/);
    refused(articleMetadata, [1], 4, /expected record/);
  });

  test('import batch files, failures and options', () => {
    const file = { path: 'a.json', format: 'json', status: 'ok', articles: 2, imported: 1, updated: 1, skipped: 0, conflicts: 0, notes: [], conflictList: [], updatedList: [{ articleId: 3, externalId: 'x', line: null }] };
    assert.deepEqual(decodeJson(importBatchFiles, [file], 2), [file]);
    assert.deepEqual(decodeJson(importBatchFailures, [{ path: null, error: 'the import process ended' }], 2), [{ path: null, error: 'the import process ended' }]);
    assert.deepEqual(decodeJson(importBatchOptions, {}, 2), {});
    assert.deepEqual(decodeJson(importBatchOptions, { runner: { host: 'h', pid: 42 }, dryRun: false }, 2).runner, { host: 'h', pid: 42 });
    refused(importBatchFiles, [{ ...file, status: 'done' }], 2, /at 0\.status/);
    refused(importBatchFailures, [{ path: 'a' }], 2, /at 0\.error/);
    refused(importBatchOptions, { runner: { host: 'h', pid: '42' } }, 2, /at runner\.pid/);
  });

  test('the projections of revisions.diffs and .stats that the analytics and the article record read', () => {
    const mt = { title: 'A', paragraphs: ['one two', 'three'] };
    const data = buildRevisionData(null, { title: 'A', paragraphs: ['one too', 'three'] }, mt);
    const mtDiffs = stored(data.diffs.paragraphs.map((p) => p.mt));
    assert.deepEqual(decodeJson(revisionMtDiffs, mtDiffs, 5), mtDiffs);
    assert.equal(decodeJson(revisionMtDiffs, null, 5), null);
    refused(revisionMtDiffs, [{ parts: [{ op: 'eq', text: 'x' }] }], 5, /at 0\.truncated/);
    assert.deepEqual(decodeJson(revisionMtStats, stored(data.stats.mt), 5), data.stats.mt);
    refused(revisionMtStats, { ...data.stats.mt, words: -1 }, 5, /at words/);
    assert.deepEqual(decodeJson(articleMetadata, { tags: ['a', { b: null }], n: 1.5 }, 1), { tags: ['a', { b: null }], n: 1.5 });
  });
});
