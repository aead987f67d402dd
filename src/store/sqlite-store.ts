import type { Logger } from '../shared/logger.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { SqliteDriver } from './sqlite-driver.ts';
import { SqlTopologyStore } from './sql-store.ts';

/**
 * The embedded store: one SQLite file (created with its directory), WAL journal, migrated on open.
 * `:memory:` gives a private in-memory database, for tests.
 */
export async function openSqliteStore(path: string, deps: { logger: Logger }): Promise<SqlTopologyStore> {
  const driver = new SqliteDriver(path);
  try {
    await migrate(driver, loadMigrations('sqlite'), deps.logger);
  } catch (error) {
    await driver.close();
    throw error;
  }
  return new SqlTopologyStore(driver);
}
