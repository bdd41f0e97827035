import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_QA_CONFIG, resolveQaConfig, runQaChecks, splitSentences, type Finding, type QaCheck, type QaConfigInput, type QaInput, type QaParagraph } from '../../server/policy/qa';

function run(paragraphs: Array<string | QaParagraph>, extra: Partial<QaInput> = {}, config: QaConfigInput = {}): Finding[] {
  return runQaChecks({ paragraphs: paragraphs.map((p) => (typeof p === 'string' ? { text: p } : p)), ...extra }, config);
}

/** The findings of one check as [span text, message] pairs. */
function spans(check: QaCheck, paragraphs: Array<string | QaParagraph>, extra: Partial<QaInput> = {}, config: QaConfigInput = {}): string[] {
  const texts = paragraphs.map((p) => (typeof p === 'string' ? p : p.text));
  return run(paragraphs, extra, config)
    .filter((f) => f.check === check)
    .map((f) => texts[f.paragraphIndex].slice(f.start, f.end));
}

// Clean English news prose, written for this test: numbers, quotes (nested and
// running across paragraphs), abbreviations, decimals, times, possessives,
// dashes, ellipses and a doubled intensifier in speech.
const CLEAN = [
  'WASHINGTON — The U.S. economy added 275,000 jobs in February, the Labor Department said on Friday, beating forecasts for the third month in a row. The unemployment rate rose to 3.9%, its highest level in two years.',
  '“We are seeing a labour market that is cooling, but not cracking,” said Mr. Smith, chief economist at Acme Corp. in New York. “It’s a soft landing… so far.”',
  'Shares of Apple Inc. fell 2.5 per cent to $170.12 by 10 a.m. local time, while the Nasdaq Composite index was little changed. Investors’ attention turned to the Federal Reserve’s meeting on March 19-20.',
  'Dr. Jane O’Neill, who heads the city’s health department, told reporters: “The message to parents is simple: ‘Vaccinate your children.’ We have 1.2 million doses ready.”',
  'The bridge (built in 1932 and renovated in 2015) carries about 40,000 vehicles a day. Its closure, expected to last until Oct. 5, will add 20 to 30 minutes to commutes, officials said.',
  'Asked whether he would run again, the senator paused. “I don’t know,” he said. “Ask me in a year.”',
  'The company, which employs 3,500 people in the U.K., said it expected revenue of between £1.1 billion and £1.3 billion — roughly 10% more than last year — and would open two new plants in 2025.',
  'Police said the suspect, 34, was arrested at 11:45 p.m. on Tuesday. He is due to appear in court on Thursday ... according to a police statement.',
  'Some 12.5 percent of respondents said they had had no contact with their doctor during the pandemic; nearly half said that that was because they were waiting for an appointment.',
  '“The first phase is finished,” the mayor said. “The second will start in spring, and the third',
  '“— if the money arrives — in 2027.” It was, she added, “very, very difficult” to find a flat in the capital, where rents have risen by a third since 2021. Why? Demand.',
];

describe('clean news prose', () => {
  test('produces no warning or error findings', () => {
    const findings = run(CLEAN).filter((f) => f.severity !== 'info');
    assert.deepEqual(findings.map((f) => `${f.check} ¶${f.paragraphIndex}: ${CLEAN[f.paragraphIndex].slice(f.start, f.end)}`), []);
  });

  test('nor when compared with an identical MT, or with a Chinese source that states the same numbers', () => {
    assert.deepEqual(run(CLEAN.map((text) => ({ text, mt: text }))), []);
    const zh = run([{ text: 'On May 17, the 6th fair opened with 400 companies and 50,000 square metres of stands.', source: '5月17日，第六届博览会开幕，400余家企业参展，展览面积5万平方米。' }]);
    assert.deepEqual(zh, []);
  });
});

