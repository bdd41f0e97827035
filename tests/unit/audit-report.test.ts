import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diffParagraph } from '../../shared/textDiff';
import { parseDateBound } from '../../server/http/dateRange';
import { changesOf } from '../../server/services/auditReport';
import { renderDiff } from '../../server/services/auditReportText';
import { formatTime, hasSummary, summarize } from '../../server/services/auditSummary';
import { buildRevisionData } from '../../server/services/revisionData';

describe('renderDiff', () => {
  const diff = diffParagraph('The council approved the budget.', 'The council passed the budget.');

  test('marks insertions and deletions with [+ +] and [- -] without colour', () => {
    assert.equal(renderDiff(diff, { color: false }), 'The council [-approved-][+passed+] the budget.');
  });

  test('paints deletions red and insertions green with colour, and uses no markers', () => {
    assert.equal(renderDiff(diff, { color: true }), 'The council \u001b[31mapproved\u001b[0m\u001b[32mpassed\u001b[0m the budget.');
  });

  test('shortens long unchanged stretches around the change, and keeps short ones whole', () => {
    const head = 'Word '.repeat(30);
    const tail = ' and more'.repeat(20);
    const d = diffParagraph(`${head}old${tail}`, `${head}new${tail}`);
    const out = renderDiff(d, { color: false });
    assert.equal(out, `…${head.slice(-40)}[-old-][+new+]${tail.slice(0, 40)}…`);
  });

  test('keeps a paragraph on one line and shows a whole rewrite', () => {
    assert.equal(renderDiff(diffParagraph('a\nb', 'a\nc'), { color: false }), 'a ↵ [-b-][+c+]');
    assert.equal(renderDiff({ parts: [{ op: 'del', text: 'old text' }, { op: 'ins', text: 'new text' }], truncated: true }, { color: false }), '[-old text-][+new text+]');
  });
});

describe('changesOf', () => {
  test('lists the title and the paragraphs that changed against the previous revision, nothing else', () => {
    const mt = { title: 'Budget passes', paragraphs: ['One.', 'Two.', 'Three.'] };
    const prev = { title: 'Budget passes', paragraphs: ['One.', 'Two.', 'Three.'] };
    const next = { title: 'Budget approved', paragraphs: ['One.', 'Two!', 'Three.'] };
    const changes = changesOf(buildRevisionData(prev, next, mt).diffs);
    assert.deepEqual(
      changes.map((c) => [c.index, renderDiff(c.diff, { color: false })]),
      [
        [null, 'Budget [-passes-][+approved+]'],
        [1, 'Two[-.-][+!+]'],
      ],
    );
    assert.deepEqual(changesOf(buildRevisionData(null, mt, mt).diffs), [], 'revision 1 has no previous revision');
    assert.deepEqual(changesOf(null), []);
  });
});

describe('parseDateBound', () => {
  test('a bare date is the whole UTC day; a date-time is taken as given, UTC without an offset', () => {
    assert.equal(parseDateBound('2026-11-21', 'start')?.toISOString(), '2026-11-21T00:00:00.000Z');
    assert.equal(parseDateBound('2026-11-21', 'end')?.toISOString(), '2026-11-21T23:59:59.999Z');
    assert.equal(parseDateBound('2026-11-21T14:30', 'start')?.toISOString(), '2026-11-21T14:30:00.000Z');
    assert.equal(parseDateBound('2026-11-21 14:30:05.25+02:00', 'end')?.toISOString(), '2026-11-21T12:30:05.250Z');
  });

  test('refuses what is not a date', () => {
    for (const bad of ['2026-02-30', '2026-13-01', 'yesterday', '21/11/2026', '2026-11-21T25:00', '', '1700000000']) assert.equal(parseDateBound(bad, 'start'), null, bad);
  });
});

describe('text helpers', () => {
  test('formatTime prints UTC to the second', () => {
    assert.equal(formatTime(new Date('2026-11-21T09:05:07.999Z')), '2026-11-21 09:05:07 UTC');
  });

  test('summarize reads saves, transitions and exports, and lists other data as key=value', () => {
    assert.equal(summarize('article.save', { revisionId: 9, number: 3, editRate: 0.125, inserted: 2, deleted: 1, substituted: 4 }), ': revision 3, edit rate 12.5%, 2 inserted, 1 deleted, 4 substituted');
    assert.equal(summarize('article.transition', { from: 'in_review', to: 'approved', note: 'ok', revisionId: 9 }), ': in_review → approved "ok"');
    assert.equal(summarize('article.export', { batchId: 4, revisionNumber: 3, file: 'a.json', sha256: 'ab'.repeat(32) }), ': revision 3 → a.json sha256 abababababab… (export batch #4)');
    assert.equal(summarize('user.role_change', { username: 'eve', changes: { role: ['editor', 'reviewer'] } }), ': "eve": role "editor" → "reviewer"');
    assert.equal(summarize('legacy.action', { articleId: 3, count: 2, name: 'x' }), ': count=2, name="x"', 'an action this version does not know lists its data');
    assert.equal(summarize('auth.logout', {}), '');
  });
});

describe('event summaries', () => {
  test('paragraph confirmations name the paragraph or the title', () => {
    assert.equal(summarize('paragraph.confirm', { paragraphIndex: 2 }), ': ¶3 confirmed');
    assert.equal(summarize('paragraph.confirm', { paragraphIndex: -1 }), ': the title confirmed');
    assert.equal(summarize('paragraph.unconfirm', { paragraphIndex: 0 }), ': ¶1 no longer confirmed');
  });

  test('an approval over open findings names the override and its reason', () => {
    assert.equal(
      summarize('article.transition', { from: 'in_review', to: 'approved', note: null, revisionId: 9, override: { reason: 'Checked by phone.', openErrors: 1, openComments: 0 } }),
      ': in_review → approved; approved over 1 open error finding and 0 unresolved comments, reason "Checked by phone."',
    );
    assert.equal(summarize('article.transition', { from: 'in_review', to: 'changes_requested', note: 'Fix ¶2', assigneeFrom: 4, assigneeTo: 2 }), ': in_review → changes_requested "Fix ¶2"; assignee user #4 → user #2');
  });

  test('a review reads as what was accepted and rejected', () => {
    assert.equal(summarize('article.review', { since: 'submitted', reviewedRevisionId: 7, accepted: 4, rejected: 0 }), ': review of revision #7: 4 accepted, 0 rejected against the submitted revision');
  });

  test('the other actions read as words', () => {
    assert.equal(summarize('article.assign', { from: null, to: 5 }), ': assignee nobody → user #5');
    assert.equal(summarize('comment.update', { articleId: 1, edited: true, resolved: true }), ': text edited and resolved');
    assert.equal(summarize('glossary.update', { term: 'mayor', changes: { preferred: ['Mayor', 'mayor'] } }), ': "mayor": preferred "Mayor" → "mayor"');
    assert.equal(summarize('auth.login_failed', { username: 'eve', reason: 'bad_password' }), ': as "eve": bad password');
    assert.equal(summarize('permission.denied', { permission: 'user.manage', role: 'editor', url: '/api/users' }), ': the editor role lacks "user.manage" for /api/users');
    assert.equal(summarize('user.disable', { username: 'eve', changes: { disabled: [false, true] } }), ': "eve" disabled');
    assert.equal(summarize('auth.login', undefined), '');
    assert.equal(hasSummary('constructor'), false);
  });
});
