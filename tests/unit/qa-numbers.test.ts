import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findNumbers, formatNumber, parseChineseNumeral, sameNumber } from '../../shared/numbers';

const values = (text: string, explicitOnly = true) => findNumbers(text).filter((n) => !explicitOnly || n.explicit).map((n) => n.value);

describe('findNumbers', () => {
  test('digits with thousands separators, decimals and percentages', () => {
    assert.deepEqual(values('More than 3,000 villagers, 1,250,000.5 yuan, 3.5 kilometres and 12.5% of them'), [3000, 1250000.5, 3.5, 12.5]);
    const pct = findNumbers('rose 30 per cent, then 7 percent');
    assert.deepEqual(pct.map((n) => [n.raw, n.value, n.percent]), [['30 per cent', 30, true], ['7 percent', 7, true]]);
  });

  test('Chinese units after digits: 1.2万 = 12,000, 3亿 = 300,000,000', () => {
    assert.deepEqual(values('1.2万人次，3亿元，12.6亿元，312.8万元，1万亿'), [12000, 300_000_000, 1_260_000_000, 3_128_000, 1e12]);
  });

  test('Chinese numerals, but not words that merely contain a numeral', () => {
    assert.deepEqual(values('第六届 四十七起 三亿五千万 二〇二四年 百分之三十'), [6, 47, 350_000_000, 2024, 30]);
    // 一些 (some), 统一 (unify), 周五 (Friday), 十分 (very) state no number.
    assert.deepEqual(values('一些 统一 周五 十分重要 星期三'), []);
  });

  test('MT-garbled scales are read by value and marked garbled', () => {
    const found = findNumbers('seized 1.3 ten thousand meters, 3.5 ten thousand million yuan and 12.6 hundred million yuan, 2 million people');
    assert.deepEqual(
      found.map((n) => [n.raw, n.value, n.garbled]),
      [
        ['1.3 ten thousand', 13000, true],
        ['3.5 ten thousand million', 35e9, true],
        ['12.6 hundred million', 1.26e9, true],
        ['2 million', 2e6, false],
      ],
    );
  });

  test('English number words: "ten thousand" = 10000, compounds and "a million"', () => {
    assert.deepEqual(values('ten thousand fans, twenty-five buses, two hundred and five seats, a million doses'), [10000, 25, 205, 1e6]);
  });

  test('small number words, ordinals and months are implicit: they match but are never required', () => {
    const found = findNumbers('one of the first three trains left on April 2');
    assert.deepEqual(found.map((n) => [n.raw, n.value, n.explicit]), [['one', 1, false], ['first', 1, false], ['three', 3, false], ['April', 4, false], ['2', 2, true]]);
  });

  test('times: "6:00" is six o\'clock, not a zero', () => {
    assert.deepEqual(values('from 6:00 to 22:30'), [6, 22, 30]);
  });

  test('offsets point at the span in the original text', () => {
    const text = 'about 3.5 ten thousand million yuan';
    const [n] = findNumbers(text);
    assert.equal(text.slice(n.start, n.end), '3.5 ten thousand million');
  });
});

test('parseChineseNumeral', () => {
  assert.equal(parseChineseNumeral('十五'), 15);
  assert.equal(parseChineseNumeral('一百零八'), 108);
  assert.equal(parseChineseNumeral('三千万'), 30_000_000);
  assert.equal(parseChineseNumeral('两'), 2);
});

test('formatNumber writes values the way English news does', () => {
  assert.equal(formatNumber(13000), '13,000');
  assert.equal(formatNumber(1.26e9), '1.26 billion');
  assert.equal(formatNumber(35e9), '35 billion');
  assert.equal(formatNumber(1_854_000), '1.854 million');
  assert.equal(formatNumber(1_234_567), '1,234,567');
});

test('sameNumber tolerates binary noise of decimal products only', () => {
  assert.ok(sameNumber(12.6 * 1e8, 1.26 * 1e9));
  assert.ok(!sameNumber(12000, 12001));
});
