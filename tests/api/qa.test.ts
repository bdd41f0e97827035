import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import type { Finding } from '../../server/policy/qa';
import { qaErrorsFor } from '../../server/services/qa';
import { transitionArticle, type ApprovalQaCheck } from '../../server/services/transitions';
import type { UserActor } from '../../server/auth/context';
import { createTestContext, type TestContext } from '../helpers/app';
import { makeArticle } from '../helpers/factories';

type Agent = ReturnType<typeof request.agent>;
let t: TestContext;
let editor: Agent;
let auditor: Agent;
let reviewerId: number;

before(async () => {
  t = await createTestContext();
  await t.makeUser('ed', 'editor');
  await t.makeUser('audrey', 'auditor');
  reviewerId = await t.makeUser('rita', 'reviewer');
  editor = await t.loginAs('ed');
  auditor = await t.loginAs('audrey');
  await t.db.glossaryEntry.create({ data: { term: 'crack down', preferred: 'crack down', forbidden: ['strike hard'], sourceTerm: '严厉打击' } });
});
after(() => t.drop());

const MT = [
  { mt: 'Our city launches a campaign to strike hard against illegal fishing. smoothly.', source: '我市开展严厉打击非法捕捞专项行动。' },
  { mt: 'The city seized 1.3 ten thousand meters of nets and 47 boats.', source: '全市查获非法网具1.3万米、船只47艘。' },
  { mt: 'The mayor said: ”we will not stop“.', source: '市长说：“我们不会停止。”' },
];

test('GET /api/articles/:id/qa checks the current text against the MT, the source and the glossary', async () => {
  const a = await makeArticle(t.db, { title: 'QA article', paragraphs: MT, sourceLang: 'zh', targetLang: 'en' });
  const res = await auditor.get(`/api/articles/${a.id}/qa`);
  assert.equal(res.status, 200);
  const summary = (res.body.findings as Finding[]).map((f) => `${f.paragraphIndex} ${f.check} ${f.severity} ${MT[f.paragraphIndex].mt.slice(f.start, f.end)}`);
  assert.deepEqual(summary, [
    '0 glossaryForbidden error strike hard',
    '0 fragments warning  smoothly.',
    '1 numberFormat warning 1.3 ten thousand',
    '2 quotes error ”',
    '2 quotes error “',
  ]);

  // The editor fixes the text, but changes a number: the finding follows the current text.
  const saved = await editor.put(`/api/articles/${a.id}`).send({
    version: a.version,
    paragraphs: [
      { index: 0, text: 'Our city launches a campaign to crack down on illegal fishing.' },
      { index: 1, text: 'The city seized 13,000 metres of nets and 74 boats.' },
      { index: 2, text: 'The mayor said: “We will not stop.”' },
    ],
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const after = (await editor.get(`/api/articles/${a.id}/qa`)).body.findings as Finding[];
  assert.deepEqual(after.map((f) => [f.paragraphIndex, f.check, f.severity, f.message]), [
    [1, 'numbers', 'warning', 'The MT and the source have “47” (47), which is not in the text.'],
    [1, 'numbers', 'warning', '“74” (74) is not in the MT or the source.'],
  ]);
});

test('qaErrorsFor returns only error findings, and plugs into the approval hook', async () => {
  const a = await makeArticle(t.db, { title: 'QA approval', paragraphs: MT, status: 'in_review' });
  const errors = await qaErrorsFor(t.db, a.id);
  assert.deepEqual(errors.map((f) => f.check), ['glossaryForbidden', 'quotes', 'quotes']);
  assert.ok(errors.every((f) => f.severity === 'error'));

  const hook: ApprovalQaCheck = qaErrorsFor;
  const rita: UserActor = { id: reviewerId, username: 'rita', displayName: 'Rita', role: 'reviewer', ip: null };
  await assert.rejects(
    transitionArticle(t.db, a.id, { to: 'approved', note: null, version: a.version }, rita, { fourEyes: true, qaBlocksApproval: true, qaCheck: hook }),
    (err: { status?: number; code?: string }) => err.status === 409 && err.code === 'qa_failed',
  );
  assert.equal((await t.db.article.findUniqueOrThrow({ where: { id: a.id } })).status, 'in_review');

  const clean = await makeArticle(t.db, { title: 'QA clean', paragraphs: ['The council approved the budget on Monday.'], status: 'in_review' });
  assert.deepEqual(await qaErrorsFor(t.db, clean.id), []);
  const approved = await transitionArticle(t.db, clean.id, { to: 'approved', note: null, version: clean.version }, rita, { fourEyes: true, qaBlocksApproval: true, qaCheck: hook });
  assert.equal(approved.status, 'approved');
});

test('an unknown article is a 404; anonymous callers are refused', async () => {
  assert.equal((await editor.get('/api/articles/999999/qa')).status, 404);
  assert.equal((await request(t.app).get('/api/articles/1/qa')).status, 401);
});

test('the title is checked too: its findings have paragraphIndex -1, follow edits and block approval', async () => {
  const a = await makeArticle(t.db, { title: 'City to strike hard on illegal fishing', paragraphs: ['The city acted against illegal fishing on Monday.'], status: 'in_review' });
  const before = (await editor.get(`/api/articles/${a.id}/qa`)).body.findings as Finding[];
  assert.deepEqual(before.map((f) => [f.paragraphIndex, f.check, 'City to strike hard on illegal fishing'.slice(f.start, f.end), f.suggestion]), [[-1, 'glossaryForbidden', 'strike hard', 'crack down']]);
  assert.deepEqual((await qaErrorsFor(t.db, a.id)).map((f) => [f.paragraphIndex, f.check]), [[-1, 'glossaryForbidden']]);

  const saved = await editor.put(`/api/articles/${a.id}`).send({ version: a.version, title: 'City to crack down on illegal fishing' });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.deepEqual((await editor.get(`/api/articles/${a.id}/qa`)).body.findings, []);
});

test('a Roman numeral in the MT and the ordinal an editor writes for it are the same number', async () => {
  const a = await makeArticle(t.db, { title: 'Plenum report', paragraphs: [{ mt: 'The XIX Central Committee held its twentieth meeting.', source: null }] });
  const saved = await editor.put(`/api/articles/${a.id}`).send({ version: a.version, paragraphs: [{ index: 0, text: 'The 19th Central Committee held its 20th meeting.' }] });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.deepEqual((await editor.get(`/api/articles/${a.id}/qa`)).body.findings, []);
  // A number that really differs is still reported.
  const changed = await editor.put(`/api/articles/${a.id}`).send({ version: saved.body.version, paragraphs: [{ index: 0, text: 'The 18th Central Committee held its 20th meeting.' }] });
  assert.equal(changed.status, 200);
  const findings = (await editor.get(`/api/articles/${a.id}/qa`)).body.findings as Finding[];
  assert.deepEqual(findings.map((f) => f.message), ['“18th” (18) is not in the MT.']);
});
