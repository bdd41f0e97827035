// npm run db-roles: on an external PostgreSQL, as its superuser, create (or
// update) Copydesk's two roles and give the database and everything in it to
// the owner, as the embedded database does on every start. docker compose
// runs it before the app; see docs/security.md, "Database roles".
import { APP_ROLE, ensureRoles, OWNER_ROLE } from '../server/db/roles';
import { CliError, reportCliError } from './lib/cli';

const USAGE = `usage: npm run db-roles
Creates or updates the roles ${OWNER_ROLE} (owns the tables, runs the migrations) and ${APP_ROLE}
(what the server connects as) on an external PostgreSQL, and gives the database, its public schema
and every object in it to ${OWNER_ROLE}. Idempotent: run it again to change a password.
  COPYDESK_DB_ADMIN_URL       a superuser's URL, to Copydesk's database
  COPYDESK_DB_OWNER_PASSWORD  the owner's password (at least 16 characters)
  COPYDESK_DB_APP_PASSWORD    the application role's password (at least 16 characters, not the owner's)`;

const MIN_PASSWORD = 16;

function required(name: string): string {
  const value = process.env[name] ?? '';
  if (!value) throw new CliError(`${name} is not set\n${USAGE}`);
  return value;
}

try {
  if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
    console.log(USAGE);
  } else {
    if (process.argv.length > 2) throw new CliError(`unexpected argument ${process.argv[2]}\n${USAGE}`);
    const adminUrl = required('COPYDESK_DB_ADMIN_URL');
    const owner = required('COPYDESK_DB_OWNER_PASSWORD');
    const app = required('COPYDESK_DB_APP_PASSWORD');
    for (const [name, value] of [['COPYDESK_DB_OWNER_PASSWORD', owner], ['COPYDESK_DB_APP_PASSWORD', app]] as const) {
      if (value.length < MIN_PASSWORD) throw new CliError(`${name} is ${value.length} characters long; at least ${MIN_PASSWORD} are needed`);
    }
    if (owner === app) throw new CliError('COPYDESK_DB_APP_PASSWORD is the same as COPYDESK_DB_OWNER_PASSWORD: the application role would know the owner\'s password');
    let database: string;
    try {
      database = decodeURIComponent(new URL(adminUrl).pathname.slice(1));
    } catch {
      throw new CliError('COPYDESK_DB_ADMIN_URL is not a URL (postgresql://user:password@host:5432/copydesk)');
    }
    if (!database) throw new CliError('COPYDESK_DB_ADMIN_URL names no database: end it with /<Copydesk\'s database>');
    const { objectsGiven } = await ensureRoles(adminUrl, { owner, app });
    console.log(`${OWNER_ROLE} and ${APP_ROLE} are ready on ${database}${objectsGiven ? `; ${objectsGiven} object(s) given to ${OWNER_ROLE}` : ''}.`);
  }
} catch (err) {
  process.exitCode = reportCliError(err);
}
