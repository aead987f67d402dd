import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_SERVER, PgSchemas } from '../../test/helpers/pg.ts';
import { isStitchboardError } from '../errors/errors.ts';
import { silentLogger } from '../shared/logger.ts';
import { openStore } from './index.ts';
import { openPgStore } from './pg-store.ts';
import { runStoreContract } from './store.contract.ts';
import { loadMigrations } from './migrate.ts';

const known = loadMigrations('pg');

/**
 * Runs the store contract against the PostgreSQL on this machine (test/helpers/pg.ts), each test in a
 * fresh schema; every schema this run made is dropped at the end.
 */
const schemas = new PgSchemas();
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client(PG_SERVER);
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await schemas.dropAll();
});

const freshSchema = async () => (await schemas.fresh()).connection;

runStoreContract('pg', async () => {
  const connection = await freshSchema();
  const logger = silentLogger();
  return {
    store: await openPgStore(connection, { logger }),
    reopen: () => openPgStore(connection, { logger }),
  };
});

describe('pg store: opening', () => {
  it('migrates once when several replicas open a fresh schema together', async () => {
    const connection = await freshSchema();
    const stores = await Promise.all(
      [1, 2, 3].map(() => openPgStore(connection, { logger: silentLogger() })),
    );
    const schema = String(connection.options).split('=')[1];
    const { rows } = await admin.query(`SELECT version, name FROM ${schema}.sb_migrations`);
    expect(rows).toEqual(known.map(({ version, name }) => ({ version, name })));
    await Promise.all(stores.map((s) => s.close()));
  });

  it('refuses a schema a newer Stitchboard migrated', async () => {
    const connection = await freshSchema();
    const store = await openPgStore(connection, { logger: silentLogger() });
    await store.close();
    const schema = String(connection.options).split('=')[1];
    await admin.query(
      `INSERT INTO ${schema}.sb_migrations (version, name, applied_at) VALUES (99, 'future', 0)`,
    );
    await expect(openStore({ client: 'pg', connection }, { logger: silentLogger() })).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining(
        `schema version 99, newer than this Stitchboard knows (${known.length})`,
      ),
    });
  });

  it.each([
    ['a connection string', 'postgres://stitch:S3cret-Passw0rd@127.0.0.1:1/test'],
    [
      'a connection object',
      { host: '127.0.0.1', port: 1, user: 'stitch', password: 'S3cret-Passw0rd', database: 'test' },
    ],
  ])('fails with STORE_FAILED and no password, given %s to a closed port', async (_name, connection) => {
    const error = await openStore({ client: 'pg', connection }, { logger: silentLogger() }).catch(
      (e: unknown) => e,
    );
    expect(isStitchboardError(error) && error.code).toBe('STORE_FAILED');
    expect(
      JSON.stringify({
        message: (error as Error).message,
        details: (error as { details?: unknown }).details,
      }),
    ).not.toContain('S3cret');
    expect((error as Error).message).toMatch(/store open failed \(pg\): .*ECONNREFUSED/);
    expect((error as Error).cause).toBeUndefined();
  });
});
