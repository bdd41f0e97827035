import { isPermissionRefusal, TRANSITION_REFUSAL_STATUS } from '../../server/http/outcomes';
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { type Role } from '../../shared/roles';
import {
  STATUSES,
  TRANSITIONS,
  allowedTransitions,
  decideExport,
  decideTransition,
  isArticleStatus,
  statusAfterSave,
  type ArticleStatus,
  type TransitionContext,
} from '../../shared/workflow';

// Written out by hand; the module under test must not be used to build expectations.
const ALL_STATUSES: ArticleStatus[] = [
  'mt_draft',
  'in_edit',
  'in_review',
  'changes_requested',
  'approved',
  'exported',
  'archived',
];
const ALL_ROLES: Role[] = ['editor', 'reviewer', 'auditor', 'admin'];
const WRITERS: Role[] = ['editor', 'reviewer', 'admin'];
const REVIEWERS: Role[] = ['reviewer', 'admin'];
const ADMIN: Role[] = ['admin'];

type Name = 'submit' | 'approve' | 'requestChanges' | 'archive' | 'unarchive';

/** Every (from, to, roles) a user may request. Everything else must be refused. */
const ALLOW_LIST: { from: ArticleStatus; to: ArticleStatus; roles: Role[]; name: Name }[] = [
  { from: 'in_edit', to: 'in_review', roles: WRITERS, name: 'submit' },
  { from: 'changes_requested', to: 'in_review', roles: WRITERS, name: 'submit' },
  { from: 'in_review', to: 'changes_requested', roles: REVIEWERS, name: 'requestChanges' },
  { from: 'in_review', to: 'approved', roles: REVIEWERS, name: 'approve' },
  { from: 'mt_draft', to: 'archived', roles: ADMIN, name: 'archive' },
  { from: 'in_edit', to: 'archived', roles: ADMIN, name: 'archive' },
  { from: 'in_review', to: 'archived', roles: ADMIN, name: 'archive' },
  { from: 'changes_requested', to: 'archived', roles: ADMIN, name: 'archive' },
  { from: 'approved', to: 'archived', roles: ADMIN, name: 'archive' },
  { from: 'exported', to: 'archived', roles: ADMIN, name: 'archive' },
  { from: 'archived', to: 'in_edit', roles: ADMIN, name: 'unarchive' },
];

function expectedAllowed(from: ArticleStatus, role: Role): ArticleStatus[] {
  return ALL_STATUSES.filter((to) => ALLOW_LIST.some((e) => e.from === from && e.to === to && e.roles.includes(role)));
}

const ACTOR = 7;
const OTHER = 8;

function ctx(overrides: Partial<TransitionContext> & Pick<TransitionContext, 'from' | 'to' | 'role'>): TransitionContext {
  return {
    actorId: ACTOR,
    note: 'Please tighten the second paragraph.',
    authorsSinceLastApproval: [OTHER],
    fourEyes: true,
    ...overrides,
  };
}

describe('statuses', () => {
  test('STATUSES lists the seven statuses in workflow order', () => {
    assert.deepEqual([...STATUSES], ALL_STATUSES);
  });

  test('isArticleStatus accepts statuses only', () => {
    for (const s of ALL_STATUSES) assert.equal(isArticleStatus(s), true);
    for (const v of ['draft', 'IN_EDIT', '', null, 3]) assert.equal(isArticleStatus(v), false);
  });
});

describe('decideTransition: every from × to × role', () => {
  for (const from of ALL_STATUSES) {
    for (const to of ALL_STATUSES) {
      for (const role of ALL_ROLES) {
        const entry = ALLOW_LIST.find((e) => e.from === from && e.to === to);
        const allowed = entry?.roles.includes(role) ?? false;
        test(`${role}: ${from} → ${to} is ${allowed ? 'allowed' : 'refused'}`, () => {
          const decision = decideTransition(ctx({ from, to, role }));
          if (allowed) {
            assert.deepEqual(decision, { ok: true, name: entry!.name });
            return;
          }
          assert.equal(decision.ok, false);
          if (decision.ok) return;
          if (entry) {
            assert.equal(decision.code, 'forbidden');
          } else {
            assert.equal(decision.code, 'invalid_transition');
          }
          assert.deepEqual(decision.allowed, expectedAllowed(from, role));
        });
      }
    }
  }
});

