// The bench's server in a child process (see benchServer.ts): createApp +
// listen(0) on 127.0.0.1, port and memory reported over IPC.
import { loadConfig } from '../../server/config';
import { startInProcessServer } from './benchServer';

const send = (m: unknown) => process.send?.(m);
try {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is not set');
  const server = await startInProcessServer(config.databaseUrl, config);
  process.on('message', (m) => {
    if (m === 'memory') void server.memory().then((mem) => send({ type: 'memory', ...mem }));
    if (m === 'stats') void server.stats().then((st) => send({ type: 'stats', ...st }));
  });
  process.once('SIGTERM', () => void server.close().finally(() => process.exit(0)));
  process.once('disconnect', () => void server.close().finally(() => process.exit(0)));
  send({ type: 'listening', port: Number(new URL(server.url).port) });
} catch (err) {
  send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
