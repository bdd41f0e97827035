// The list's q filter takes one of two paths (server/db/sql/articleList.ts):
// a search with at most SEARCH_GATHER_LIMIT matches gathers them in one
// statement; a larger one pages and counts like any other filter. Both must
// give the same pages, totals and order; checked here on either side of the
// limit, against the same rows read straight from the tables.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SEARCH_GATHER_LIMIT } from '../../server/db/sql/articleList';
import { createTestContext, type TestContext } from '../helpers/app';

let t: TestContext;
type Agent = Awaited<ReturnType<TestContext['loginAs']>>;
let editor: Agent;

const STATUSES = ['mt_draft', 'in_edit', 'in_review', 'changes_requested', 'approved', 'exported', 'archived'];

before(async () => {
  t = await createTestContext();
  const assignee = await t.makeUser('edna', 'editor');
  editor = await t.loginAs('edna');
  // Articles 1…LIMIT+1 all say "kelpfarm"; 1…LIMIT also say "seagrass"; every 100th says "mooring".
  // Update times repeat every 500 articles, so sorting needs its id tie-break; titles repeat every 7.
  await t.query(
    `INSERT INTO articles ("externalId", "contentHash", title, "mtTitle", status, "assigneeId", "editRate", "searchText", "updatedAt")
     SELECT 'kelp-' || g, encode(sha256(convert_to('kelp-' || g, 'UTF8')), 'hex'), 'Harbour note ' || (g % 7), 'Harbour note ' || (g % 7),
            ($2::text[])[1 + g % 7]::"ArticleStatus", CASE WHEN g % 3 = 0 THEN $3::int END, (g % 10) / 10.0,
            'The kelpfarm report' || CASE WHEN g <= $1 THEN ' on seagrass' ELSE '' END || CASE WHEN g % 100 = 0 THEN ' and a mooring' ELSE '' END,
            timestamptz '2026-11-01T00:00:00Z' + interval '1 minute' * (g % 500)
       FROM generate_series(1, $1 + 1) AS g`,
    [SEARCH_GATHER_LIMIT, STATUSES, assignee],
  );
});
after(() => t.drop());

async function list(query: Record<string, unknown>) {
  const q = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, JSON.stringify(v)]));
  const res = await editor.get('/api/articles').query(q);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { ids: (res.body as Array<{ id: number }>).map((r) => r.id), range: res.headers['content-range'] as string, body: res.body as Array<Record<string, unknown>> };
}

/** The expected ids, from the tables: `where` on articles a, ordered by `order` then id. */
async function expected(where: string, order: string, dir: 'ASC' | 'DESC', values: unknown[] = []): Promise<number[]> {
  const { rows } = await t.query<{ id: number }>(`SELECT a.id FROM articles a WHERE ${where} ORDER BY a.${order} ${dir}, a.id ${dir}`, values);
  return rows.map((r) => r.id);
}

const has = (word: string) => `a."searchText" LIKE '%${word}%'`;

test('the limit lies between the two searches: one gathered, one paged like any filter', async () => {
  assert.equal((await list({ filter: { q: 'seagrass' }, range: [0, 0] })).range, `articles 0-0/${SEARCH_GATHER_LIMIT}`);
  assert.equal((await list({ filter: { q: 'kelpfarm' }, range: [0, 0] })).range, `articles 0-0/${SEARCH_GATHER_LIMIT + 1}`);
});

for (const word of ['seagrass', 'kelpfarm', 'mooring']) {
  test(`q=${word}: first, middle and last pages, by updatedAt, title, status and editRate, in both directions`, async () => {
    for (const [field, column] of [['updatedAt', '"updatedAt"'], ['title', 'title'], ['status', 'status'], ['editRate', '"editRate"']] as const) {
      for (const dir of ['DESC', 'ASC'] as const) {
        const all = await expected(has(word), column, dir);
        for (const start of [0, Math.floor(all.length / 2), all.length - 3]) {
          const page = await list({ filter: { q: word }, sort: [field, dir], range: [start, start + 24] });
          assert.deepEqual(page.ids, all.slice(start, start + 25), `${word} ${field} ${dir} from ${start}`);
          assert.equal(page.range, `articles ${start}-${start + page.ids.length - 1}/${all.length}`, `${word} ${field} ${dir} from ${start}`);
        }
      }
    }
  });
}

test('q with other filters: status and assignee narrow the matches, and the total counts only those', async () => {
  const statuses = ['in_edit', 'approved'];
  const all = await expected(`${has('kelpfarm')} AND a.status::text = ANY($1) AND a."assigneeId" IS NOT NULL`, '"updatedAt"', 'DESC', [statuses]);
  const page = await list({ filter: { q: 'kelpfarm', status: statuses, assigneeId: 'me' }, range: [0, 24] });
  assert.deepEqual(page.ids, all.slice(0, 25));
  assert.equal(page.range, `articles 0-24/${all.length}`);
});

test('a page past the last match answers an empty page with the true total, on both paths', async () => {
  for (const [word, total] of [['mooring', 20], ['seagrass', SEARCH_GATHER_LIMIT], ['kelpfarm', SEARCH_GATHER_LIMIT + 1]] as const) {
    const page = await list({ filter: { q: word }, range: [5000, 5024] });
    assert.deepEqual(page.ids, [], word);
    assert.equal(page.range, `articles 5000-5000/${total}`, word);
  }
  const none = await list({ filter: { q: 'walrus' } });
  assert.deepEqual(none.ids, []);
  assert.equal(none.range, 'articles 0-0/0');
});

test('both paths answer the same row fields, the assignee name included', async () => {
  const gathered = (await list({ filter: { q: 'mooring', assigneeId: 'me' }, range: [0, 0] })).body[0];
  const paged = (await list({ filter: { q: 'kelpfarm' }, range: [0, 24] })).body.find((r) => r.assigneeId !== null);
  assert.ok(paged);
  assert.deepEqual(Object.keys(gathered).sort(), Object.keys(paged).sort());
  assert.equal(gathered.assigneeName, paged.assigneeName);
  assert.equal(typeof gathered.status, 'string');
});
