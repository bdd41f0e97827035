import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dateBound, dateRange, parseDateBound } from '../../server/http/dateRange';

describe('date-range filters: one meaning of _gte and _lte', () => {
  test('a bare date is the whole UTC day: its first millisecond for _gte, its last for _lte', () => {
    assert.equal(dateBound('start').parse('2026-11-21').toISOString(), '2026-11-21T00:00:00.000Z');
    assert.equal(dateBound('end').parse('2026-11-21').toISOString(), '2026-11-21T23:59:59.999Z');
  });

  test('a date-time is taken as given, UTC when it has no offset', () => {
    assert.equal(dateBound('end').parse('2026-11-21T14:30:00Z').toISOString(), '2026-11-21T14:30:00.000Z');
    assert.equal(dateBound('end').parse('2026-11-21T14:30').toISOString(), '2026-11-21T14:30:00.000Z');
    assert.equal(dateBound('start').parse('2026-11-21T14:30:00+02:00').toISOString(), '2026-11-21T12:30:00.000Z');
  });

  test('what is not a date is refused with the value named', () => {
    for (const bad of ['2026-02-30', 'last week', '1700000000', '']) {
      const r = dateBound('end').safeParse(bad);
      assert.equal(r.success, false, bad);
      if (!r.success) assert.match(r.error.issues[0].message, /is not a date/);
      assert.equal(parseDateBound(bad, 'start'), null);
    }
  });

  test('dateRange is undefined without bounds and carries only the given ones', () => {
    const d = new Date('2026-11-21T00:00:00Z');
    assert.equal(dateRange(undefined, undefined), undefined);
    assert.deepEqual(dateRange(d, undefined), { gte: d });
    assert.deepEqual(dateRange(undefined, d), { lte: d });
  });
});
