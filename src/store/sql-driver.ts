/**
 * The little a SQL store needs from a database, so one store implementation (sql-store.ts) runs on
 * both node:sqlite and pg. SQL is written once with `?` placeholders; the pg driver numbers them.
 * Values are only ever bound as parameters, never spliced into SQL text.
 */
export type SqlValue = string | number | null;

export type Row = Record<string, unknown>;

/** A table the store writes in bulk: its columns, primary key and PostgreSQL column types. */
export interface TableSpec {
  name: string;
  columns: readonly string[];
  key: readonly string[];
  /** One per column: `text`, `bigint` or `integer`. */
  pgTypes: readonly string[];
}

export interface SqlExecutor {
  query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs one statement; resolves to the number of rows it changed. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Inserts rows into `table`, values in `table.columns` order. A row whose `table.key` exists
   * replaces the old one (`ON CONFLICT (...) DO UPDATE`). Rows must not repeat a key within one call.
   */
  insertMany(table: TableSpec, rows: readonly SqlValue[][]): Promise<void>;
  /** Runs a trusted multi-statement script without parameters (a migration file). */
  executeScript(sql: string): Promise<void>;
}

export interface SqlDriver extends SqlExecutor {
  readonly dialect: 'sqlite' | 'pg';
  /** SQL for "the column is one of the strings in this parameter"; bind `listParam(values)` to its `?`. */
  inList(column: string): string;
  listParam(values: readonly string[]): SqlValue;
  /** SQL for the database's clock in epoch milliseconds, for leases. */
  readonly nowMs: string;
  /**
   * Appended to a SELECT inside a transaction: holds the rows read against concurrent updates until
   * commit (` FOR SHARE`); empty where the transaction already holds the database's write lock.
   */
  readonly shareLock: string;
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** SQL that holds a lock for the rest of the transaction, so concurrent migrations queue; empty if the transaction itself serialises. */
  readonly migrationLock: string;
  close(): Promise<void>;
}

/**
 * What both drivers do alike: run a statement outside a transaction on their `direct` executor, each
 * call through `serialize` (a no-op here; SQLite queues it behind the connection's lock).
 */
export abstract class DirectSqlDriver implements SqlDriver {
  abstract readonly dialect: SqlDriver['dialect'];
  abstract readonly nowMs: string;
  abstract readonly shareLock: string;
  abstract readonly migrationLock: string;
  protected abstract readonly direct: SqlExecutor;
  abstract inList(column: string): string;
  abstract transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  abstract close(): Promise<void>;

  protected serialize<T>(run: () => Promise<T>): Promise<T> {
    return run();
  }

  query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.serialize(() => this.direct.query<T>(sql, params));
  }

  execute(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.serialize(() => this.direct.execute(sql, params));
  }

  insertMany(table: TableSpec, rows: readonly SqlValue[][]): Promise<void> {
    return this.serialize(() => this.direct.insertMany(table, rows));
  }

  executeScript(sql: string): Promise<void> {
    return this.serialize(() => this.direct.executeScript(sql));
  }

  /** Both bind a list as one JSON array parameter (see `inList`). */
  listParam(values: readonly string[]): SqlValue {
    return JSON.stringify(values);
  }
}

/** One INSERT, optionally an upsert on `conflictKeys`; table and column names are ours, never input. */
export function insertSql(
  table: string,
  columns: readonly string[],
  conflictKeys?: readonly string[],
  source = `VALUES (${columns.map(() => '?').join(', ')})`,
): string {
  let sql = `INSERT INTO ${table} (${columns.join(', ')}) ${source}`;
  if (conflictKeys && conflictKeys.length > 0) {
    const updates = columns.filter((c) => !conflictKeys.includes(c)).map((c) => `${c} = excluded.${c}`);
    sql += ` ON CONFLICT (${conflictKeys.join(', ')}) DO ${updates.length ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`;
  }
  return sql;
}
