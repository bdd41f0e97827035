// Every relative link in README.md and docs/ resolves: the file exists and,
// when the link names an anchor, a heading of that file produces it. The
// README stays a page that fits on a screen; the manual lives in docs/.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');
const README_MAX_LINES = 250;

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return markdownFiles(full);
    return name.endsWith('.md') ? [full] : [];
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^(```|~~~)/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.+)$/.exec(line);
    if (heading) anchors.add(anchorOf(heading[1]!));
  }
  return anchors;
}

/** Relative link targets of a Markdown file (inline links and images, outside code). */
function linksOf(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((href) => !/^[a-z]+:/i.test(href));
}

const files = [path.join(ROOT, 'README.md'), ...markdownFiles(path.join(ROOT, 'docs'))];

test('anchorOf follows GitHub: punctuation dropped, spaces become hyphens', () => {
  assert.equal(anchorOf('Quality checks, glossary, analytics'), 'quality-checks-glossary-analytics');
  assert.equal(anchorOf('Why Prisma 6.19 with the JS engine'), 'why-prisma-619-with-the-js-engine');
  assert.equal(anchorOf('`npm run audit` and checkpoints'), 'npm-run-audit-and-checkpoints');
});

for (const file of files) {
  test(`every relative link in ${path.relative(ROOT, file)} resolves`, () => {
    const broken: string[] = [];
    for (const href of linksOf(file)) {
      const [target, anchor] = href.split('#') as [string, string | undefined];
      const resolved = target === '' ? file : path.resolve(path.dirname(file), decodeURI(target));
      if (!existsSync(resolved)) broken.push(`${href}: no such file`);
      else if (anchor && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) broken.push(`${href}: no heading makes #${anchor}`);
    }
    assert.deepEqual(broken, []);
  });
}

test(`README.md fits on a screen (at most ${README_MAX_LINES} lines)`, () => {
  const lines = readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').length;
  assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines`);
});
