// docker-compose.yml as a tested artefact (no Docker engine is needed): it is
// valid against the Compose Specification's JSON schema, its images are
// pinned, and every setting server/config.ts reads reaches the container
// when the documented `cp .env.example .env` is followed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig, NPM_VARIABLES } from '../../server/config';
import { ROOT } from '../helpers/spawn';
import { SERVER_ENTRIES } from '../../scripts/lib/buildStamp.js';

const read = (f: string) => readFileSync(path.join(ROOT, f), 'utf8');

interface Service {
  image?: string;
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  env_file?: string | Array<string | { path: string; required?: boolean | string }>;
  environment?: Record<string, string | number | boolean | null> | string[];
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };
const app = compose.services.app;

/** KEY=VALUE lines of a .env file, as compose reads them (comments and blank lines skipped). */
function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let v = m[2];
    if (/^(['"]).*\1$/.test(v)) v = v.slice(1, -1);
    out[m[1]] = v;
  }
  return out;
}

/** Compose's variable interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, name?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
    if (all === '$$') return '$';
    if (bare) return vars[bare] ?? '';
    const v = vars[name as string];
    const missing = v === undefined || (colon === ':' && v === '');
    if (op === '-') return missing ? (arg ?? '') : v;
    if (op === '?' && missing) throw new Error(`compose refuses to start: ${name}: ${arg}`);
    return v ?? '';
  });
}

function envFilePaths(s: Service): string[] {
  const list = s.env_file === undefined ? [] : Array.isArray(s.env_file) ? s.env_file : [s.env_file];
  return list.map((e) => (typeof e === 'string' ? e : e.path));
}

function environmentOf(s: Service): Record<string, string> {
  const e = s.environment ?? {};
  if (Array.isArray(e)) return Object.fromEntries(e.map((l) => [l.split('=')[0], l.slice(l.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/**
 * The app container's environment as compose builds it from `.env`: the
 * env_file's variables, overridden by `environment` (interpolated from .env).
 */
function containerEnv(dotenv: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const f of envFilePaths(app)) {
    assert.equal(f, '.env', 'the env_file is the .env the README has users copy');
    Object.assign(env, dotenv);
  }
  for (const [k, v] of Object.entries(environmentOf(app))) env[k] = interpolate(v, dotenv);
  return env;
}

const REQUIRED = {
  POSTGRES_PASSWORD: 'pgsecret123',
  COPYDESK_DB_OWNER_PASSWORD: 'ownersecret0123456789',
  COPYDESK_DB_APP_PASSWORD: 'appsecret0123456789ab',
  COPYDESK_SESSION_SECRET: 'a-session-secret-of-32-characters',
  COPYDESK_ADMIN_PASSWORD: 'first admin password',
};
const example = () => ({ ...parseDotenv(read('.env.example')), ...REQUIRED });

test('docker-compose.yml is valid against the Compose Specification JSON schema', () => {
  const schema = JSON.parse(read('tests/fixtures/compose-spec/compose-spec.json')) as object;
  // The schema's formats (duration, ports, …) are compose's own; the structure is what is checked.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  // The schema names draft-07 by its https address; Ajv ships draft-07 under the http one.
  const draft7 = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('ajv/dist/refs/json-schema-draft-07.json'), 'utf8')) as { $id: string };
  ajv.addMetaSchema({ ...draft7, $id: 'https://json-schema.org/draft-07/schema' });
  assert.ok(ajv.validateSchema(schema), 'the stored schema is itself valid draft-07');
  const validate = ajv.compile(schema);
  assert.ok(validate(compose), JSON.stringify(validate.errors, null, 2));
  // The validator does reject a wrong file, so a pass means something.
  assert.equal(validate({ services: { app: { imag: 'postgres:16' } } }), false, 'a misspelt service key');
  assert.equal(validate({ services: { app: { image: 'x', env_file: [{ path: '.env', requird: false }] } } }), false, 'a misspelt env_file option');
  assert.equal(validate({ services: { app: { image: 'x', environment: { A: ['list'] } } } }), false, 'a list as a variable value');
});

