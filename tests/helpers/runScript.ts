// Runs one of the command-line scripts (scripts/<name>.ts) as a user would,
// against a test database, and collects what it printed.
import { spawn } from 'node:child_process';
import { ROOT } from '../../scripts/lib/prepare';

/** How a script run ended, with its output. */
export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node --import tsx scripts/<script>.ts ...args` with DATABASE_URL set to `databaseUrl` and quiet logs. */
export function runScript(script: string, databaseUrl: string, ...args: string[]): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
