import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { prng } from '../../scripts/lib/prng';
import {
  DIFF_LIMITS,
  articleStats,
  compareWithMt,
  diffParagraph,
  paragraphStats,
  tokenizeWords,
  type EditStats,
  type ParagraphDiff,
} from '../../shared/textDiff';


function side(diff: ParagraphDiff, which: 'before' | 'after'): string {
  const skip = which === 'before' ? 'ins' : 'del';
  return diff.parts
    .filter((p) => p.op !== skip)
    .map((p) => p.text)
    .join('');
}

function assertWellFormed(diff: ParagraphDiff, before: string, after: string): void {
  assert.equal(side(diff, 'before'), before, 'eq + del must rebuild the old text');
  assert.equal(side(diff, 'after'), after, 'eq + ins must rebuild the new text');
  diff.parts.forEach((part, i) => {
    assert.notEqual(part.text, '', `part ${i} is empty`);
    assert.deepEqual(Object.keys(part).sort(), ['op', 'text'], 'parts carry op and text only');
    if (i > 0) assert.notEqual(part.op, diff.parts[i - 1]!.op, `parts ${i - 1} and ${i} share an op`);
  });
}

function stats(mtWords: number, words: number, inserted: number, deleted: number, substituted: number, editRate: number): EditStats {
  return { mtWords, words, inserted, deleted, substituted, editDistance: inserted + deleted + substituted, editRate };
}


describe('DIFF_LIMITS', () => {
  test('has sensible, frozen defaults', () => {
    assert.deepEqual({ ...DIFF_LIMITS }, { maxEditLength: 2000, maxWork: 1_000_000, maxTokens: 20_000 });
    assert.equal(Object.isFrozen(DIFF_LIMITS), true);
  });
});

describe('tokenizeWords', () => {
  test('words and punctuation, whitespace dropped', () => {
    assert.deepEqual(tokenizeWords('  Hello,   world!\n\tBye. '), ['Hello', ',', 'world', '!', 'Bye', '.']);
  });

  test('contractions, hyphenated words and numbers stay whole', () => {
    assert.deepEqual(tokenizeWords("The state-owned firm's profit rose 3.5% to $1,000,000 at 10:30 — don't panic."), [
      'The',
      'state-owned',
      "firm's",
      'profit',
      'rose',
      '3.5',
      '%',
      'to',
      '$',
      '1,000,000',
      'at',
      '10:30',
      '—',
      "don't",
      'panic',
      '.',
    ]);
  });

  test('trailing apostrophes, dashes and sentence dots split off', () => {
    assert.deepEqual(tokenizeWords("players' well--known end.Next"), ['players', "'", 'well', '-', '-', 'known', 'end', '.', 'Next']);
  });

  test('each CJK character is a token; CJK punctuation too', () => {
    assert.deepEqual(tokenizeWords('我们的城市。'), ['我', '们', '的', '城', '市', '。']);
    assert.deepEqual(tokenizeWords('コーヒーを飲む'), ['コ', 'ー', 'ヒ', 'ー', 'を', '飲', 'む']);
    assert.deepEqual(tokenizeWords('東京2025年'), ['東', '京', '2025', '年']);
  });

  test('non-Latin alphabets and combining marks form whole words', () => {
    assert.deepEqual(tokenizeWords('Привет, мир!'), ['Привет', ',', 'мир', '!']);
    assert.deepEqual(tokenizeWords('Καλημέρα κόσμε'), ['Καλημέρα', 'κόσμε']);
    assert.deepEqual(tokenizeWords('नमस्ते दुनिया'), ['नमस्ते', 'दुनिया']);
    assert.deepEqual(tokenizeWords('e\u0301te\u0301 café'), ['e\u0301te\u0301', 'café']);
    assert.deepEqual(tokenizeWords('안녕하세요 세계'), ['안녕하세요', '세계']);
  });

  test('no-break, ideographic and zero-width spaces separate tokens', () => {
    assert.deepEqual(tokenizeWords('a\u00A0b\u3000c\u200Bd\uFEFFe'), ['a', 'b', 'c', 'd', 'e']);
  });

  test('empty and blank text have no tokens', () => {
    assert.deepEqual(tokenizeWords(''), []);
    assert.deepEqual(tokenizeWords(' \n\t\u00A0'), []);
  });
});

