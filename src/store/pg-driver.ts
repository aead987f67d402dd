import pg from 'pg';
import type { Logger } from '../shared/logger.ts';
import { DirectSqlDriver, insertSql, type Row, type SqlExecutor, type SqlValue } from './sql-driver.ts';

const INT8 = 20;
// Epoch milliseconds and counts fit a double; parse bigint columns as numbers for this pool only,
// leaving pg's global parsers alone for any other user of the module.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Bounds the size of one INSERT's arrays, and so the memory of one statement. */
const ROWS_PER_STATEMENT = 10_000;

/** `?` → `$1`, `$2`, ...: the store's SQL is ours and holds no `?` other than placeholders. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function executorFor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  const executor: SqlExecutor = {
    async query<T extends Row>(sql: string, params: readonly SqlValue[] = []) {
      const result = await client.query(numberPlaceholders(sql), params as SqlValue[]);
      return result.rows as T[];
    },
    async execute(sql, params = []) {
      const result = await client.query(numberPlaceholders(sql), params as SqlValue[]);
      return result.rowCount ?? 0;
    },
    async insertMany(table, rows) {
      // One array per column through unnest: one statement and a handful of parameters per chunk,
      // several times faster than multi-row VALUES lists.
      const arrays = table.columns.map((_, i) => `?::${table.pgTypes[i] ?? 'text'}[]`).join(', ');
      const sql = numberPlaceholders(
        insertSql(table.name, table.columns, table.key, `SELECT * FROM unnest(${arrays})`),
      );
      for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
        await client.query(
          sql,
          table.columns.map((_, i) => chunk.map((row) => row[i] ?? null)),
        );
      }
    },
    async executeScript(sql) {
      await client.query(sql);
    },
  };
  return executor;
}

export class PgDriver extends DirectSqlDriver {
  readonly dialect = 'pg' as const;
  readonly nowMs = '(extract(epoch from clock_timestamp()) * 1000)::bigint';
  readonly shareLock = ' FOR SHARE';
  // Replicas starting together migrate one after the other; the key is per schema, so test schemas don't queue.
  readonly migrationLock =
    "SELECT pg_advisory_xact_lock(hashtext('stitchboard-migrate:' || current_schema()))";
  readonly #pool: pg.Pool;
  protected readonly direct: SqlExecutor;

  /** `connection`: a connection string, or pg's / Backstage's `connection` object (host, port, user, ...). */
  constructor(connection: string | Record<string, unknown>, deps: { logger: Logger }) {
    super();
    const config: pg.PoolConfig =
      typeof connection === 'string'
        ? { connectionString: connection }
        : { ...(connection as pg.PoolConfig) };
    this.#pool = new pg.Pool({
      application_name: 'stitchboard',
      connectionTimeoutMillis: 10_000,
      max: 5,
      ...config,
      types,
    });
    // An idle client losing its connection emits on the pool; unhandled, that would end the process.
    this.#pool.on('error', (error) =>
      deps.logger.warn({ err: { message: error.message } }, 'database connection lost'),
    );
    this.direct = executorFor(this.#pool);
  }

  inList(column: string): string {
    return `${column} IN (SELECT jsonb_array_elements_text(?::jsonb))`;
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(executorFor(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
