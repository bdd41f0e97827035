import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { csvField, csvRow, csvText } from '../../server/policy/csv';
import { parseCsv } from '../../server/services/glossary';

describe('csvField', () => {
  test('quotes per RFC 4180', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a, "b"'), '"a, ""b"""');
    assert.equal(csvField('line\nbreak'), '"line\nbreak"');
    assert.equal(csvField('cr\rhere'), '"cr\rhere"');
    assert.equal(csvField(' padded '), '" padded "');
    assert.equal(csvField(null), '');
    assert.equal(csvField(undefined), '');
    assert.equal(csvField({ a: 1 }), '"{""a"":1}"');
    assert.equal(csvField(new Date('2026-11-21T00:00:00Z')), '2026-11-21T00:00:00.000Z');
  });

  test('every formula trigger becomes text with a leading single quote', () => {
    assert.equal(csvField('=HYPERLINK("http://evil","x")'), `"'=HYPERLINK(""http://evil"",""x"")"`);
    assert.equal(csvField('=1+1'), "'=1+1");
    assert.equal(csvField('+1+1'), "'+1+1");
    assert.equal(csvField('-2+3'), "'-2+3");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('\t=1'), "'\t=1");
    assert.equal(csvField('\r=1'), `"'\r=1"`);
    // Not at the start: harmless.
    assert.equal(csvField('a=b'), 'a=b');
    // Quotes before a trigger get one more, so the escape can be undone exactly.
    assert.equal(csvField("'=1"), "''=1");
    assert.equal(csvField("'plain"), "'plain");
    // Numbers are values, not formulas.
    assert.equal(csvField(-3), '-3');
    assert.equal(csvField(-0.5), '-0.5');
  });

  test('csvText undoes the escape after parsing, for any text', () => {
    const texts = ['=1+1', '+x', '-y', '@z', '\t=1', '\r=1', "'=1", "''@a", "'plain", 'plain', 'a=b', 'quote "x", y', 'line\nbreak', "'", ''];
    const csv = csvRow(texts);
    const [record] = parseCsv(csv);
    assert.deepEqual(record.fields.map(csvText), texts);
    // No field as written starts with a trigger character.
    for (const f of record.fields) assert.doesNotMatch(f, /^[=+\-@\t\r]/);
  });

  test('csvRow ends with CRLF', () => {
    assert.equal(csvRow(['a', 1, null]), 'a,1,\r\n');
  });
});