describe('diffParagraph', () => {
  test('identical text is one eq part, without diffing', () => {
    assert.deepEqual(diffParagraph('Same text.', 'Same text.'), { parts: [{ op: 'eq', text: 'Same text.' }], truncated: false });
  });

  test('two empty strings give no parts', () => {
    assert.deepEqual(diffParagraph('', ''), { parts: [], truncated: false });
  });

  test('from and to empty', () => {
    assert.deepEqual(diffParagraph('', 'New text.'), { parts: [{ op: 'ins', text: 'New text.' }], truncated: false });
    assert.deepEqual(diffParagraph('Old text.', ''), { parts: [{ op: 'del', text: 'Old text.' }], truncated: false });
  });

  test('a deleted word takes one of its spaces with it', () => {
    assert.deepEqual(diffParagraph('foo bar baz', 'foo baz').parts, [
      { op: 'eq', text: 'foo ' },
      { op: 'del', text: 'bar ' },
      { op: 'eq', text: 'baz' },
    ]);
  });

  test('a replaced word keeps the surrounding spaces unchanged', () => {
    assert.deepEqual(diffParagraph('foo bar baz', 'foo qux baz').parts, [
      { op: 'eq', text: 'foo ' },
      { op: 'del', text: 'bar' },
      { op: 'ins', text: 'qux' },
      { op: 'eq', text: ' baz' },
    ]);
  });

  test('changes are whole words, never parts of words', () => {
    assert.deepEqual(diffParagraph('The cat sat.', 'The car sat.').parts, [
      { op: 'eq', text: 'The ' },
      { op: 'del', text: 'cat' },
      { op: 'ins', text: 'car' },
      { op: 'eq', text: ' sat.' },
    ]);
  });

  test('Cyrillic words are diffed as words', () => {
    assert.deepEqual(diffParagraph('Привет мир сегодня', 'Привет всем сегодня').parts, [
      { op: 'eq', text: 'Привет ' },
      { op: 'del', text: 'мир' },
      { op: 'ins', text: 'всем' },
      { op: 'eq', text: ' сегодня' },
    ]);
  });

  test('a whitespace-only change shows as a whitespace part', () => {
    assert.deepEqual(diffParagraph('a  b', 'a b').parts, [
      { op: 'eq', text: 'a ' },
      { op: 'del', text: ' ' },
      { op: 'eq', text: 'b' },
    ]);
  });

  test('adjacent changes merge into one del and one ins', () => {
    assert.deepEqual(diffParagraph('Our city will strike hard', 'Our town shall crack down').parts, [
      { op: 'eq', text: 'Our ' },
      { op: 'del', text: 'city will strike hard' },
      { op: 'ins', text: 'town shall crack down' },
    ]);
  });

  test('removing ". smoothly." and a duplicated "the"', () => {
    const a = 'The talks went smoothly. smoothly.';
    const b = 'The talks went smoothly.';
    const d = diffParagraph(a, b);
    assertWellFormed(d, a, b);
    assert.equal(d.parts.filter((p) => p.op === 'del').map((p) => p.text.trim()).join(''), 'smoothly.');
    const e = diffParagraph('the the cat', 'the cat');
    assertWellFormed(e, 'the the cat', 'the cat');
    assert.deepEqual(e.parts, [
      { op: 'eq', text: 'the ' },
      { op: 'del', text: 'the ' },
      { op: 'eq', text: 'cat' },
    ]);
  });

  test('the result is plain JSON (no jsdiff change objects)', () => {
    const d = diffParagraph('one two three', 'one 2 three');
    assert.deepEqual(JSON.parse(JSON.stringify(d)), d);
    assertWellFormed(d, 'one two three', 'one 2 three');
  });

  test('hitting maxEditLength records a whole replacement', () => {
    assert.deepEqual(diffParagraph('a b c d', 'w x y z', { maxEditLength: 3 }), {
      parts: [
        { op: 'del', text: 'a b c d' },
        { op: 'ins', text: 'w x y z' },
      ],
      truncated: true,
    });
  });

  test('a whole replacement omits an empty side', () => {
    assert.deepEqual(diffParagraph('', 'w x y z', { maxEditLength: 1 }), {
      parts: [{ op: 'ins', text: 'w x y z' }],
      truncated: true,
    });
  });

  test('more than maxTokens tokens is recorded as a whole replacement, however small the change', () => {
    const before = 'word '.repeat(50).trim();
    const after = `${before} more`;
    assert.equal(tokenizeWords(after).length, 51);
    assert.deepEqual(diffParagraph(before, after, { maxTokens: 51 }).truncated, false);
    assert.deepEqual(diffParagraph(before, after, { maxTokens: 50 }), {
      parts: [
        { op: 'del', text: before },
        { op: 'ins', text: after },
      ],
      truncated: true,
    });
  });

  test('bad bounds are rejected', () => {
    assert.throws(() => diffParagraph('a', 'b', { maxEditLength: 0 }), RangeError);
    assert.throws(() => diffParagraph('a', 'b', { maxWork: -1 }), RangeError);
    assert.throws(() => diffParagraph('a', 'b', { maxWork: 0 }), RangeError);
    assert.throws(() => diffParagraph('a', 'b', { maxTokens: Number.NaN }), RangeError);
  });

  describe('50 KB paragraphs', () => {
    const rand = prng(50);
    const vocabA = ['government', 'announced', 'measures', 'against', 'fishing', 'coastal', 'villages', 'minister'];
    const vocabB = ['storm', 'flooded', 'roads', 'near', 'harbour', 'residents', 'evacuated', 'overnight'];
    const build = (vocab: string[]): string => {
      const words: string[] = [];
      let length = 0;
      while (length < 50_000) {
        const w = vocab[Math.floor(rand() * vocab.length)]!;
        words.push(w);
        length += w.length + 1;
      }
      return words.join(' ');
    };
    const before = build(vocabA);
    const rewritten = build(vocabB);

    test('a full rewrite comes back truncated as del + ins', () => {
      assert.ok(before.length >= 50_000 && rewritten.length >= 50_000);
      assert.deepEqual(diffParagraph(before, rewritten), {
        parts: [
          { op: 'del', text: before },
          { op: 'ins', text: rewritten },
        ],
        truncated: true,
      });
    });

    test('the work bound is applied when the other bounds are lifted', () => {
      const d = diffParagraph(before, rewritten, { maxEditLength: Infinity, maxTokens: Infinity, maxWork: 1_000_000 });
      assert.equal(d.truncated, true);
      assert.equal(d.parts.length, 2);
    });

    test('a one-word change in a long paragraph is diffed exactly', () => {
      const words = before.split(' ');
      words[1000] = 'REPLACED';
      const after = words.join(' ');
      const d = diffParagraph(before, after);
      assert.equal(d.truncated, false);
      assertWellFormed(d, before, after);
      assert.deepEqual(
        d.parts.filter((p) => p.op !== 'eq'),
        [
          { op: 'del', text: before.split(' ')[1000]! },
          { op: 'ins', text: 'REPLACED' },
        ],
      );
    });

    test('stats of a truncated full rewrite count whole replacement', () => {
      const mtWords = tokenizeWords(before).length;
      const words = tokenizeWords(rewritten).length;
      const s = paragraphStats(before, rewritten);
      const sub = Math.min(mtWords, words);
      assert.deepEqual(
        s,
        stats(mtWords, words, Math.max(0, words - mtWords), Math.max(0, mtWords - words), sub, Math.round((Math.max(mtWords, words) / mtWords) * 1e4) / 1e4),
      );
    });
  });

  describe('property: parts rebuild both texts exactly', () => {
    const rand = prng(20240611);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
    const WORDS = [
      'the', 'The', 'city', 'will', 'crack', 'down', 'on', 'illegal', 'fishing', 'state-owned', "don't",
      '3.5', '1,000', ',', '.', '!', '?', '—', '"', '(', ')', '我们', '城市', '。', 'Привет', 'мир', 'café', 'e\u0301',
    ];
    const SPACES = [' ', ' ', ' ', '  ', '\n', '\t', '\u00A0', '\u200B', ''];
    const CHARS = ['a', 'Z', ' ', '.', ',', '\n', '市', 'й', '-', "'", '\u0301', '😀'];

    const randomText = (): string => {
      const n = Math.floor(rand() * 30);
      let s = rand() < 0.2 ? pick(SPACES) : '';
      for (let i = 0; i < n; i++) s += pick(WORDS) + pick(SPACES);
      return s;
    };

    const edit = (text: string): string => {
      const words = text.split(/(\s+)/u);
      const edits = 1 + Math.floor(rand() * 5);
      let out = words;
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * (out.length + 1));
        const kind = Math.floor(rand() * 6);
        if (kind === 0) out.splice(at, 0, pick(WORDS), ' ');
        else if (kind === 1) out.splice(at, 1);
        else if (kind === 2) out.splice(at, 1, pick(WORDS));
        else if (kind === 3) out.splice(at, 1, pick(SPACES));
        else if (kind === 4) out = out.slice().reverse();
        else {
          // Raw character edits produce cases no word-level edit would, e.g. splitting a word.
          const flat = out.join('');
          const pos = Math.floor(rand() * (flat.length + 1));
          const cut = rand() < 0.5 ? 0 : 1 + Math.floor(rand() * 3);
          out = [flat.slice(0, pos) + pick(CHARS) + flat.slice(pos + cut)];
        }
      }
      return out.join('');
    };

    const levenshtein = (a: string[], b: string[]): number => {
      let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
      for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) {
          cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        prev = cur;
      }
      return prev[b.length]!;
    };

    test('over 400 seeded random edits', () => {
      for (let n = 0; n < 400; n++) {
        const before = randomText();
        const after = rand() < 0.1 ? randomText() : edit(before);
        const label = `case ${n}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`;
        const d = diffParagraph(before, after);
        assert.equal(d.truncated, false, label);
        assertWellFormed(d, before, after);
        assertWellFormed(diffParagraph(after, before), after, before);

        const s = paragraphStats(before, after);
        const a = tokenizeWords(before);
        const b = tokenizeWords(after);
        assert.equal(s.mtWords, a.length, label);
        assert.equal(s.words, b.length, label);
        assert.equal(s.inserted - s.deleted, s.words - s.mtWords, label);
        assert.equal(s.editDistance, s.inserted + s.deleted + s.substituted, label);
        assert.ok(s.editDistance >= levenshtein(a, b), `${label}: below the Levenshtein distance`);
        assert.ok(s.editDistance <= Math.max(a.length, b.length), `${label}: above a whole rewrite`);
        assert.equal(s.editDistance === 0, a.join('\u0000') === b.join('\u0000'), label);
        assert.deepEqual(compareWithMt(before, after), { diff: d, stats: s }, label);
      }
    });

    test('truncated results rebuild both texts too', () => {
      for (let n = 0; n < 100; n++) {
        const before = randomText();
        const after = edit(before);
        assertWellFormed(diffParagraph(before, after, { maxEditLength: 1 }), before, after);
      }
    });
  });
});

