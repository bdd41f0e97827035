import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Parser } from 'commonmark';
import fc from 'fast-check';
import { escapeMarkdown, unescapeMarkdown } from '../../server/services/export/render';

/** The text a CommonMark renderer shows for `md`, with any markup it recognised named in angle brackets. */
function renderedText(md: string): string {
  const walker = new Parser().parse(md).walker();
  let out = '';
  for (let e = walker.next(); e; e = walker.next()) {
    const n = e.node;
    if (!e.entering) continue;
    if (n.type === 'text') out += n.literal;
    else if (n.type === 'softbreak' || n.type === 'linebreak') out += '\n';
    else if (n.type !== 'document' && n.type !== 'paragraph') out += `<${n.type}>`;
  }
  return out;
}

const pieces = fc.oneof(
  fc.constantFrom(...'ab1 \t\n\r\f\v\u00a0\u3000\u2028#>-+*_`[]()<>&;!\\|~=.)0123456789:/xé中'.split('')),
  fc.constantFrom('&amp;', '&copy;', '&#x41;', '&#65;', '```', '~~~', '    ', '  \n', '1. ', '1) ', '<http://x.y>', '<b>', '***', '---', '===', '[a]: /u', '![i](x)', '\\*', '  '),
  fc.string({ maxLength: 3 }),
);
const paragraph = fc.array(pieces, { minLength: 1, maxLength: 30 }).map((a) => a.join('').replace(/\0/g, ''));

describe('Markdown export escaping', () => {
  test('the issue’s examples render as written, not as entities', () => {
    for (const text of ['R&amp;D', '&copy; AFP', 'Code &#x41;', '# not a heading', '1. not a list', '    not code', 'two  ', '<b>bold</b>', '`x`', '~~~', 'a | b']) {
      assert.equal(renderedText(escapeMarkdown(text)), text, text);
    }
    assert.equal(escapeMarkdown('Plain text, 3.5% up.'), 'Plain text, 3.5% up.');
  });

  test('property: CommonMark renders the escaped paragraph as exactly the paragraph text, and unescaping gives it back', () => {
    fc.assert(
      fc.property(paragraph, (text) => {
        const md = escapeMarkdown(text);
        assert.equal(renderedText(md), text);
        assert.equal(unescapeMarkdown(md), text);
      }),
      { numRuns: 3000 },
    );
  });

  test('the whole export renders each paragraph as one paragraph', () => {
    const texts = ['- a', '> b', '# c', '=== d', 'e\n---'];
    const md = texts.map(escapeMarkdown).join('\n\n');
    const doc = new Parser().parse(md);
    const kinds: string[] = [];
    for (let n = doc.firstChild; n; n = n.next) kinds.push(n.type);
    assert.deepEqual(kinds, texts.map(() => 'paragraph'));
  });
});
