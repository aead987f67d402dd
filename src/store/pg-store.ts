import type { Logger } from '../shared/logger.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { PgDriver } from './pg-driver.ts';
import { SqlTopologyStore } from './sql-store.ts';

/**
 * The PostgreSQL store, for several replicas sharing one database. Tables live in the connection's
 * current schema (set `options: '-c search_path=...'` to use another); migrated on open, one replica
 * at a time.
 */
export async function openPgStore(
  connection: string | Record<string, unknown>,
  deps: { logger: Logger },
): Promise<SqlTopologyStore> {
  const driver = new PgDriver(connection, deps);
  try {
    await migrate(driver, loadMigrations('pg'), deps.logger);
  } catch (error) {
    await driver.close();
    throw error;
  }
  return new SqlTopologyStore(driver);
}
