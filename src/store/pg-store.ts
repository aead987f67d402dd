import type { Logger } from '../shared/logger.ts';
import { PgDriver } from './pg-driver.ts';
import { openSqlStore, type SqlTopologyStore } from './sql-store.ts';

/**
 * The PostgreSQL store, for several replicas sharing one database. Tables live in the connection's
 * current schema (set `options: '-c search_path=...'` to use another); migrated on open, one replica
 * at a time.
 */
export async function openPgStore(
  connection: string | Record<string, unknown>,
  deps: { logger: Logger },
): Promise<SqlTopologyStore> {
  return openSqlStore(new PgDriver(connection, deps), deps);
}
