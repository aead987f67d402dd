import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL of the test machine (127.0.0.1:5432, trust auth, database `test`); PGHOST, PGPORT,
 * PGUSER and PGDATABASE override the defaults.
 */
export const PG_SERVER = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  database: process.env.PGDATABASE ?? 'test',
};

/** A `backend.database` on one schema of the test PostgreSQL. */
export interface PgDatabase {
  client: 'pg';
  connection: typeof PG_SERVER & { options: string };
}

/**
 * Fresh schemas on the test PostgreSQL, named `<prefix>_<pid>_<hex>_<n>`, each dropped by `dropAll`.
 *
 * @example
 *   const schemas = new PgSchemas();
 *   const database = await schemas.fresh(); // { client: 'pg', connection: { ...PG_SERVER, options } }
 *   afterAll(() => schemas.dropAll());
 */
export class PgSchemas {
  readonly #run: string;
  readonly #made: string[] = [];

  constructor(prefix = 'sb_test') {
    this.#run = `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
  }

  async fresh(): Promise<PgDatabase> {
    const schema = `${this.#run}_${this.#made.length + 1}`;
    // The name is ours (a prefix, the pid and hex digits), never input.
    await withAdmin((admin) => admin.query(`CREATE SCHEMA ${schema}`));
    this.#made.push(schema);
    return { client: 'pg', connection: { ...PG_SERVER, options: `-c search_path=${schema}` } };
  }

  async dropAll(): Promise<void> {
    const made = this.#made.splice(0);
    await withAdmin(async (admin) => {
      for (const schema of made) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    });
  }
}

async function withAdmin(use: (admin: pg.Client) => Promise<unknown>): Promise<void> {
  const admin = new pg.Client(PG_SERVER);
  try {
    await admin.connect();
    await use(admin);
  } finally {
    await admin.end().catch(() => undefined);
  }
}