describe('numbers', () => {
  test('a number in the text that is neither in the MT nor the source', () => {
    const p = { text: 'The city seized 13,000 metres of nets and 48 boats.', mt: 'The city seized 1.3 ten thousand meters of nets and 47 boats.', source: '全市查获非法网具1.3万米、船只47艘。' };
    const found = run([p]).filter((f) => f.check === 'numbers');
    assert.deepEqual(
      found.map((f) => [p.text.slice(f.start, f.end), f.message]),
      [
        ['', 'The MT and the source have “47” (47), which is not in the text.'],
        ['48', '“48” (48) is not in the MT or the source.'],
      ],
    );
  });

  test('with a source, the source decides what must be stated: a corrected MT number is not "missing"', () => {
    assert.deepEqual(run([{ text: 'Police seized 47 boats.', mt: 'Police seized 48 boats.', source: '警方查获船只47艘。' }]), []);
    assert.deepEqual(spans('numbers', [{ text: 'Police seized boats.', mt: 'Police seized 48 boats.' }]), ['']);
  });

  test('a number of the source missing from the text, matched by value across 万, digits and number words', () => {
    assert.deepEqual(spans('numbers', [{ text: 'Donations reached 3.128 million yuan.', source: '捐款达312.8万元。' }]), []);
    assert.deepEqual(spans('numbers', [{ text: 'Donations reached ten thousand yuan.', source: '捐款达1万元。' }]), []);
    const missing = run([{ text: 'Donations reached 3.1 million yuan.', source: '捐款达312.8万元。' }]).filter((f) => f.check === 'numbers');
    // A number missing from the text has no span of its own: it points at the paragraph as a whole (0, 0) and sorts first.
    assert.deepEqual(missing.map((f) => [f.start, f.end, f.message]), [
      [0, 0, 'The source has “312.8万” (3.128 million), which is not in the text.'],
      [18, 29, '“3.1 million” (3.1 million) is not in the source.'],
    ]);
  });

  test('3亿 in the source is 300,000,000 in the text', () => {
    assert.deepEqual(spans('numbers', [{ text: 'The project costs 300 million yuan.', source: '项目投资3亿元。' }]), []);
    assert.deepEqual(spans('numbers', [{ text: 'The project costs 30 million yuan.', source: '项目投资3亿元。' }]), ['', '30 million']);
  });

  test('percentages compare by value', () => {
    assert.deepEqual(spans('numbers', [{ text: 'Sales rose 12.5% in May.', mt: 'Sales rose 12.5 per cent in May.' }]), []);
    assert.deepEqual(spans('numbers', [{ text: 'Sales rose 15% in May.', mt: 'Sales rose 12.5 per cent in May.' }]), ['', '15%']);
  });

  test('garbled MT numbers get an English suggestion', () => {
    const found = run(['The investment is about 3.5 ten thousand million yuan, and 120 ten thousand fry were released.']).filter((f) => f.check === 'numberFormat');
    assert.deepEqual(found.map((f) => f.suggestion), ['35 billion', '1.2 million']);
    assert.deepEqual(spans('numberFormat', ['The investment is about 35 billion yuan and ten thousand fry were released.']), []);
  });
});

describe('leftover source script', () => {
  test('CJK characters and full-width punctuation in an English target', () => {
    assert.deepEqual(spans('script', ['The campaign covers the 闽江 basin，and more.']), ['闽江', '，']);
    assert.deepEqual(spans('script', ['The campaign covers the Min River basin.']), []);
  });

  test('off for a CJK target', () => {
    assert.deepEqual(spans('script', ['闽江流域'], { targetLang: 'zh-CN' }), []);
  });
});

