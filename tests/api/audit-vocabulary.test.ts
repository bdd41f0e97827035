import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { recordAudit, SYSTEM_ACTOR } from '../../server/services/audit';
import { hasSummary } from '../../server/services/auditSummary';
import { AUDIT_ENTITIES, definedAuditActions } from '../../server/services/auditVocabulary';
import { PROJECT_ROOT } from '../../server/projectRoot';
import { createTestContext, type TestContext } from '../helpers/app';

// The audit log's filters offer what the server records: the route table's
// actions, the non-route ones, and anything already stored.

let t: TestContext;

before(async () => {
  t = await createTestContext();
  await t.makeUser('audrey', 'auditor');
  await t.makeUser('eddie', 'editor');
});
after(() => t.drop());

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    // policy/ names permissions (`action: 'article.submit'` in the workflow rules), not audit events.
    if (e.isDirectory()) return e.name === 'generated' || e.name === 'policy' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** The `action: '…'` and `entity: '…'` literals written anywhere in the server's code. */
function literals(key: 'action' | 'entity'): Map<string, string> {
  const found = new Map<string, string>();
  const re = key === 'action' ? /\baction: '([a-z_]+\.[a-z_]+)'/g : /\bentity: '([a-z_]+)'/g;
  for (const file of sources(path.join(PROJECT_ROOT, 'server'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(re)) found.set(m[1], path.relative(PROJECT_ROOT, file));
  }
  return found;
}

test('every audit action and entity written in the server code is in the vocabulary', () => {
  const actions = new Set(definedAuditActions(t.app.locals.routeTable));
  const actionLiterals = literals('action');
  assert.ok(actionLiterals.size >= 15, `found only ${actionLiterals.size} action literals: is the scan still right?`);
  const missing = [...actionLiterals].filter(([a]) => !actions.has(a)).map(([a, f]) => `${a} (${f})`);
  assert.deepEqual(missing, [], 'add these to NON_ROUTE_AUDIT_ACTIONS or declare them on their route');
  const entityLiterals = literals('entity');
  const missingEntities = [...entityLiterals].filter(([e]) => !(AUDIT_ENTITIES as readonly string[]).includes(e)).map(([e, f]) => `${e} (${f})`);
  assert.deepEqual(missingEntities, [], 'add these to AUDIT_ENTITIES');
});

test('every audit action the server writes has its own line in the text report', () => {
  const missing = definedAuditActions(t.app.locals.routeTable).filter((a) => !hasSummary(a));
  assert.deepEqual(missing, [], 'add a summary to server/services/auditSummary.ts');
});

test('GET /api/audit-events/vocabulary answers the definitions plus what is stored, sorted', async () => {
  await t.db.$transaction((tx) => recordAudit(tx, SYSTEM_ACTOR, { action: 'legacy.renamed_action', entity: 'legacy_thing', entityId: 1 }));
  const auditor = await t.loginAs('audrey');
  const res = await auditor.get('/api/audit-events/vocabulary');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const { actions, entities } = res.body as { actions: string[]; entities: string[] };
  for (const a of ['article.save', 'article.bulk_replace', 'user.disable', 'comment.reopen', 'article.import', 'export.batch', 'permission.denied', 'auth.login', 'auth.login_failed']) assert.ok(actions.includes(a), a);
  assert.ok(actions.includes('legacy.renamed_action'), 'a stored action no longer defined stays filterable');
  assert.ok(entities.includes('glossary') && entities.includes('import_batch') && entities.includes('legacy_thing'));
  assert.deepEqual(actions, [...actions].sort());
  assert.equal(new Set(actions).size, actions.length);
  // Every action actually in the log (the logins above wrote some) is offered.
  const stored = await t.db.auditEvent.findMany({ distinct: ['action'], select: { action: true } });
  for (const s of stored) assert.ok(actions.includes(s.action), s.action);
});

test('only those who read the audit log get the vocabulary', async () => {
  const eddie = await t.loginAs('eddie');
  assert.equal((await eddie.get('/api/audit-events/vocabulary')).status, 403);
});