describe('allowedTransitions', () => {
  for (const from of ALL_STATUSES) {
    for (const role of ALL_ROLES) {
      test(`${role} from ${from}`, () => {
        assert.deepEqual(allowedTransitions(from, role), expectedAllowed(from, role));
      });
    }
  }

  test('spot checks written out in full', () => {
    assert.deepEqual(allowedTransitions('in_review', 'reviewer'), ['changes_requested', 'approved']);
    assert.deepEqual(allowedTransitions('in_review', 'admin'), ['changes_requested', 'approved', 'archived']);
    assert.deepEqual(allowedTransitions('in_edit', 'editor'), ['in_review']);
    assert.deepEqual(allowedTransitions('mt_draft', 'editor'), []);
    assert.deepEqual(allowedTransitions('approved', 'reviewer'), []);
    assert.deepEqual(allowedTransitions('archived', 'admin'), ['in_edit']);
    for (const from of ALL_STATUSES) assert.deepEqual(allowedTransitions(from, 'auditor'), []);
  });
});

describe('refusal messages', () => {
  test('an invalid transition names from, to and the allowed targets', () => {
    const d = decideTransition(ctx({ from: 'in_edit', to: 'approved', role: 'editor' }));
    assert.equal(d.ok, false);
    if (d.ok) return;
    assert.match(d.message, /in_edit/);
    assert.match(d.message, /approved/);
    assert.match(d.message, /Allowed from in_edit: in_review\./);
    assert.deepEqual(d.allowed, ['in_review']);
  });

  test('an invalid transition with no allowed targets says none', () => {
    const d = decideTransition(ctx({ from: 'approved', to: 'in_review', role: 'auditor' }));
    assert.equal(d.ok, false);
    if (d.ok) return;
    assert.match(d.message, /Allowed from approved: none\./);
    assert.deepEqual(d.allowed, []);
  });

  test('an untouched MT draft cannot be submitted', () => {
    for (const role of ALL_ROLES) {
      const d = decideTransition(ctx({ from: 'mt_draft', to: 'in_review', role }));
      assert.equal(d.ok, false);
      if (d.ok) continue;
      assert.equal(d.code, 'invalid_transition');
      assert.match(d.message, /edited before it is submitted/);
    }
  });

  test('nobody can request approved → exported; the export process does it', () => {
    for (const role of ALL_ROLES) {
      const d = decideTransition(ctx({ from: 'approved', to: 'exported', role }));
      assert.equal(d.ok, false);
      if (d.ok) continue;
      assert.match(d.message, /export run/);
    }
  });

  test('to === from is a 409 for every status and role', () => {
    for (const s of ALL_STATUSES) {
      for (const role of ALL_ROLES) {
        const d = decideTransition(ctx({ from: s, to: s, role }));
        assert.equal(d.ok, false);
        if (d.ok) continue;
        assert.equal(d.code, 'invalid_transition');
        assert.match(d.message, new RegExp(`already ${s}`));
      }
    }
  });

  test('a role without the permission gets 403 forbidden naming the role', () => {
    const d = decideTransition(ctx({ from: 'in_review', to: 'approved', role: 'editor' }));
    assert.equal(d.ok, false);
    if (d.ok) return;
    assert.equal(d.code, 'forbidden');
    assert.match(d.message, /editor/);
  });
});

describe('note requirement for requesting changes', () => {
  for (const note of [undefined, null, '', '   \n\t']) {
    test(`note ${JSON.stringify(note)} is refused with 400`, () => {
      const d = decideTransition(ctx({ from: 'in_review', to: 'changes_requested', role: 'reviewer', note }));
      assert.equal(d.ok, false);
      if (d.ok) return;
      assert.equal(d.code, 'note_required');
      assert.deepEqual(d.allowed, ['changes_requested', 'approved']);
    });
  }

  test('a real note is accepted', () => {
    const d = decideTransition(ctx({ from: 'in_review', to: 'changes_requested', role: 'reviewer', note: 'Fix the headline.' }));
    assert.deepEqual(d, { ok: true, name: 'requestChanges' });
  });

  test('permission is checked before the note', () => {
    const d = decideTransition(ctx({ from: 'in_review', to: 'changes_requested', role: 'editor', note: '' }));
    assert.equal(d.ok, false);
    if (d.ok) return;
  });

  test('other transitions do not need a note', () => {
    assert.deepEqual(decideTransition(ctx({ from: 'in_edit', to: 'in_review', role: 'editor', note: null })), {
      ok: true,
      name: 'submit',
    });
    assert.deepEqual(decideTransition(ctx({ from: 'in_review', to: 'approved', role: 'reviewer', note: undefined })), {
      ok: true,
      name: 'approve',
    });
  });
});

