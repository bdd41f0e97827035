import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, isRole, type Role } from '../../shared/roles';
import { ACTIONS, PERMISSIONS, actionsFor, can, isAction, type Action } from '../../shared/permissions';

const Y = true;
const N = false;

// Written out by hand from the product rules; never derive it from the module under test.
//                                        editor reviewer auditor admin
const EXPECTED: Record<Action, [boolean, boolean, boolean, boolean]> = {
  'article.read':                         [Y, Y, Y, Y],
  'article.edit':                         [Y, Y, N, Y],
  'article.assign.self':                  [Y, Y, N, Y],
  'article.assign.any':                   [N, Y, N, Y],
  'article.submit':                       [Y, Y, N, Y],
  'article.approve':                      [N, Y, N, Y],
  'article.requestChanges':               [N, Y, N, Y],
  'article.archive':                      [N, N, N, Y],
  'article.unarchive':                    [N, N, N, Y],
  'article.restoreRevision':              [Y, Y, N, Y],
  'article.export':                       [N, N, N, Y],
  'comment.create':                       [Y, Y, N, Y],
  'comment.resolve':                      [Y, Y, N, Y],
  'revision.read':                        [Y, Y, Y, Y],
  'audit.read':                           [N, N, Y, Y],
  'user.read':                            [N, N, Y, Y],
  'user.manage':                          [N, N, N, Y],
  'import.read':                          [N, N, Y, Y],
  'export.read':                          [N, N, Y, Y],
  'glossary.read':                        [Y, Y, Y, Y],
  'glossary.manage':                      [N, Y, N, Y],
  'analytics.read':                       [N, N, Y, Y],
  'bulkReplace.run':                      [N, Y, N, Y],
};

const ROLE_COLUMNS: Role[] = ['editor', 'reviewer', 'auditor', 'admin'];

const WRITE_ACTIONS: Action[] = [
  'article.edit',
  'article.assign.self',
  'article.assign.any',
  'article.submit',
  'article.approve',
  'article.requestChanges',
  'article.archive',
  'article.unarchive',
  'article.restoreRevision',
  'article.export',
  'comment.create',
  'comment.resolve',
  'user.manage',
  'glossary.manage',
  'bulkReplace.run',
];

describe('roles', () => {
  test('ROLES lists the four roles', () => {
    assert.deepEqual([...ROLES], ['editor', 'reviewer', 'auditor', 'admin']);
  });

  test('isRole accepts roles and rejects anything else', () => {
    for (const role of ROLE_COLUMNS) assert.equal(isRole(role), true);
    for (const value of ['Admin', 'root', '', null, undefined, 1, {}]) assert.equal(isRole(value), false);
  });
});

describe('permission matrix', () => {
  test('the table covers exactly the actions the module defines', () => {
    assert.deepEqual([...ACTIONS].sort(), Object.keys(EXPECTED).sort());
    assert.deepEqual(Object.keys(PERMISSIONS).sort(), Object.keys(EXPECTED).sort());
  });

  for (const [action, row] of Object.entries(EXPECTED) as [Action, boolean[]][]) {
    ROLE_COLUMNS.forEach((role, column) => {
      const expected = row[column];
      test(`${role} ${expected ? 'may' : 'may not'} ${action}`, () => {
        assert.equal(can(role, action), expected);
      });
    });
  }

  test('auditor can do no write action', () => {
    for (const action of WRITE_ACTIONS) assert.equal(can('auditor', action), false, action);
  });

  test('auditor can do every read action', () => {
    const reads = ACTIONS.filter((a) => !WRITE_ACTIONS.includes(a));
    assert.ok(reads.length > 0);
    for (const action of reads) assert.equal(can('auditor', action), true, action);
  });

  test('admin can do everything', () => {
    for (const action of ACTIONS) assert.equal(can('admin', action), true, action);
  });

  test('actionsFor lists what a role may do, in ACTIONS order', () => {
    assert.deepEqual(actionsFor('editor'), [
      'article.read',
      'article.edit',
      'article.assign.self',
      'article.submit',
      'article.restoreRevision',
      'comment.create',
      'comment.resolve',
      'revision.read',
      'glossary.read',
    ]);
    assert.deepEqual(actionsFor('admin'), [...ACTIONS]);
  });

  test('unknown actions and roles from untyped input are denied', () => {
    assert.equal(can('admin', 'constructor' as unknown as Action), false);
    assert.equal(can('admin', 'article.delete' as unknown as Action), false);
    assert.equal(can('root' as unknown as Role, 'article.read'), false);
    assert.equal(isAction('article.read'), true);
    assert.equal(isAction('toString'), false);
  });

  test('the matrix cannot be changed at run time', () => {
    assert.throws(() => {
      (PERMISSIONS as Record<string, readonly Role[]>)['article.archive'] = ['editor'];
    }, TypeError);
    assert.throws(() => {
      (PERMISSIONS['article.archive'] as Role[]).push('editor');
    }, TypeError);
    assert.equal(can('editor', 'article.archive'), false);
  });
});
