import { fork, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import path from 'node:path';
import { pino } from 'pino';
import { createApp } from '../../server/app';
import type { Config } from '../../server/config';
import { createDb, poolOf } from '../../server/db/client';
import { createLogger } from '../../server/logger';
import { SESSION_COOKIE } from '../../server/auth/sessions';
import { auditKeyFromHex, currentAuditKey, useAuditKey, type AuditKey } from '../../server/services/audit';
import { BENCH_PASSWORD } from './seed';
import { watchServer, type ServerStats } from './serverStats';

const BENCH_SESSION_SECRET = 'copydesk-bench-session-secret';
/** The benches' audit key: fixed, so a bench never creates a key file in the data folder. */
export const BENCH_AUDIT_KEY = '62656e6368206175646974206b65792062656e6368206175646974206b657921';

/** Bytes. */
export interface ServerMemory {
  rss: number;
  maxRss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** The V8 heap still in use after a full garbage collection (taken after the figures above), when the process can start one. */
  heapLive?: number;
}

/** A Copydesk server listening on 127.0.0.1 for a bench. */
export interface BenchServer {
  url: string;
  /** The server process's memory: resident set size now and at its peak, and the V8 heap and off-heap (Buffer) bytes now. */
  memory(): Promise<ServerMemory>;
  /** Event-loop delay and pool waits since the previous call (or the start). */
  stats(): Promise<ServerStats>;
  close(): Promise<void>;
}

/**
 * The real app on a real socket in this process (createApp + listen(0)).
 * Request logs are written, as in production, but to /dev/null.
 */
/**
 * The key the bench's audit chain is written with, the same in the bench
 * process (raw-SQL baselines) and its child server: the one already loaded,
 * else the configured one, else a fixed bench key.
 */
export function benchAuditKey(config: Pick<Config, 'auditKey'>): AuditKey {
  return currentAuditKey() ?? auditKeyFromHex(config.auditKey ?? BENCH_AUDIT_KEY);
}

export async function startInProcessServer(databaseUrl: string, config: Readonly<Config>): Promise<BenchServer> {
  // A fixed secret: a bench must not create one in the data folder.
  config = { ...config, sessionSecret: config.sessionSecret ?? BENCH_SESSION_SECRET };
  const db = createDb(databaseUrl, config);
  const watch = watchServer(poolOf(db));
  useAuditKey(benchAuditKey(config));
  const logger = createLogger({ logLevel: 'info' }, pino.destination({ dest: '/dev/null', sync: false }));
  const app = createApp({ db, config, logger });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1');
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    async memory() {
      const m = process.memoryUsage();
      const now = { rss: m.rss, maxRss: process.resourceUsage().maxRSS * 1024, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
      // The child server runs with --expose-gc: what the heap holds once the garbage of the load is collected (a leak shows here, not in the RSS).
      const gc = (globalThis as { gc?: () => void }).gc;
      if (!gc) return now;
      gc();
      return { ...now, heapLive: process.memoryUsage().heapUsed };
    },
    async stats() {
      return watch.take();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.$disconnect();
    },
  };
}

type ChildMessage =
  | { type: 'listening'; port: number }
  | ({ type: 'memory' } & ServerMemory)
  | ({ type: 'stats' } & ServerStats)
  | { type: 'error'; message: string };

/**
 * Compiles serverProcess.ts as the production build compiles the commands
 * (esbuild, one ESM bundle, npm packages left as imports) into dist/bench/,
 * so the server under load runs the same JavaScript as `npm start` and a CPU
 * profile shows the compiled code, not tsx's transpiler.
 */
async function compiledServerProcess(): Promise<string> {
  const { build } = await import('esbuild');
  const root = path.resolve(import.meta.dirname, '..', '..');
  const outfile = path.join(root, 'dist', 'bench', 'serverProcess.js');
  await build({
    absWorkingDir: root,
    entryPoints: [path.join('scripts', 'bench', 'serverProcess.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * The same server in a child process (scripts/bench/serverProcess.ts), so
 * that its memory is its own and the load generator does not share its event
 * loop.
 */
export async function startChildServer(databaseUrl: string, cpuProfDir?: string): Promise<BenchServer> {
  const child: ChildProcess = fork(await compiledServerProcess(), [], {
    execArgv: ['--expose-gc', ...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [])],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'info',
      COPYDESK_SESSION_SECRET: process.env.COPYDESK_SESSION_SECRET ?? BENCH_SESSION_SECRET,
      COPYDESK_AUDIT_KEY: benchAuditKey({ auditKey: process.env.COPYDESK_AUDIT_KEY }).secret.toString('hex'),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = <T extends ChildMessage['type']>(type: T): Promise<Extract<ChildMessage, { type: T }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: ChildMessage) => {
        if (m.type === type) {
          cleanup();
          resolve(m as Extract<ChildMessage, { type: T }>);
        } else if (m.type === 'error') {
          cleanup();
          reject(new Error(`bench server: ${m.message}`));
        }
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`bench server exited with code ${code}`));
      };
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const { port } = await next('listening');
  return {
    url: `http://127.0.0.1:${port}`,
    async memory() {
      const reply = next('memory');
      child.send('memory');
      const { type: _type, ...m } = await reply;
      return m;
    },
    async stats() {
      const reply = next('stats');
      child.send('stats');
      const { type: _type, ...m } = await reply;
      return m;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Logs in over HTTP; returns the Cookie header value of the session. */
export async function login(baseUrl: string, username: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`bench login as ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error('bench login: no session cookie in the response');
  return cookie.split(';')[0];
}
