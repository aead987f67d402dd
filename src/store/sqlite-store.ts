import type { Logger } from '../shared/logger.ts';
import { SqliteDriver } from './sqlite-driver.ts';
import { openSqlStore, type SqlTopologyStore } from './sql-store.ts';

/**
 * The embedded store: one SQLite file (created with its directory), WAL journal, migrated on open.
 * `:memory:` gives a private in-memory database, for tests.
 */
export async function openSqliteStore(path: string, deps: { logger: Logger }): Promise<SqlTopologyStore> {
  return openSqlStore(new SqliteDriver(path), deps);
}
