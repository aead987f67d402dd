import type { Logger } from '../shared/logger.ts';
import { openSqlStore, type SqlTopologyStore } from './sql-store.ts';

/**
 * The PostgreSQL store, for several replicas sharing one database. Tables live in the connection's
 * current schema (set `options: '-c search_path=...'` to use another); migrated on open, one replica
 * at a time. The driver (and `pg`) is loaded here, so an SQLite deployment never carries it.
 */
export async function openPgStore(
  connection: string | Record<string, unknown>,
  deps: { logger: Logger },
): Promise<SqlTopologyStore> {
  const { PgDriver } = await import('./pg-driver.ts');
  return openSqlStore(new PgDriver(connection, deps), deps);
}
