import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { DirectSqlDriver, insertSql, type Row, type SqlExecutor, type SqlValue } from './sql-driver.ts';

/**
 * node:sqlite is synchronous, while the store's code awaits between statements. A promise-chain
 * lock keeps a transaction's statements together: nothing else runs on the connection between its
 * BEGIN and COMMIT. There is one lock per database file in this process, because a second
 * connection to the same file that started a transaction meanwhile would wait synchronously
 * (busy_timeout) for a COMMIT that cannot run until it returns.
 */
class Lock {
  static readonly byFile = new Map<string, Lock>();

  #tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

export class SqliteDriver extends DirectSqlDriver {
  readonly dialect = 'sqlite' as const;
  readonly nowMs = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";
  // BEGIN IMMEDIATE takes the write lock: no other connection changes a row until COMMIT.
  readonly shareLock = '';
  // BEGIN IMMEDIATE already takes the database's write lock.
  readonly migrationLock = '';
  readonly #db: DatabaseSync;
  readonly #lock: Lock;
  readonly #statements = new Map<string, StatementSync>();
  protected readonly direct: SqlExecutor;

  /** Opens (creating it and its directory if needed) the database file at `path`, or `:memory:`. */
  constructor(path: string) {
    super();
    if (path === ':memory:') {
      this.#lock = new Lock();
    } else {
      mkdirSync(dirname(path), { recursive: true });
      const file = resolve(path);
      this.#lock = Lock.byFile.get(file) ?? new Lock();
      Lock.byFile.set(file, this.#lock);
    }
    this.#db = new DatabaseSync(path);
    // WAL lets readers (a CLI on the same file) read while the server writes; the busy timeout makes
    // a second process wait for the write lock instead of failing at once.
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
    this.direct = {
      query: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
        this.#prepare(sql).all(...params) as T[],
      execute: async (sql, params = []) => Number(this.#prepare(sql).run(...params).changes),
      insertMany: async (table, rows) => {
        if (rows.length === 0) return;
        const statement = this.#prepare(insertSql(table.name, table.columns, table.key));
        for (const row of rows) statement.run(...row);
      },
      executeScript: async (sql) => this.#db.exec(sql),
    };
  }

  #prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  protected override serialize<T>(run: () => Promise<T>): Promise<T> {
    return this.#lock.run(run);
  }

  inList(column: string): string {
    return `${column} IN (SELECT value FROM json_each(?))`;
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#lock.run(async () => {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.direct);
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return this.#lock.run(async () => {
      if (this.#db.isOpen) this.#db.close();
    });
  }
}
