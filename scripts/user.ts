// npm run user -- <add|set-role|disable|enable|reset-password|list> …
// Thin wrapper over server/services/users. See docs/cli.md, "Users".
import { createInterface } from 'node:readline';
import { ROLES } from '../shared/roles';
import { parseInput } from '../server/http/parseInput';
import { createUser, createUserInput, findUserByUsername, listUsers, updateUser, updateUserInput } from '../server/services/users';
import { cliActor, CliError, parseArgs, reportCliError, runWithDatabase } from './lib/cli';

const USAGE = `usage:
  npm run user -- add <username> --role <${ROLES.join('|')}> [--name "Display Name"]
  npm run user -- set-role <username> <role>
  npm run user -- disable <username>
  npm run user -- enable <username>
  npm run user -- reset-password <username>
  npm run user -- list [--json]
The password for add and reset-password comes from COPYDESK_PASSWORD, or from standard input
(at a terminal it is asked for twice and not shown).`;


/** Reads one line from a terminal without echoing it. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  // Echo off before the prompt appears, so nothing typed after it is echoed.
  stdin.setRawMode(true);
  process.stderr.write(prompt);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (f: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      f();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(() => resolve(value));
        if (ch === '\u0003' || ch === '\u0004') return done(() => reject(new CliError('cancelled', 130)));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readPassword(fromEnv: string | undefined): Promise<string> {
  if (fromEnv !== undefined) return fromEnv;
  // At a terminal: ask twice, echoing nothing, so a typo cannot lock the user out.
  if (process.stdin.isTTY) {
    const first = await readHidden('Password: ');
    const second = await readHidden('Repeat the password: ');
    if (first !== second) throw new CliError('the two passwords differ; nothing was changed', 1);
    return first;
  }
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line.replace(/\r$/, '');
  }
  throw new CliError('no password: set COPYDESK_PASSWORD or pipe the password on standard input');
}

function checkRole(role: string | undefined): string {
  if (!role) throw new CliError(`a role is required (one of: ${ROLES.join(', ')})\n${USAGE}`);
  if (!(ROLES as readonly string[]).includes(role)) throw new CliError(`unknown role "${role}"; expected one of: ${ROLES.join(', ')}`);
  return role;
}

let parsed: ReturnType<typeof parseArgs>;
try {
  parsed = parseArgs(process.argv.slice(2), { booleans: ['json', 'help'], strings: ['role', 'name'] });
  const [cmd] = parsed.positionals;
  if (parsed.flags.help || !cmd) {
    console.log(USAGE);
    process.exit(cmd || parsed.flags.help ? 0 : 2);
  }
  // Validate everything that needs no database before opening it.
  if (!['add', 'set-role', 'disable', 'enable', 'reset-password', 'list'].includes(cmd)) throw new CliError(`unknown command "${cmd}"\n${USAGE}`);
  if (cmd === 'add') checkRole(parsed.flags.role as string | undefined);
  if (cmd === 'set-role') checkRole(parsed.positionals[2]);
  if (cmd !== 'list' && !parsed.positionals[1]) throw new CliError(`"${cmd}" needs a username\n${USAGE}`);
} catch (err) {
  process.exit(reportCliError(err));
}

await runWithDatabase(async ({ db, config }) => {
  const [cmd, name, arg] = parsed.positionals;
  const actor = cliActor();
  switch (cmd) {
    case 'add': {
      const password = await readPassword(config.cliPassword);
      const u = await createUser(db, parseInput(createUserInput, { username: name, role: parsed.flags.role, displayName: parsed.flags.name, password }), actor);
      console.log(`Created ${u.role} "${u.username}" (id ${u.id}).`);
      return;
    }
    case 'set-role': {
      const u = await findUserByUsername(db, name);
      const after = await updateUser(db, u.id, parseInput(updateUserInput, { role: arg }), actor);
      console.log(u.role === after.role ? `"${u.username}" already has the role ${u.role}.` : `"${u.username}": ${u.role} → ${after.role}.`);
      return;
    }
    case 'disable':
    case 'enable': {
      const u = await findUserByUsername(db, name);
      await updateUser(db, u.id, { disabled: cmd === 'disable' }, actor);
      console.log(`${cmd === 'disable' ? 'Disabled' : 'Enabled'} "${u.username}"${cmd === 'disable' ? ' and ended their sessions' : ''}.`);
      return;
    }
    case 'reset-password': {
      const u = await findUserByUsername(db, name);
      const password = await readPassword(config.cliPassword);
      await updateUser(db, u.id, parseInput(updateUserInput, { password }), actor);
      console.log(`Reset the password of "${u.username}" and ended their sessions.`);
      return;
    }
    case 'list': {
      const { rows } = await listUsers(db, { filter: {}, sort: { field: 'username', order: 'asc' }, skip: 0, take: 1000 });
      if (parsed.flags.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      const table = rows.map((u) => ({ id: u.id, username: u.username, name: u.displayName, role: u.role, status: u.disabled ? 'disabled' : 'active', lastLogin: u.lastLoginAt?.toISOString() ?? '-' }));
      console.table(table);
      return;
    }
  }
});