describe('paragraphStats', () => {
  test('hand-checked: "Our city will strike hard…" → "The city will crack down…"', () => {
    // MT: Our city will strike hard against illegal fishing = 8 tokens; text: 8 tokens.
    // Kept: city will … illegal fishing. "Our"→"The" = 1 substitution;
    // "strike hard against"→"crack down on" = 3 substitutions. 4 / 8 = 0.5.
    assert.deepEqual(
      paragraphStats('Our city will strike hard against illegal fishing', 'The city will crack down on illegal fishing'),
      stats(8, 8, 0, 0, 4, 0.5),
    );
  });

  test('the same example with default bounds', () => {
    assert.deepEqual(
      paragraphStats('Our city will strike hard against illegal fishing', 'The city will crack down on illegal fishing'),
      stats(8, 8, 0, 0, 4, 0.5),
    );
  });

  test('"the the": a doubled word removed or added', () => {
    // the the cat sat (4) → the cat sat (3): 1 deletion, 1/4.
    assert.deepEqual(paragraphStats('the the cat sat', 'the cat sat'), stats(4, 3, 0, 1, 0, 0.25));
    // the cat (2) → the the cat (3): 1 insertion, 1/2.
    assert.deepEqual(paragraphStats('the cat', 'the the cat'), stats(2, 3, 1, 0, 0, 0.5));
    // the the the (3) → the (1): 2 deletions, 2/3 = 0.6667.
    assert.deepEqual(paragraphStats('the the the', 'the'), stats(3, 1, 0, 2, 0, 0.6667));
  });

  test('CJK counts characters', () => {
    // MT 我们的城市将严厉打击非法捕鱼。 = 15 tokens; text 本市将严厉打击非法捕捞。 = 12.
    // Kept: 市将严厉打击非法捕 + 。 (10). 我们的城 → 本: 1 substitution + 3 deletions;
    // 鱼 → 捞: 1 substitution. 5 / 15 = 0.3333.
    assert.deepEqual(paragraphStats('我们的城市将严厉打击非法捕鱼。', '本市将严厉打击非法捕捞。'), stats(15, 12, 0, 3, 2, 0.3333));
  });

  test('punctuation edits count as tokens', () => {
    // The talks went smoothly . smoothly . (7) → The talks went smoothly . (5): 2 deletions, 2/7.
    assert.deepEqual(paragraphStats('The talks went smoothly. smoothly.', 'The talks went smoothly.'), stats(7, 5, 0, 2, 0, 0.2857));
    // However the plan failed . (5) → However , the plan failed . (6): 1 insertion, 1/5.
    assert.deepEqual(paragraphStats('However the plan failed.', 'However, the plan failed.'), stats(5, 6, 1, 0, 0, 0.2));
    // "," → ";": 1 substitution over 5 tokens.
    assert.deepEqual(paragraphStats('Yes, we can.', 'Yes; we can.'), stats(5, 5, 0, 0, 1, 0.2));
  });

  test('case changes are substitutions; whitespace changes are not edits', () => {
    assert.deepEqual(paragraphStats('in paris today', 'in Paris today'), stats(3, 3, 0, 0, 1, 0.3333));
    assert.deepEqual(paragraphStats('in  Paris\ntoday ', 'in Paris today'), stats(3, 3, 0, 0, 0, 0));
  });

  test('identical text has no edits', () => {
    assert.deepEqual(paragraphStats('A quiet day in Paris.', 'A quiet day in Paris.'), stats(6, 6, 0, 0, 0, 0));
  });

  test('empty texts', () => {
    assert.deepEqual(paragraphStats('', ''), stats(0, 0, 0, 0, 0, 0));
    assert.deepEqual(paragraphStats('', 'A new paragraph.'), stats(0, 4, 4, 0, 0, 1));
    assert.deepEqual(paragraphStats('An old paragraph.', ''), stats(4, 0, 0, 4, 0, 1));
    assert.deepEqual(paragraphStats('   ', '\n'), stats(0, 0, 0, 0, 0, 0));
  });

  test('a text longer than the MT can exceed an edit rate of 1', () => {
    // a (1) → x y z (3): 1 substitution + 2 insertions = 3 / 1.
    assert.deepEqual(paragraphStats('a', 'x y z'), stats(1, 3, 2, 0, 1, 3));
  });

  test('reordering never costs more than a whole rewrite', () => {
    // p q c → c r s: the alignment keeps "c" and costs 2 deletions + 2 insertions = 4,
    // more than rewriting all 3 tokens, so it counts as 3 substitutions, 3/3.
    assert.deepEqual(paragraphStats('p q c', 'c r s'), stats(3, 3, 0, 0, 3, 1));
    // a b c d → c d a b: LCS keeps "c d" (2 del + 2 ins = 4) — the same as a rewrite (4 subs): the alignment is kept.
    assert.deepEqual(paragraphStats('a b c d', 'c d a b'), stats(4, 4, 2, 2, 0, 1));
  });

  test('hitting the bound counts a whole replacement', () => {
    // a b c d e → x b c d y needs 4 single-token edits; with a bound of 2 it counts as
    // rewritten: 5 substitutions, 5/5. Unbounded it is 2 substitutions, 2/5.
    assert.deepEqual(paragraphStats('a b c d e', 'x b c d y', { maxEditLength: 2 }), stats(5, 5, 0, 0, 5, 1));
    assert.deepEqual(paragraphStats('a b c d e', 'x b c d y'), stats(5, 5, 0, 0, 2, 0.4));
    // a b c d (4) → x y (2) over the bound: 2 substitutions + 2 deletions.
    assert.deepEqual(paragraphStats('a b c d', 'x y', { maxTokens: 3 }), stats(4, 2, 0, 2, 2, 1));
  });
});

