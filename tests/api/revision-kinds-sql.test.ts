// The SQL built in server/db/sql/revisionKinds.ts must say what the pure rule in
// shared/revisionKinds.ts says, for every revision kind and every shape of
// "last approval": none, one naming its revision, one recorded without a revision.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Prisma, queryRows } from '../../server/db/client';
import { authorsSinceApprovalSql, editedByPersonSql } from '../../server/db/sql/revisionKinds';
import { authorsSinceApproval, isHumanAuthored, REVISION_KINDS, type AuthoredRevision, type LastApproval } from '../../shared/revisionKinds';
import { authorsSinceLastApproval } from '../../server/services/articleRecord';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { makeArticle } from '../helpers/factories';

let t: TestDatabase;
let authorId: number;
let approverId: number;

before(async () => {
  t = await createTestDatabase();
  authorId = (await t.db.user.create({ data: { username: 'writer', displayName: 'Writer', role: 'editor', passwordHash: 'x' } })).id;
  approverId = (await t.db.user.create({ data: { username: 'approver', displayName: 'Approver', role: 'reviewer', passwordHash: 'x' } })).id;
});
after(() => t.drop());

async function addRevision(articleId: number, number: number, kind: (typeof REVISION_KINDS)[number], author: number | null, createdAt: Date) {
  return t.db.revision.create({
    data: { articleId, number, kind, authorId: author, title: 'T', paragraphs: [], diffs: [], stats: {}, createdAt },
    select: { id: true, number: true, kind: true, authorId: true, createdAt: true },
  });
}

async function sqlAnswers(articleId: number): Promise<{ authors: number[]; edited: boolean }> {
  const id = Prisma.sql`${articleId}::int`;
  const [row] = await queryRows<{ authors: number[]; edited: boolean }>(t.db, Prisma.sql`SELECT ${authorsSinceApprovalSql(id)} AS authors, ${editedByPersonSql(id)} AS edited`);
  return { authors: [...row.authors].sort(), edited: row.edited };
}

type Approval = 'none' | 'with revision' | 'without revision';

describe('revision kinds: the SQL agrees with the pure rule', () => {
  for (const kind of REVISION_KINDS) {
    for (const withAuthor of [true, false]) {
      for (const approval of ['none', 'with revision', 'without revision'] as Approval[]) {
        for (const approvedAfter of approval === 'none' ? [false] : [false, true]) {
          const name = `${kind}, ${withAuthor ? 'with' : 'without'} author, approval ${approval}${approval === 'none' ? '' : approvedAfter ? ' after it' : ' before it'}`;
          test(name, async () => {
            const a = await makeArticle(t.db);
            const base = Date.now() - 60_000;
            const revisions: AuthoredRevision[] = [{ number: 1, kind: 'import', authorId: null, createdAt: new Date(base) }];
            let last: LastApproval | null = null;
            const approve = async (revisionId: number | null, revisionNumber: number | null, at: Date) => {
              await t.db.statusChange.create({ data: { articleId: a.id, fromStatus: 'in_review', toStatus: 'approved', actorId: approverId, revisionId, createdAt: at } });
              last = { revisionNumber: approval === 'with revision' ? revisionNumber : null, createdAt: at };
            };
            if (approval !== 'none' && approvedAfter === false) await approve(approval === 'with revision' ? a.revisionId : null, 1, new Date(base + 1000));
            const r = await addRevision(a.id, 2, kind, withAuthor ? authorId : null, new Date(base + 2000));
            revisions.push(r);
            if (approval !== 'none' && approvedAfter) await approve(approval === 'with revision' ? r.id : null, 2, new Date(base + 3000));

            const expected = authorsSinceApproval(revisions, last);
            const got = await sqlAnswers(a.id);
            assert.deepEqual(got.authors, expected.sort(), 'authors since the last approval');
            assert.deepEqual(await authorsSinceLastApproval(t.db, a.id), expected, 'the service reads the same rule');
            assert.equal(got.edited, revisions.some((x) => isHumanAuthored(x.kind)), 'edited by a person');
          });
        }
      }
    }
  }

  test('the rule counts exactly edit, restore, bulk_replace and review as written by people', () => {
    assert.deepEqual(REVISION_KINDS.filter(isHumanAuthored), ['edit', 'restore', 'bulk_replace', 'review']);
  });

  test('every enum value of the database is a known kind', async () => {
    const rows = await queryRows<{ v: string }>(t.db, Prisma.sql`SELECT unnest(enum_range(NULL::"RevisionKind"))::text AS v`);
    assert.deepEqual(rows.map((r) => r.v).sort(), [...REVISION_KINDS].sort());
  });
});
