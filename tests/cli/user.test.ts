// `npm run user -- …` run as a real process against this file's database.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { runScript, spawnCommand, type ExitInfo } from '../helpers/spawn';

let t: TestContext;
before(async () => {
  t = await createTestContext();
  await t.makeUser('root', 'admin');
});
after(() => t.drop());

function user(args: string[], opts: { password?: string; input?: string } = {}): Promise<ExitInfo> {
  return runScript('scripts/user.ts', args, { env: { DATABASE_URL: t.url, COPYDESK_PASSWORD: opts.password }, input: opts.input });
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await t.query<{ n: number }>(`select count(*)::int as n from (${sql}) x`, params);
  return rows[0].n;
}

const login = (username: string, password: string) => request(t.app).post('/api/auth/login').send({ username, password });

describe('add', () => {
  test('creates a user with the password from COPYDESK_PASSWORD or from standard input; audited as the CLI', async () => {
    const [fromEnv, fromStdin] = await Promise.all([
      user(['add', 'alice', '--role', 'editor', '--name', 'Alice Adams'], { password: 'alice password 1' }),
      user(['add', 'Bruno', '--role=reviewer'], { input: 'bruno password 1\n' }),
    ]);
    assert.equal(fromEnv.code, 0, fromEnv.output);
    assert.match(fromEnv.stdout, /^Created editor "alice" \(id \d+\)\.\n$/);
    assert.equal(fromStdin.code, 0, fromStdin.output);
    assert.match(fromStdin.stdout, /Created reviewer "bruno"/);

    const a = await login('alice', 'alice password 1');
    assert.equal(a.status, 200);
    assert.deepEqual({ ...a.body, id: 0 }, { id: 0, username: 'alice', displayName: 'Alice Adams', role: 'editor' });
    assert.equal((await login('bruno', 'bruno password 1')).status, 200);

    const { rows } = await t.query<{ passwordHash: string }>(`select "passwordHash" from users where username = 'alice'`);
    assert.match(rows[0].passwordHash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const { rows: events } = await t.query<{ actorName: string; actorId: number | null; ip: string }>(
      `select "actorName", "actorId", ip from audit_events where action = 'user.create' and data->>'username' = 'alice'`,
    );
    assert.equal(events.length, 1);
    assert.equal(events[0].actorName, 'system');
    assert.equal(events[0].actorId, null);
    assert.match(events[0].ip, /^cli:/);
  });

  test('refuses a duplicate username, an unknown or missing role, a short or missing password: clear message, nonzero exit, nothing written', async () => {
    const users = await count('select 1 from users');
    const events = await count('select 1 from audit_events');
    const [duplicate, unknownRole, noRole, shortPassword, noPassword, badName] = await Promise.all([
      user(['add', 'ALICE', '--role', 'reviewer'], { password: 'another password' }),
      user(['add', 'carol', '--role', 'boss'], { password: 'carol password 1' }),
      user(['add', 'carol'], { password: 'carol password 1' }),
      user(['add', 'carol', '--role', 'editor'], { password: 'short' }),
      user(['add', 'carol', '--role', 'editor'], { input: '' }),
      user(['add', 'Carol Smith', '--role', 'editor'], { password: 'carol password 1' }),
    ]);
    assert.equal(duplicate.code, 1, duplicate.output);
    assert.equal(duplicate.stderr, 'error: username: "alice" is already taken.\n');
    assert.equal(unknownRole.code, 2);
    assert.equal(unknownRole.stderr, 'error: unknown role "boss"; expected one of: editor, reviewer, auditor, admin\n');
    assert.equal(noRole.code, 2);
    assert.match(noRole.stderr, /^error: a role is required \(one of: editor, reviewer, auditor, admin\)\nusage:/);
    assert.equal(shortPassword.code, 1);
    assert.equal(shortPassword.stderr, 'error: password: must be at least 10 characters long\n');
    assert.equal(noPassword.code, 2);
    assert.equal(noPassword.stderr, 'error: no password: set COPYDESK_PASSWORD or pipe the password on standard input\n');
    assert.equal(badName.code, 1);
    assert.match(badName.stderr, /^error: username: must be 2–64 characters/);
    for (const r of [duplicate, unknownRole, noRole, shortPassword, noPassword, badName]) assert.equal(r.stdout, '');
    assert.equal(await count('select 1 from users'), users);
    assert.equal(await count('select 1 from audit_events'), events);
    const { rows } = await t.query<{ role: string }>(`select role from users where username = 'alice'`);
    assert.equal(rows[0].role, 'editor');
  });
});

describe('at a terminal', () => {
  // `script` runs the command on a pseudo-terminal, as if typed in a shell.
  const atTerminal = (args: string) =>
    spawnCommand('script', ['-qfec', `${JSON.stringify(process.execPath)} --import tsx scripts/user.ts ${args}`, '/dev/null'], { env: { DATABASE_URL: t.url } });

  async function answer(p: ReturnType<typeof atTerminal>, prompt: RegExp, text: string): Promise<void> {
    await p.waitFor(prompt, 60_000);
    p.child.stdin.write(`${text}\r`);
  }

  test('the password is asked twice and never echoed; two different answers change nothing', async () => {
    const ok = atTerminal('add tina --role editor');
    const typo = atTerminal('add tom --role editor');
    await Promise.all([
      (async () => {
        await answer(ok, /Password: /, 'tina password 1');
        await answer(ok, /Repeat the password: /, 'tina password 1');
      })(),
      (async () => {
        await answer(typo, /Password: /, 'tom password 11');
        await answer(typo, /Repeat the password: /, 'tom password 12');
      })(),
    ]);
    const [r, bad] = await Promise.all([ok.exited, typo.exited]);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /Created editor "tina"/);
    assert.doesNotMatch(r.output, /tina password/);
    assert.equal(bad.code, 1, bad.output);
    assert.match(bad.output, /error: the two passwords differ; nothing was changed/);
    assert.doesNotMatch(bad.output, /tom password/);
    assert.equal((await login('tina', 'tina password 1')).status, 200);
    assert.equal(await count(`select 1 from users where username = 'tom'`), 0);
  });
});

