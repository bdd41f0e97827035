// Helpers for tests that run the real command-line entry points (npm start,
// npm run user, …) as separate processes: clean environments, free ports,
// throwaway data directories, waiting for output or exit, and making sure
// nothing a test started outlives it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
export { freePort } from '../../scripts/lib/freePort';

/** The project root (where package.json lives). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** How a spawned process ended, with everything it printed. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in arrival order. */
  output: string;
}

/** A running child process started by these helpers. */
export interface Spawned {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pid: number;
  /** What it printed so far (stdout and stderr interleaved). */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in the output; rejects when the process exits first or on timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExitInfo>;
  /** True until the process has exited. */
  running(): boolean;
  /** Sends a signal (SIGTERM by default) and waits for the exit; SIGKILLs after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitInfo>;
}

export interface SpawnOptions {
  /** Variables on top of the clean environment (see cleanEnv). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Text written to standard input, which is then closed. Omit to keep stdin open (write to child.stdin). */
  input?: string;
  /** Start it as the leader of a new process group, so a test can signal the whole group like a terminal's Ctrl-C does (`process.kill(-pid, 'SIGINT')`). */
  detached?: boolean;
}

const live = new Set<Spawned>();

let runtimeRootDir: string | undefined;
let runtimeCount = 0;
function runtimeRoot(): string {
  if (!runtimeRootDir) {
    const dir = mkdtempSync(path.join(tmpdir(), 'copydesk-runtime-'));
    runtimeRootDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return runtimeRootDir;
}

/**
 * The test runner's environment without anything that configures Copydesk,
 * so a spawned command sees only what the test passes. Without this, a suite
 * run with DATABASE_URL set would silently point every embedded-database test
 * at the external server.
 */
export function cleanEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // The run's audit key and checkpoint file stay (scripts/test.ts): a command must verify what the tests wrote.
    if (k === 'COPYDESK_AUDIT_KEY' || k === 'COPYDESK_AUDIT_CHECKPOINTS') {
      env[k] = v;
      continue;
    }
    if (k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST' || k === 'NODE_ENV' || k === 'LOG_LEVEL' || k.startsWith('COPYDESK_')) continue;
    if (k.startsWith('npm_') || k === 'INIT_CWD') continue; // npm's own run-time variables from the outer `npm test`
    env[k] = v;
  }
  // Each command gets a runtime folder of its own, so that a server started by
  // one test (or by anyone else on this machine) never makes another test's
  // command on a fresh data directory refuse to run. A test that wants a
  // server and a command to see each other passes the same COPYDESK_RUNTIME_DIR.
  env.COPYDESK_RUNTIME_DIR = path.join(runtimeRoot(), String(++runtimeCount));
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}


/** Occupies a port on 127.0.0.1 until `close()` is called. */
export async function occupyPort(port?: number): Promise<{ port: number; close(): Promise<void> }> {
  const s = createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(port ?? 0, '127.0.0.1', () => resolve());
  });
  return { port: (s.address() as { port: number }).port, close: () => new Promise<void>((r) => s.close(() => r())) };
}

/**
 * A new empty directory for COPYDESK_DATA_DIR. It is world-readable because
 * the embedded PostgreSQL runs as the `postgres` system user when tests run as
 * root. Remove it with removeDir.
 */
export function makeDataDir(prefix = 'copydesk-cli-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/** Removes a directory tree; never fails. */
export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

function track(child: ChildProcessWithoutNullStreams, input: string | undefined): Spawned {
  let out = '';
  let stdout = '';
  let stderr = '';
  let done = false;
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const onData = () => {
    for (const l of listeners) l();
  };
  child.stdout.on('data', (d: string) => {
    stdout += d;
    out += d;
    onData();
  });
  child.stderr.on('data', (d: string) => {
    stderr += d;
    out += d;
    onData();
  });
  const exited = new Promise<ExitInfo>((resolve) => {
    child.on('close', (code, signal) => {
      done = true;
      resolve({ code, signal, stdout, stderr, output: out });
      onData();
    });
  });
  child.stdin.on('error', () => undefined); // the child may exit before reading its input
  if (input !== undefined) child.stdin.end(input);

  const s: Spawned = {
    child,
    pid: child.pid ?? -1,
    output: () => out,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    running: () => !done,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(pattern);
          if (m) return finish(() => resolve(m));
          if (done) return finish(() => reject(new Error(`process exited (code ${child.exitCode}) before printing ${pattern}; output:\n${out}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; output:\n${out}`))), timeoutMs);
        const finish = (f: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          f();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      if (!done) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
      }
      live.delete(s);
      return exited;
    },
  };
  live.add(s);
  void exited.then(() => live.delete(s));
  return s;
}

/**
 * Starts a TypeScript entry point of this project (e.g. `scripts/user.ts`) the
 * way its npm script does, with node and the tsx loader, in a clean environment.
 */
export function spawnScript(script: string, args: string[] = [], opts: SpawnOptions = {}): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(ROOT, script), ...args], {
    cwd: opts.cwd ?? ROOT,
    env: cleanEnv(opts.env),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  return track(child, opts.input);
}

/** Starts `npm <args>` (e.g. `['start']`) in the project root, in a clean environment. */
export function spawnNpm(args: string[], opts: SpawnOptions = {}): Spawned {
  const child = spawn('npm', ['--silent', ...args], {
    cwd: opts.cwd ?? ROOT,
    env: cleanEnv(opts.env),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  return track(child, opts.input);
}

/** Starts any program (e.g. `script` to give a command a terminal) in the project root, in a clean environment. */
export function spawnCommand(command: string, args: string[], opts: SpawnOptions = {}): Spawned {
  const child = spawn(command, args, {
    cwd: opts.cwd ?? ROOT,
    env: cleanEnv(opts.env),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  return track(child, opts.input);
}

/** Runs a script to completion (killing it after `timeoutMs`) and returns how it ended. */
export async function runScript(script: string, args: string[] = [], opts: SpawnOptions & { timeoutMs?: number } = {}): Promise<ExitInfo> {
  const p = spawnScript(script, args, { ...opts, input: opts.input ?? '' });
  const timer = setTimeout(() => p.child.kill('SIGKILL'), opts.timeoutMs ?? 90_000);
  const r = await p.exited;
  clearTimeout(timer);
  return r;
}

/** Stops every process these helpers started that is still running (for `after` hooks). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((s) => s.stop('SIGTERM', 15_000)));
}

/** True while a process with this id exists. */
export function isAlive(pid: number | undefined): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the postmaster running an embedded cluster in `dataDir`, if its pid file exists. */
export function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Polls `condition` every 50 ms until it is true; rejects with `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Last-resort clean-up for an embedded cluster a failed test left running:
 * stops the postmaster of `dataDir` (SIGINT, PostgreSQL's fast shutdown).
 */
export async function stopLeftoverPostgres(dataDir: string | undefined): Promise<void> {
  if (!dataDir) return;
  const pid = postmasterPid(dataDir);
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  await waitUntil(() => !isAlive(pid), `postgres ${pid} stopped`, 15_000).catch(() => process.kill(pid, 'SIGKILL'));
}
