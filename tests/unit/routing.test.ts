import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assigneeAfterSave, assigneeAfterTransition } from '../../server/policy/routing';

test('a save claims an unassigned article for its author (edit and restore), never by bulk replace', () => {
  assert.equal(assigneeAfterSave({ kind: 'edit', current: null, actorId: 7 }), 7);
  assert.equal(assigneeAfterSave({ kind: 'restore', current: null, actorId: 7 }), 7);
  assert.equal(assigneeAfterSave({ kind: 'bulk_replace', current: null, actorId: 7 }), null);
});

test('a save keeps an existing assignee, and an explicit assignment wins', () => {
  assert.equal(assigneeAfterSave({ kind: 'edit', current: 3, actorId: 7 }), 3);
  assert.equal(assigneeAfterSave({ kind: 'edit', current: 3, requested: null, actorId: 7 }), null);
  assert.equal(assigneeAfterSave({ kind: 'edit', current: null, requested: 9, actorId: 7 }), 9);
});

test('requesting changes hands the article to the last editor when they can still edit', () => {
  assert.equal(assigneeAfterTransition({ transition: 'requestChanges', current: 2, lastEditor: { id: 5, canEdit: true } }), 5);
  assert.equal(assigneeAfterTransition({ transition: 'requestChanges', current: 2, lastEditor: { id: 5, canEdit: false } }), 2);
  assert.equal(assigneeAfterTransition({ transition: 'requestChanges', current: null, lastEditor: null }), null);
  for (const transition of ['submit', 'approve', 'archive', 'unarchive']) {
    assert.equal(assigneeAfterTransition({ transition, current: 2, lastEditor: { id: 5, canEdit: true } }), 2, transition);
  }
});
