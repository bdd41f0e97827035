import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzImportParsers, outcomeProblem } from '../../scripts/fuzz';

// A fixed seed keeps `npm test` deterministic; `npm run fuzz` explores new seeds.
const SEED = Number(process.env.COPYDESK_FUZZ_SEED ?? 20261121);

test('import parsers: 150 hostile inputs × every format end in ImportInputError or valid articles', async () => {
  const report = await fuzzImportParsers({ runs: 150, seed: SEED, timeoutMs: 10_000 });
  assert.equal(report.failure, undefined, `seed ${report.seed}: ${JSON.stringify(report.failure, null, 1)}`);
  assert.equal(report.runs, 150);
  assert.equal(report.parses, 150 * 6);
  // The mix must reach both outcomes, or the generators have gone blind.
  assert.ok(report.inputErrors > 100, `only ${report.inputErrors} inputs were refused`);
  assert.ok(report.articles > 0, 'no generated input was accepted');
  for (const kind of ['random-bytes', 'invalid-utf8', 'truncated', 'mutated', 'malformed', 'huge-line', 'deep-nesting']) {
    assert.ok((report.kinds[kind] ?? 0) > 0, `no ${kind} case was generated`);
  }
});

test('the fuzz oracle rejects crashes, hangs, anonymous errors and invalid articles', () => {
  const file = '/tmp/case-1.json';
  assert.equal(outcomeProblem({ kind: 'input-error', message: `${file}:3: title: expected a non-empty string` }, file), undefined);
  assert.equal(outcomeProblem({ kind: 'articles', count: 2 }, file), undefined);
  assert.match(outcomeProblem({ kind: 'other-error', name: 'RangeError', message: 'Maximum call stack size exceeded' }, file) ?? '', /threw RangeError/);
  assert.match(outcomeProblem({ kind: 'timeout' }, file) ?? '', /hang/);
  assert.match(outcomeProblem({ kind: 'input-error', message: 'title: expected a non-empty string' }, file) ?? '', /does not start with the file name/);
  assert.match(outcomeProblem({ kind: 'articles', count: 1, problem: 'no paragraphs' }, file) ?? '', /invalid article/);
});
