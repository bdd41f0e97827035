import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { arrayOf, bigint, bool, date, int, nullable, num, oneOf, rowDecoder, RowShapeError, text } from '../../server/db/sql/rows';

describe('raw statement row decoders', () => {
  const decode = rowDecoder('demo.rows', { id: int, rate: num, name: text, ok: bool, at: date, note: nullable(text), ids: arrayOf(int), role: oneOf(['editor', 'admin'] as const) });
  const good = { id: 3, rate: 0.25, name: 'Ann', ok: true, at: new Date('2026-11-21T10:00:00Z'), note: null, ids: [1, 2], role: 'editor' };

  test('a row has one type whichever driver produced it: int8 as string or BigInt, numeric as string, timestamps from JSON', () => {
    assert.deepEqual(decode(good), good);
    const viaPg = { ...good, id: '3', rate: '0.25', ids: ['1', 2n], at: '2026-11-21T10:00:00.000Z', extra: 'ignored' };
    assert.deepEqual(decode(viaPg), good);
    assert.deepEqual(decode({ ...good, id: 3n, note: undefined }), good);
  });

  test('a column of the wrong type fails naming the statement and column', () => {
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...good, id: 1.5 }, /^demo\.rows\.id: expected an integer, got 1\.5$/],
      [{ ...good, id: '9007199254740993' }, /demo\.rows\.id: expected an integer/],
      [{ ...good, name: null }, /demo\.rows\.name: expected text, got null/],
      [{ ...good, ok: 't' }, /demo\.rows\.ok: expected a boolean, got "t"/],
      [{ ...good, at: 'yesterday' }, /demo\.rows\.at: expected a timestamp/],
      [{ ...good, ids: [1, 'x'] }, /demo\.rows\.ids\[1\]: expected an integer, got "x"/],
      [{ ...good, role: 'auditor' }, /demo\.rows\.role: expected one of editor, admin, got "auditor"/],
      [{ ...good, rate: 'NaN' }, /demo\.rows\.rate: expected a number/],
    ];
    for (const [row, message] of bad) assert.throws(() => decode(row), (e: unknown) => e instanceof RowShapeError && message.test(e.message), String(message));
    assert.throws(() => decode(null), /demo\.rows: expected a row/);
  });

  test('an int8 read as a BigInt keeps its value whichever driver returned it, past the safe integers too', () => {
    const ids = rowDecoder('demo.ids', { ids: arrayOf(bigint) });
    assert.deepEqual(ids({ ids: ['9007199254740993', 7n, 3] }), { ids: [9007199254740993n, 7n, 3n] });
    assert.throws(() => ids({ ids: ['7', 1.5] }), /demo\.ids\.ids\[1\]: expected an int8, got 1\.5/);
    assert.throws(() => ids({ ids: ['x'] }), /demo\.ids\.ids\[0\]: expected an int8, got "x"/);
  });
});