test('images are pinned to exact versions: PostgreSQL, the Node base image, and the app image carries the package version', () => {
  assert.match(compose.services.db.image ?? '', /^postgres:\d+\.\d+(-[a-z]+)?$/);
  const { version } = JSON.parse(read('package.json')) as { version: string };
  assert.equal(app.image, `copydesk:${version}`);
  const from = read('Dockerfile').match(/^FROM\s+(\S+)/gm) ?? [];
  assert.ok(from.length > 0);
  for (const f of from) assert.match(f, /^FROM\s+node:\d+\.\d+\.\d+-[a-z-]+$/, f);
});

test('with .env copied from .env.example, the container trusts the proxy, runs in production and uses the compose database', () => {
  const config = loadConfig(containerEnv(example()), '/app');
  assert.equal(config.trustProxy, 'loopback, uniquelocal', 'an unset COPYDESK_TRUST_PROXY must not turn the proxy off');
  assert.equal(config.env, 'production');
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.port, 3000);
  assert.equal(config.databaseUrl, 'postgresql://copydesk_app:appsecret0123456789ab@db:5432/copydesk');
  assert.equal(config.migrateDatabaseUrl, 'postgresql://copydesk_owner:ownersecret0123456789@db:5432/copydesk');
  assert.equal(config.dataDir, '/app/data');
  assert.equal(config.secureCookies, 'auto');
  assert.equal(config.sessionSecret, REQUIRED.COPYDESK_SESSION_SECRET);
  // An operator's own proxy address in .env wins.
  assert.equal(loadConfig(containerEnv({ ...example(), COPYDESK_TRUST_PROXY: '10.0.0.0/8' }), '/app').trustProxy, '10.0.0.0/8');
  // Compose refuses to start without a required secret.
  assert.throws(() => containerEnv({ ...example(), COPYDESK_SESSION_SECRET: '' }), /COPYDESK_SESSION_SECRET/);
});

test('every variable server/config.ts reads is documented in .env.example and can be set through the compose file or .env', () => {
  const documented = parseDotenv(read('.env.example'));
  const setByCompose = environmentOf(app);
  const operatorVariables = CONFIG_VARIABLES.filter((v) => !NPM_VARIABLES.includes(v));
  assert.ok(operatorVariables.length >= 20, `read ${operatorVariables.length} variables from config.ts`);
  const unreachable: string[] = [];
  for (const name of operatorVariables) {
    assert.ok(name in documented, `${name} is documented in .env.example`);
    const probe = `probe-${name.toLowerCase()}`;
    const env = containerEnv({ ...example(), [name]: probe });
    if (env[name] !== probe && !(name in setByCompose)) unreachable.push(name);
  }
  assert.deepEqual(unreachable, [], 'variables that neither .env nor the compose file can set in the container');
});

test('the app connects as the application role; the one-shot db-roles service alone gets the superuser password', () => {
  const roles = compose.services['db-roles'];
  assert.ok(roles, 'a db-roles service');
  assert.equal(roles.image, app.image, 'it runs the app image');
  assert.deepEqual(roles.command, ['node', 'scripts/run.mjs', 'db-roles']);
  assert.ok(SERVER_ENTRIES.includes('db-roles'), 'the image has the compiled command');
  assert.equal(app.depends_on?.['db-roles']?.condition, 'service_completed_successfully', 'the app starts after the roles exist');
  const env = Object.fromEntries(Object.entries(environmentOf(roles)).map(([k, v]) => [k, interpolate(v, example())]));
  assert.deepEqual(env, {
    COPYDESK_DB_ADMIN_URL: 'postgresql://copydesk:pgsecret123@db:5432/copydesk',
    COPYDESK_DB_OWNER_PASSWORD: REQUIRED.COPYDESK_DB_OWNER_PASSWORD,
    COPYDESK_DB_APP_PASSWORD: REQUIRED.COPYDESK_DB_APP_PASSWORD,
  });
  assert.equal(roles.env_file, undefined, 'nothing else from .env reaches it');
  const appEnv = containerEnv(example());
  assert.deepEqual(Object.keys(appEnv).filter((k) => appEnv[k].includes(REQUIRED.POSTGRES_PASSWORD)), [], 'no app variable holds the superuser password');
  // Compose interpolates the whole file, so a required value missing anywhere stops `up`.
  for (const name of ['COPYDESK_DB_OWNER_PASSWORD', 'COPYDESK_DB_APP_PASSWORD']) {
    assert.throws(() => Object.values(environmentOf(roles)).map((v) => interpolate(v, { ...example(), [name]: '' })), new RegExp(name), `compose refuses to start without ${name}`);
  }
});