describe('set-role, disable, enable, reset-password', () => {
  test('set-role changes the role (audited); the same role is a no-op; an unknown user or role is refused', async () => {
    const [change, ghost, badRole] = await Promise.all([user(['set-role', 'alice', 'reviewer']), user(['set-role', 'ghost', 'editor']), user(['set-role', 'bruno', 'chief'])]);
    assert.equal(change.code, 0, change.output);
    assert.equal(change.stdout, '"alice": editor → reviewer.\n');
    assert.equal(ghost.code, 1);
    assert.equal(ghost.stderr, 'error: No user is called "ghost".\n');
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /unknown role "chief"/);
    const { rows } = await t.query<{ username: string; role: string }>(`select username, role from users where username in ('alice', 'bruno') order by username`);
    assert.deepEqual(rows, [
      { username: 'alice', role: 'reviewer' },
      { username: 'bruno', role: 'reviewer' },
    ]);
    assert.equal(await count(`select 1 from audit_events where action = 'user.role_change' and data->>'username' = 'alice'`), 1);

    const same = await user(['set-role', 'alice', 'reviewer']);
    assert.equal(same.code, 0);
    assert.equal(same.stdout, '"alice" already has the role reviewer.\n');
    assert.equal(await count(`select 1 from audit_events where action = 'user.role_change' and data->>'username' = 'alice'`), 1);
  });

  test('the last active admin cannot be demoted or disabled from the CLI either', async () => {
    const [demote, disable] = await Promise.all([user(['set-role', 'root', 'editor']), user(['disable', 'root'])]);
    for (const r of [demote, disable]) {
      assert.equal(r.code, 1, r.output);
      assert.equal(r.stderr, 'error: This is the last active admin; make another user admin first.\n');
    }
    const { rows } = await t.query<{ role: string; disabled: boolean }>(`select role, disabled from users where username = 'root'`);
    assert.deepEqual(rows[0], { role: 'admin', disabled: false });
  });

  test('disable ends the user\'s sessions at once and blocks login; enable lets them back in', async () => {
    const agent = request.agent(t.app);
    assert.equal((await agent.post('/api/auth/login').send({ username: 'alice', password: 'alice password 1' })).status, 200);
    assert.equal((await agent.get('/api/auth/me')).status, 200);

    const r = await user(['disable', 'alice']);
    assert.equal(r.code, 0, r.output);
    assert.equal(r.stdout, 'Disabled "alice" and ended their sessions.\n');
    assert.equal((await agent.get('/api/auth/me')).status, 401);
    assert.equal(await count(`select 1 from sessions s join users u on u.id = s."userId" where u.username = 'alice'`), 0);
    assert.equal((await login('alice', 'alice password 1')).status, 401);

    const e = await user(['enable', 'alice']);
    assert.equal(e.code, 0, e.output);
    assert.equal(e.stdout, 'Enabled "alice".\n');
    assert.equal((await login('alice', 'alice password 1')).status, 200);
  });

  test('reset-password sets the new password (from stdin), ends sessions, and the old password stops working', async () => {
    const agent = request.agent(t.app);
    assert.equal((await agent.post('/api/auth/login').send({ username: 'bruno', password: 'bruno password 1' })).status, 200);
    const r = await user(['reset-password', 'bruno'], { input: 'bruno new password\n' });
    assert.equal(r.code, 0, r.output);
    assert.equal(r.stdout, 'Reset the password of "bruno" and ended their sessions.\n');
    assert.equal((await agent.get('/api/auth/me')).status, 401);
    assert.equal((await login('bruno', 'bruno password 1')).status, 401);
    assert.equal((await login('bruno', 'bruno new password')).status, 200);
    assert.equal(await count(`select 1 from audit_events where action = 'user.password_reset' and data->>'username' = 'bruno'`), 1);
  });
});

describe('list and usage', () => {
  test('list --json prints every user, sorted, without password hashes; list prints a table', async () => {
    const [json, table] = await Promise.all([user(['list', '--json']), user(['list'])]);
    assert.equal(json.code, 0, json.output);
    const rows = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(
      rows.map((u) => [u.username, u.role, u.disabled]),
      [
        ['alice', 'reviewer', false],
        ['bruno', 'reviewer', false],
        ['root', 'admin', false],
        ['tina', 'editor', false],
      ],
    );
    for (const u of rows) {
      assert.equal('passwordHash' in u, false);
      assert.equal(typeof u.id, 'number');
      assert.ok(!Number.isNaN(Date.parse(String(u.createdAt))));
    }
    assert.equal(table.code, 0, table.output);
    for (const name of ['alice', 'bruno', 'root', 'tina']) assert.match(table.stdout, new RegExp(`'${name}'`));
    assert.match(table.stdout, /'active'/);
  });

  test('no command prints the usage (exit 2); an unknown command or option is refused before touching the database', async () => {
    const [none, unknown, option, help] = await Promise.all([user([]), user(['delete', 'alice']), user(['list', '--all']), user(['--help'])]);
    assert.equal(none.code, 2);
    assert.match(none.stdout, /^usage:\n {2}npm run user -- add <username> --role <editor\|reviewer\|auditor\|admin>/);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^error: unknown command "delete"/);
    assert.equal(option.code, 2);
    assert.equal(option.stderr, 'error: unknown option --all\n');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /reset-password <username>/);
  });
});
