import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { APPROVAL_GATE_REFUSAL_STATUS } from '../../server/http/outcomes';
import { confirmationHolds, decideApprovalGate, describeOpen, submitWarnings } from '../../shared/gates';

const err = { paragraphIndex: 2, check: 'numbers', message: 'The MT has 12, the text has 21.' };
const comment = { id: 7, paragraphIndex: null, body: 'Check the headline.' };

describe('approval gate', () => {
  test('nothing open passes and records no override, even when one is sent', () => {
    assert.deepEqual(decideApprovalGate({ openErrors: [], openComments: [] }), { ok: true, override: null });
    assert.deepEqual(decideApprovalGate({ openErrors: [], openComments: [], override: { reason: 'x' } }), { ok: true, override: null });
  });

  test('an open error or an unresolved comment blocks the approval, listing them', () => {
    for (const open of [{ openErrors: [err], openComments: [] }, { openErrors: [], openComments: [comment] }]) {
      const d = decideApprovalGate(open);
      assert.equal(d.ok, false);
      if (d.ok) return;
      assert.equal(d.code, 'approval_blocked');
      assert.equal('status' in d, false, 'the policy speaks of the domain, not of HTTP');
      assert.deepEqual(d.openErrors, open.openErrors);
      assert.deepEqual(d.openComments, open.openComments);
    }
  });

  test('a blank reason is refused; a reason passes and is trimmed with the counts', () => {
    const blank = decideApprovalGate({ openErrors: [err], openComments: [comment], override: { reason: '   ' } });
    assert.equal(blank.ok, false);
    assert.equal(!blank.ok && blank.code, 'override_reason_required');
    const d = decideApprovalGate({ openErrors: [err, err], openComments: [comment], override: { reason: '  The figure is right: the source was corrected. ' } });
    assert.deepEqual(d, { ok: true, override: { reason: 'The figure is right: the source was corrected.', openErrors: 2, openComments: 1 } });
  });

  test('the HTTP layer answers a blocked approval with 409 and a blank reason with 400', () => {
    assert.equal(APPROVAL_GATE_REFUSAL_STATUS.approval_blocked, 409);
    assert.equal(APPROVAL_GATE_REFUSAL_STATUS.override_reason_required, 400);
  });

  test('the message names what is open, in words', () => {
    assert.equal(describeOpen(1, 0), '1 open error finding');
    assert.equal(describeOpen(2, 1), '2 open error findings and 1 unresolved comment');
    const d = decideApprovalGate({ openErrors: [], openComments: [comment, comment] });
    assert.match(!d.ok ? d.message : '', /2 unresolved comments/);
  });
});

describe('submit warnings', () => {
  test('none when everything is confirmed and no error is open', () => {
    assert.deepEqual(submitWarnings({ unconfirmed: [], openErrors: 0 }), []);
  });
  test('one line per reason, singular and plural', () => {
    assert.deepEqual(submitWarnings({ unconfirmed: [3], openErrors: 1 }), ['1 paragraph is not confirmed.', '1 error finding is open.']);
    assert.deepEqual(submitWarnings({ unconfirmed: [-1, 0, 4], openErrors: 0 }), ['3 paragraphs are not confirmed.']);
  });
});

describe('confirmation rule', () => {
  test('holds only while the confirmed text is the current text', () => {
    assert.equal(confirmationHolds('The mayor spoke.', 'The mayor spoke.'), true);
    assert.equal(confirmationHolds('The mayor spoke.', 'The mayor spoke. '), false);
    assert.equal(confirmationHolds('café', 'cafe\u0301'), false);
  });
});