describe('quotes and brackets', () => {
  test('a closing quote used to open and an opening quote used to close', () => {
    const text = 'Chen said at the meeting: ”we must hold the bottom line“, and the towns agreed.';
    const found = run([text]).filter((f) => f.check === 'quotes');
    assert.deepEqual(found.map((f) => [text.slice(f.start, f.end), f.suggestion]), [['”', '“'], ['“', '”']]);
    assert.equal(found[0].severity, 'error');
  });

  test('a quotation opened and never closed, unless it runs on into the next paragraph', () => {
    assert.deepEqual(spans('quotes', ['He said “we will win and left.']), ['“']);
    assert.deepEqual(spans('quotes', ['He said: “We will win.', '“We always do,” he added.']), []);
    assert.deepEqual(spans('quotes', ['He said "we will win and left.']), ['"']);
    assert.deepEqual(spans('quotes', ['He said “we will win” and “left.”']), []);
  });

  test('a closing quote with no opening one', () => {
    assert.deepEqual(spans('quotes', ['We will win,” he said.']), ['”']);
  });

  test('single quotes: apostrophes are not quotes, a reversed opening quote is', () => {
    assert.deepEqual(spans('quotes', ['The villagers’ homes, the city’s ‘Metro Pass’ app and the ’90s.']), []);
    assert.deepEqual(spans('quotes', ['Use the ‘Metro Pass‘ app.']), ['‘']);
  });

  test('unbalanced and mismatched brackets', () => {
    assert.deepEqual(spans('brackets', ['The line (21 stations will open.']), ['(']);
    assert.deepEqual(spans('brackets', ['The line has 21 stations) and opens.']), [')']);
    assert.deepEqual(spans('brackets', ['The line (21 stations] opens.']), [']']);
    assert.deepEqual(spans('brackets', ['The line (with [21] stations) opens.']), []);
  });
});

describe('repeated words', () => {
  test('"the the", "agreed, agreed" and a repeated phrase', () => {
    assert.deepEqual(spans('repeats', ['He read the the report.', 'The towns agreed, agreed to act.', 'It was held in the city in the city hall.']), ['the the', 'agreed, agreed', 'in the city in the city']);
  });

  test('grammatical doubles and doubled intensifiers are fine', () => {
    assert.deepEqual(spans('repeats', ['They had had enough; he said that that was final. It was very, very hard.']), []);
  });
});

describe('spacing and punctuation', () => {
  test('double spaces and a space before punctuation', () => {
    const found = run(['The line opens in June,  and the trip takes 41 minutes , less than by bus .']).filter((f) => f.check === 'spacing');
    assert.deepEqual(found.map((f) => [f.start, f.end, f.suggestion]), [[23, 25, ' '], [54, 55, ''], [73, 74, '']]);
  });

  test('a spaced ellipsis and decimals are not spacing errors', () => {
    assert.deepEqual(spans('spacing', ['He paused ... then spoke. The rate is .5 points lower.']), []);
  });

  test('runs of punctuation', () => {
    assert.deepEqual(spans('punctuation', ['The line opens in June. , the trip is short.', 'It is done,, finally.', 'It works smoothly.,', 'It ends here..']), ['. ,', ',,', '.,', '..']);
  });

  test('a comma after an abbreviation and an ellipsis are fine', () => {
    assert.deepEqual(spans('punctuation', ['Firms in the U.S., China and the U.K. agreed at 10 a.m., officials said... later.']), []);
  });
});

describe('sentence starts', () => {
  test('a lower-case start after a full stop', () => {
    const found = run(['The line opens in June. the trip takes 41 minutes.']).filter((f) => f.check === 'sentenceCase');
    assert.deepEqual(found.map((f) => [f.start, f.end, f.suggestion]), [[24, 27, 'The']]);
  });

  test('abbreviations, brand names and attributions after a quote are not sentence starts', () => {
    assert.deepEqual(spans('sentenceCase', ['He met Mr. smith at 10 a.m. local time in the U.S. state of Ohio. iPhone sales fell. “Why?” he asked.']), []);
  });

  test('a sentence fragment such as "smoothly." or "Proceed smoothly."', () => {
    const text = 'The campaign runs from April 1 to the end of October. smoothly. Proceed smoothly.';
    const found = run([text]).filter((f) => f.check === 'fragments');
    assert.deepEqual(found.map((f) => [text.slice(f.start, f.end), f.suggestion]), [[' smoothly.', ''], [' Proceed smoothly.', '']]);
    // The fragment is reported once, not also as a lower-case start.
    assert.equal(run([text]).filter((f) => f.check === 'sentenceCase').length, 0);
    // With the fragment check off, the lower-case start still shows.
    assert.deepEqual(spans('sentenceCase', [text], {}, { checks: { fragments: { enabled: false } } }), ['smoothly']);
  });

  test('short sentences with a verb, or in quotes, are not fragments', () => {
    assert.deepEqual(spans('fragments', ['Prices rose. He agreed. Talks continued. “Not yet.” It was done.']), []);
  });
});

