// npm run dev: the API server with reload on changes (tsx watch) and the Vite
// dev server for the admin UI on http://localhost:5173, which proxies /api to
// the API server. Ctrl+C stops both.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ensureGenerated, ROOT } from './lib/prepare';

ensureGenerated();

const children: ChildProcess[] = [
  spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'watch', '--clear-screen=false', '--exclude', 'admin/**', path.join(ROOT, 'scripts', 'serve.ts')], {
    cwd: ROOT,
    stdio: 'inherit',
  }),
  spawn(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), '--config', path.join(ROOT, 'admin', 'vite.config.ts')], { cwd: ROOT, stdio: 'inherit' }),
];

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill(signal);
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
for (const c of children) {
  c.on('exit', (code) => {
    if (!stopping) {
      console.error(`A dev process exited (code ${code}); stopping the other.`);
      stop('SIGTERM');
      process.exitCode = code ?? 1;
    }
  });
}
