import { spawn } from 'node:child_process';
import { ensureServerBuilt, ROOT } from '../lib/prepare';

export interface CliRun {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the project's commands compiled, as `npm run <name>` does (scripts/run.mjs),
 * in its own Node process on the bench database, and times it from spawn to
 * exit. Throws with its output when it fails.
 */
export async function runCli(script: string, args: readonly string[], databaseUrl: string, cpuProfDir?: string): Promise<CliRun> {
  await ensureServerBuilt();
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []), 'scripts/run.mjs', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (code !== 0) throw new Error(`npm run ${script} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}\n${stdout.slice(-2000)}`);
  return { ms, code, stdout, stderr };
}
