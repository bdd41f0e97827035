import { spawn } from 'node:child_process';
import path from 'node:path';

/** The repository root, where the CLIs are run from. */
export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Trials replay from COPYDESK_CRASH_SEED. */
export { prng } from '../../scripts/lib/prng';

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