describe('four-eyes rule', () => {
  const approve = (role: Role, authors: number[], fourEyes: boolean) =>
    decideTransition(ctx({ from: 'in_review', to: 'approved', role, authorsSinceLastApproval: authors, fourEyes }));

  test('a reviewer who edited since the last approval cannot approve', () => {
    const d = approve('reviewer', [OTHER, ACTOR], true);
    assert.deepEqual(d, {
      ok: false,
      code: 'four_eyes',
      message:
        'You cannot approve this article because you edited it since the last approval (four-eyes rule). Another reviewer must approve it.',
      allowed: ['changes_requested', 'approved'],
    });
  });

  test('the rule binds admins too', () => {
    const d = approve('admin', [ACTOR], true);
    assert.equal(d.ok, false);
    if (d.ok) return;
    assert.equal(d.code, 'four_eyes');
  });

  test('another reviewer may approve', () => {
    assert.deepEqual(approve('reviewer', [OTHER], true), { ok: true, name: 'approve' });
  });

  test('no authors since import (system revisions only) allows approval', () => {
    assert.deepEqual(approve('reviewer', [], true), { ok: true, name: 'approve' });
  });

  test('with the switch off the author may approve', () => {
    assert.deepEqual(approve('reviewer', [ACTOR], false), { ok: true, name: 'approve' });
    assert.deepEqual(approve('admin', [ACTOR], false), { ok: true, name: 'approve' });
  });

  test('four-eyes does not stop the author requesting changes, submitting or archiving', () => {
    const authors = [ACTOR];
    assert.equal(decideTransition(ctx({ from: 'in_review', to: 'changes_requested', role: 'reviewer', authorsSinceLastApproval: authors })).ok, true);
    assert.equal(decideTransition(ctx({ from: 'in_edit', to: 'in_review', role: 'reviewer', authorsSinceLastApproval: authors })).ok, true);
    assert.equal(decideTransition(ctx({ from: 'in_review', to: 'archived', role: 'admin', authorsSinceLastApproval: authors })).ok, true);
  });

  test('permission is checked before four-eyes', () => {
    const d = approve('editor', [ACTOR], true);
    assert.equal(d.ok, false);
    if (d.ok) return;
    assert.equal(d.code, 'forbidden');
  });
});

describe('statusAfterSave', () => {
  const EXPECTED: Record<ArticleStatus, ArticleStatus | 'refused'> = {
    mt_draft: 'in_edit',
    in_edit: 'in_edit',
    in_review: 'in_review',
    changes_requested: 'changes_requested',
    approved: 'in_edit',
    exported: 'in_edit',
    archived: 'refused',
  };

  for (const from of ALL_STATUSES) {
    test(`a save on ${from} → ${EXPECTED[from]}`, () => {
      const result = statusAfterSave(from);
      if (EXPECTED[from] === 'refused') {
        assert.deepEqual(result, { ok: false, message: 'archived articles are read-only; unarchive first' });
      } else {
        assert.deepEqual(result, { ok: true, to: EXPECTED[from] });
      }
    });
  }
});

describe('decideExport (system transition)', () => {
  test('approved and exported articles export to exported', () => {
    assert.deepEqual(decideExport('approved'), { ok: true, to: 'exported' });
    assert.deepEqual(decideExport('exported'), { ok: true, to: 'exported' });
  });

  test('nothing else exports', () => {
    for (const from of ['mt_draft', 'in_edit', 'in_review', 'changes_requested', 'archived'] as const) {
      const r = decideExport(from);
      assert.equal(r.ok, false, from);
      if (!r.ok) assert.match(r.message, new RegExp(from));
    }
  });
});

describe('TRANSITIONS table', () => {
  test('is frozen', () => {
    assert.equal(Object.isFrozen(TRANSITIONS), true);
    for (const rule of TRANSITIONS) {
      assert.equal(Object.isFrozen(rule), true);
      assert.equal(Object.isFrozen(rule.from), true);
    }
  });
});

describe('refusals map to HTTP statuses in the HTTP layer', () => {
  test('each refusal has its status; permission refusals are the 403s', () => {
    assert.deepEqual({ ...TRANSITION_REFUSAL_STATUS }, { invalid_transition: 409, forbidden: 403, note_required: 400, four_eyes: 403 });
    assert.deepEqual(
      (Object.keys(TRANSITION_REFUSAL_STATUS) as (keyof typeof TRANSITION_REFUSAL_STATUS)[]).filter(isPermissionRefusal),
      ['forbidden', 'four_eyes'],
    );
  });
});
