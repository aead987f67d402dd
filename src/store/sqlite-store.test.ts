import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../shared/logger.ts';
import { openStore } from './index.ts';
import { openSqliteStore } from './sqlite-store.ts';
import { runStoreContract } from './store.contract.ts';
import { loadMigrations } from './migrate.ts';

const known = loadMigrations('sqlite');

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stitchboard-sqlite-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// A real file per test (not :memory:) so WAL, a second connection and reopening are the real thing.
runStoreContract('sqlite', async () => {
  const path = join(dir, `store-${++n}`, 'stitchboard.db');
  const logger = silentLogger();
  return { store: await openSqliteStore(path, { logger }), reopen: () => openSqliteStore(path, { logger }) };
});

describe('sqlite store: opening', () => {
  it('creates the file and its directories, in WAL mode, and migrates once', async () => {
    const path = join(dir, 'nested', 'deeper', 'stitchboard.db');
    const store = await openStore({ client: 'sqlite', path }, { logger: silentLogger() });
    await store.close();
    const again = await openStore({ client: 'sqlite', path }, { logger: silentLogger() });
    await again.close();
    const db = new DatabaseSync(path);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(db.prepare('SELECT version, name FROM sb_migrations').all()).toEqual([
      ...known.map(({ version, name }) => ({ version, name })),
    ]);
    db.close();
  });

  it('refuses a database a newer Stitchboard migrated', async () => {
    const path = join(dir, 'future', 'stitchboard.db');
    await (await openSqliteStore(path, { logger: silentLogger() })).close();
    const db = new DatabaseSync(path);
    db.exec("INSERT INTO sb_migrations (version, name, applied_at) VALUES (99, 'future', 0)");
    db.close();
    await expect(openStore({ client: 'sqlite', path }, { logger: silentLogger() })).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining(
        `schema version 99, newer than this Stitchboard knows (${known.length})`,
      ),
    });
  });

  it('names the path when the file cannot be created', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'not a directory');
    const path = join(blocker, 'stitchboard.db');
    await expect(openStore({ client: 'sqlite', path }, { logger: silentLogger() })).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining(`store open failed (sqlite at ${path})`),
    });
  });
});