describe('compareWithMt', () => {
  test('gives the diff and the stats of one alignment', () => {
    const mt = 'Our city will strike hard against illegal fishing';
    const text = 'The city will crack down on illegal fishing';
    assert.deepEqual(compareWithMt(mt, text), {
      diff: {
        parts: [
          { op: 'del', text: 'Our' },
          { op: 'ins', text: 'The' },
          { op: 'eq', text: ' city will ' },
          { op: 'del', text: 'strike hard against' },
          { op: 'ins', text: 'crack down on' },
          { op: 'eq', text: ' illegal fishing' },
        ],
        truncated: false,
      },
      stats: stats(8, 8, 0, 0, 4, 0.5),
    });
  });

  test('unchanged and truncated cases agree with the separate functions', () => {
    assert.deepEqual(compareWithMt('Same.', 'Same.'), {
      diff: { parts: [{ op: 'eq', text: 'Same.' }], truncated: false },
      stats: stats(2, 2, 0, 0, 0, 0),
    });
    assert.deepEqual(compareWithMt('a b c d e', 'x b c d y', { maxEditLength: 2 }), {
      diff: diffParagraph('a b c d e', 'x b c d y', { maxEditLength: 2 }),
      stats: stats(5, 5, 0, 0, 5, 1),
    });
  });
});

