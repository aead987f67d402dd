import { readdirSync, readFileSync } from 'node:fs';
import type { Logger } from '../shared/logger.ts';
import { StitchboardError } from '../errors/errors.ts';
import type { SqlDriver } from './sql-driver.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE = /^(\d{3})-([a-z0-9-]+)\.sql$/;

/** The numbered migrations of one dialect, `migrations/<dialect>/NNN-name.sql`, in order. */
export function loadMigrations(dialect: 'sqlite' | 'pg'): Migration[] {
  const dir = new URL(`./migrations/${dialect}/`, import.meta.url);
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = FILE.exec(file);
      if (!match) {
        throw new StitchboardError('INTERNAL', `migration file ${dialect}/${file} is not named NNN-name.sql`);
      }
      return {
        version: Number(match[1]),
        name: match[2] as string,
        sql: readFileSync(new URL(file, dir), 'utf8'),
      };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StitchboardError('INTERNAL', `migrations/${dialect} skips or repeats version ${i + 1}`);
    }
  });
  return migrations;
}

/**
 * Applies the migrations the database lacks, all in one transaction, and refuses a database that a
 * newer Stitchboard has migrated past what this one knows.
 */
export async function migrate(
  driver: SqlDriver,
  migrations: readonly Migration[],
  logger: Logger,
): Promise<number[]> {
  return driver.transaction(async (tx) => {
    if (driver.migrationLock) await tx.query(driver.migrationLock);
    await tx.executeScript(
      'CREATE TABLE IF NOT EXISTS sb_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)',
    );
    const rows = await tx.query<{ version: number }>('SELECT version FROM sb_migrations');
    const applied = new Set(rows.map((r) => Number(r.version)));
    const newest = Math.max(0, ...applied);
    const known = migrations.length;
    if (newest > known) {
      throw new StitchboardError(
        'STORE_FAILED',
        `the database is at schema version ${newest}, newer than this Stitchboard knows (${known}); upgrade Stitchboard`,
      );
    }
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await tx.executeScript(migration.sql);
      await tx.execute('INSERT INTO sb_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
      logger.info({ version: migration.version, migration: migration.name }, 'applied database migration');
      done.push(migration.version);
    }
    return done;
  });
}