describe('glossary', () => {
  const glossary = [{ term: 'crack down', preferred: 'crack down', forbidden: ['strike hard'], sourceTerm: '严厉打击' }];

  test('a forbidden term is an error with the preferred term as suggestion, keeping a capital', () => {
    const found = run(['Strike hard against illegal fishing, the city said it would strike  hard.'], { glossary }).filter((f) => f.check === 'glossaryForbidden');
    assert.deepEqual(found.map((f) => [f.severity, f.suggestion]), [['error', 'Crack down'], ['error', 'crack down']]);
  });

  test('the preferred term missing where the source term appears', () => {
    assert.deepEqual(
      run([{ text: 'The city launched a campaign against illegal fishing.', source: '我市开展严厉打击非法捕捞专项行动。' }], { glossary }).map((f) => [f.check, f.message]),
      [['glossaryPreferred', 'The source has “严厉打击”, but the text does not use the glossary\'s “crack down”.']],
    );
    assert.deepEqual(run([{ text: 'The city launched a campaign to crack down on illegal fishing.', source: '我市开展严厉打击非法捕捞专项行动。' }], { glossary }), []);
  });

  test('a forbidden variant where the source term appears is reported once, as forbidden', () => {
    const found = run([{ text: 'The city will strike hard against illegal fishing.', source: '我市严厉打击非法捕捞。' }], { glossary });
    assert.deepEqual(found.map((f) => f.check), ['glossaryForbidden']);
  });

  test('whole words only', () => {
    assert.deepEqual(spans('glossaryForbidden', ['Workers strike harder bargains.'], { glossary }), []);
  });
});

describe('sentence length', () => {
  const long = `The council said ${Array.from({ length: 70 }, (_, i) => `item${i}`).join(' ')} were approved.`;

  test('longer than the limit (default 60 words)', () => {
    const found = run([long]).filter((f) => f.check === 'length');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /has 75 words \(limit 60\)/);
  });

  test('the limit is configurable', () => {
    assert.equal(run([long], {}, { maxSentenceWords: 100 }).filter((f) => f.check === 'length').length, 0);
    assert.equal(run(['One two three four five six.'], {}, { maxSentenceWords: 5 }).filter((f) => f.check === 'length').length, 1);
  });
});

describe('configuration', () => {
  test('a check can be switched off or given another severity', () => {
    const text = 'He read the the report.';
    assert.equal(run([text], {}, { checks: { repeats: { enabled: false } } }).length, 0);
    assert.deepEqual(run([text], {}, { checks: { repeats: { severity: 'error' } } }).map((f) => f.severity), ['error']);
  });

  test('defaults and bad values', () => {
    assert.equal(DEFAULT_QA_CONFIG.maxSentenceWords, 60);
    assert.equal(DEFAULT_QA_CONFIG.checks.script.severity, 'error');
    assert.throws(() => resolveQaConfig({ maxSentenceWords: 0 }), /maxSentenceWords must be a positive whole number/);
    assert.throws(() => resolveQaConfig({ checks: { nope: { enabled: false } } as QaConfigInput['checks'] }), /unknown QA check "nope"/);
    assert.throws(() => resolveQaConfig({ checks: { quotes: { severity: 'fatal' as 'error' } } }), /quotes\.severity must be info, warning or error/);
  });

  test('findings come ordered by paragraph and position', () => {
    const found = run(['A  b ”c“.', 'd the the e.']);
    const keys = found.map((f) => [f.paragraphIndex, f.start]);
    assert.deepEqual(keys, [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
  });
});

test('splitSentences keeps abbreviations, decimals and ellipses inside sentences', () => {
  assert.deepEqual(
    splitSentences('Mr. Smith paid $3.5 million at 10 a.m. on Friday... then left. The U.S. Senate agreed!').map((s) => s.text),
    ['Mr. Smith paid $3.5 million at 10 a.m. on Friday... then left.', 'The U.S. Senate agreed!'],
  );
});