describe('articleStats', () => {
  test('sums paragraphs and weighs the rate by MT length', () => {
    const result = articleStats(
      [
        { mt: 'Our city will strike hard against illegal fishing', text: 'The city will crack down on illegal fishing' },
        { mt: 'Hello world.', text: 'Hello world.' },
        { mt: '', text: 'A new paragraph.' },
        { mt: 'Spacing  only.', text: 'Spacing only.' },
      ],
    );
    // mtWords 8 + 3 + 0 + 3 = 14; words 8 + 3 + 4 + 3 = 18; 4 substitutions, 4 insertions.
    // editRate = 8 / 14 = 0.5714. The whitespace-only paragraph is not "changed".
    assert.deepEqual(result, { ...stats(14, 18, 4, 0, 4, 0.5714), paragraphsChanged: 2 });
  });

  test('no paragraphs', () => {
    assert.deepEqual(articleStats([]), { ...stats(0, 0, 0, 0, 0, 0), paragraphsChanged: 0 });
  });

  test('only new paragraphs: MT is empty, rate is 1', () => {
    assert.deepEqual(articleStats([{ mt: '', text: 'Brand new.' }]), { ...stats(0, 3, 3, 0, 0, 1), paragraphsChanged: 1 });
  });

  test('unchanged article', () => {
    assert.deepEqual(
      articleStats([
        { mt: 'One.', text: 'One.' },
        { mt: 'Two three.', text: 'Two three.' },
      ]),
      { ...stats(5, 5, 0, 0, 0, 0), paragraphsChanged: 0 },
    );
  });
});
