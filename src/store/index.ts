import type { DatabaseConfig } from '../config/types.ts';
import { isStitchboardError, messageOf, StitchboardError } from '../errors/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { openPgStore } from './pg-store.ts';
import { openSqliteStore } from './sqlite-store.ts';
import type { TopologyStore } from './types.ts';

/**
 * Opens the store the `backend.database` config names and brings its schema up to date.
 * Errors are STORE_FAILED and never carry the connection string or password.
 *
 * @example
 * const store = await openStore({ client: 'sqlite', path: '/var/lib/stitchboard/stitchboard.db' }, { logger });
 * await store.replaceInstanceResults('main', result, { complete: [{ cluster: 'prod' }] });
 */
export async function openStore(config: DatabaseConfig, deps: { logger: Logger }): Promise<TopologyStore> {
  try {
    const store =
      config.client === 'sqlite'
        ? await openSqliteStore(config.path, deps)
        : await openPgStore(config.connection, deps);
    deps.logger.info({ dialect: store.dialect }, 'store open');
    return store;
  } catch (error) {
    const secrets = config.client === 'pg' ? connectionSecrets(config.connection) : [];
    if (isStitchboardError(error) && secrets.length === 0) throw error;
    const where = config.client === 'sqlite' ? ` at ${config.path}` : '';
    const message = scrub(
      isStitchboardError(error)
        ? error.message
        : `store open failed (${config.client}${where}): ${messageOf(error)}`,
      secrets,
    );
    // For pg the cause is left off: driver errors can carry the connection string in their fields.
    throw new StitchboardError('STORE_FAILED', message, {
      details: { operation: 'open', dialect: config.client },
      ...(config.client === 'sqlite' && { cause: error }),
    });
  }
}

/** The password and full connection string, which must never reach a message or a log line. */
function connectionSecrets(connection: string | Record<string, unknown>): string[] {
  if (typeof connection !== 'string') {
    return typeof connection.password === 'string' && connection.password ? [connection.password] : [];
  }
  const secrets = [connection];
  try {
    const password = decodeURIComponent(new URL(connection).password);
    if (password) secrets.push(password, encodeURIComponent(password));
  } catch {
    // Not a URL (a key=value string): the whole string is already listed.
  }
  return secrets;
}

function scrub(message: string, secrets: readonly string[]): string {
  return secrets.reduce((text, secret) => text.split(secret).join('[redacted]'), message);
}

export type * from './types.ts';
export { SqlTopologyStore } from './sql-store.ts';
