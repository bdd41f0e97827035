import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureServerBuilt, ROOT } from '../lib/prepare';
import { round, summarize } from './measure';
import type { Bench } from './types';

/** Milliseconds from spawn to exit of `node <args>` in the project root. */
function timeNode(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  return ms;
}

/**
 * Start-up of the commands as `npm run <command>` starts them (scripts/run.mjs
 * and the compiled dist/<command>.js, without npm's own start-up), against
 * the same command run from its TypeScript source through tsx, as every
 * command ran before the production build.
 */
export const startupBench: Bench = {
  id: 'startup',
  needsDb: false,
  async run(ctx) {
    await ensureServerBuilt();
    const runs = ctx.quick ? 5 : 15;
    const commands = ['audit', 'export'];
    const compiled: number[] = [];
    const source: number[] = [];
    const figures: Record<string, number> = {};
    for (const command of commands) {
      const ours: number[] = [];
      const theirs: number[] = [];
      timeNode([path.join('scripts', 'run.mjs'), command, '--help']); // warm the file cache
      timeNode(['--import', 'tsx', path.join('scripts', `${command}.ts`), '--help']);
      for (let i = 0; i < runs; i++) {
        ours.push(timeNode([path.join('scripts', 'run.mjs'), command, '--help']));
        theirs.push(timeNode(['--import', 'tsx', path.join('scripts', `${command}.ts`), '--help']));
      }
      figures[`${command}_compiled_median_ms`] = round(summarize(ours).median, 1);
      figures[`${command}_tsx_median_ms`] = round(summarize(theirs).median, 1);
      compiled.push(...ours);
      source.push(...theirs);
    }
    const ratio = round(summarize(compiled).median / summarize(source).median);
    return {
      id: 'startup',
      measure: `${commands.map((c) => `${c} --help`).join(', ')}: compiled start-up, ${runs} runs each`,
      baseline: 'the same commands from their TypeScript sources through tsx',
      figures,
      ratio,
      target: '≤ 0.5× the tsx start-up',
      pass: ratio <= 0.5,
    };
  },
};
