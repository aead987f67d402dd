import type { SqlDriver } from './sql-driver.ts';
import type { ReplicaMember } from './types.ts';

/**
 * The SQL behind the store's replica membership (table sb_replicas, migration 003). Time is the
 * database's clock, as for the scrape-loop lease, so replicas with skewed clocks agree on who is alive.
 */

/** Joins `id` with a new epoch if no live process holds it; undefined while another does. */
export async function joinReplica(
  driver: SqlDriver,
  member: { id: string; url: string },
  ttlMs: number,
): Promise<number | undefined> {
  const now = driver.nowMs;
  const [row] = await driver.query<{ epoch: number }>(
    `INSERT INTO sb_replicas (id, url, epoch, joined_at, expires_at) VALUES (?, ?, 1, ${now}, ${now} + ?)
     ON CONFLICT (id) DO UPDATE SET url = excluded.url, epoch = sb_replicas.epoch + 1,
       joined_at = excluded.joined_at, expires_at = excluded.expires_at
     WHERE sb_replicas.expires_at <= ${now}
     RETURNING epoch`,
    [member.id, member.url, ttlMs],
  );
  return row ? Number(row.epoch) : undefined;
}

/** Extends the lease of `id` at `epoch`; false when that epoch's lease was lost. */
export async function renewReplica(
  driver: SqlDriver,
  member: { id: string; epoch: number },
  ttlMs: number,
): Promise<boolean> {
  const changed = await driver.execute(
    `UPDATE sb_replicas SET expires_at = ${driver.nowMs} + ? WHERE id = ? AND epoch = ? AND expires_at > ${driver.nowMs}`,
    [ttlMs, member.id, member.epoch],
  );
  return changed > 0;
}

/** Ends the lease of `id` at `epoch` now (the row stays, so the next join gets a higher epoch). */
export async function leaveReplica(driver: SqlDriver, member: { id: string; epoch: number }): Promise<void> {
  await driver.execute(`UPDATE sb_replicas SET expires_at = ${driver.nowMs} WHERE id = ? AND epoch = ?`, [
    member.id,
    member.epoch,
  ]);
}

/** The replicas whose lease has not expired, by id. */
export async function liveReplicas(driver: SqlDriver): Promise<ReplicaMember[]> {
  const rows = await driver.query(
    `SELECT id, url, epoch, joined_at, expires_at FROM sb_replicas WHERE expires_at > ${driver.nowMs} ORDER BY id`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    url: String(r.url),
    epoch: Number(r.epoch),
    joinedAt: new Date(Number(r.joined_at)),
    expiresAt: new Date(Number(r.expires_at)),
  }));
}
