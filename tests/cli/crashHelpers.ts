import { spawn } from 'node:child_process';
import path from 'node:path';

/** The repository root, where the CLIs are run from. */
export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** mulberry32: a small seeded PRNG, so a failing trial can be replayed with COPYDESK_CRASH_SEED. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How a CLI run ended. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a CLI against `databaseUrl`; `killWhen` is polled every few ms and
 * SIGKILLs the process the first time it returns true.
 */
export function runCli(databaseUrl: string, args: string[], killWhen?: () => boolean): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const poll = killWhen
      ? setInterval(() => {
          if (child.exitCode === null && killWhen()) {
            child.kill('SIGKILL');
            clearInterval(poll);
          }
        }, 3)
      : undefined;
    child.on('exit', (code, signal) => {
      if (poll) clearInterval(poll);
      setImmediate(() => resolve({ code, signal, stdout, stderr }));
    });
  });
}
