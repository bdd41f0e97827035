// npm run migrate: apply pending migrations to the configured database.
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db/embedded';
import { migrateDeploy, pendingMigrations } from '../server/db/migrate';
import { NEW_DATA_DIR, reportCliError } from './lib/cli';

try {
  const config = loadConfig();
  const handle = await openDatabase(config, 'cli', (m) => console.error(m), { runtimeDir: config.runtimeDir, allowNewDataDir: NEW_DATA_DIR });
  try {
    const pending = await pendingMigrations(handle.ownerUrl);
    if (pending.length === 0) console.log('The database is up to date: no pending migrations.');
    else {
      await migrateDeploy(handle.ownerUrl);
      await handle.grant();
      console.log(`Applied ${pending.length} migration(s):\n${pending.map((p) => `  ${p}`).join('\n')}`);
    }
  } finally {
    await handle.stop();
  }
} catch (err) {
  process.exitCode = reportCliError(err);
}
