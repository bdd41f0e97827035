// A real Copydesk server process on an existing database, started through
// scripts/serve.ts: the code path of `npm start` after its build step
// (server/index.ts main), without building the admin UI.
import { freePort, spawnScript, type Spawned } from './spawn';

export interface ServerProcess {
  url: string;
  proc: Spawned;
}

/** Starts a server on `databaseUrl` at a free port and waits until it listens. */
export async function spawnServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const proc = spawnScript('scripts/serve.ts', [], {
    env: { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', COPYDESK_SESSION_SECRET: 'server-test-secret-0123456789', COPYDESK_DATA_DIR: '/tmp/copydesk-test-data', ...env },
  });
  await proc.waitFor(/Copydesk is running at/, 120_000);
  return { url: `http://127.0.0.1:${port}`, proc };
}
