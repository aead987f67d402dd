import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../shared/logger.ts';
import { until as waitFor } from '../stitching/test-support.ts';
import { openSqliteStore } from '../store/sqlite-store.ts';
import type { TopologyStore } from '../store/types.ts';
import { Membership, type ShareChange } from './membership.ts';

// Real membership over a real store: SQLite here (one file, several connections, as several replicas
// would share PostgreSQL); the PostgreSQL dialect runs the same SQL in the store contract.
const CLUSTERS = Array.from({ length: 12 }, (_, i) => `cluster-${i}`);
const TTL_MS = 1000;
let dir: string;
let stores: TopologyStore[];
let running: Membership[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stitchboard-membership-'));
  stores = [];
  running = [];
});
afterEach(async () => {
  await Promise.all(running.map((m) => m.stop()));
  await Promise.all(stores.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function replica(id: string, changes: ShareChange[] = []): Promise<Membership> {
  const store = await openSqliteStore(join(dir, 'shared.db'), { logger: silentLogger() });
  stores.push(store);
  const membership = new Membership({
    store,
    id,
    ttlMs: TTL_MS,
    clusterNames: async () => CLUSTERS,
    onShareChange: (change) => void changes.push(change),
    logger: silentLogger(),
  });
  running.push(membership);
  await membership.start(`http://${id}.test:7007`);
  return membership;
}

/** Waits for a condition on the memberships' state, which their heartbeats update. */
const until = (what: string, check: () => boolean, timeoutMs = 5000) =>
  waitFor(what, async () => check(), timeoutMs);

const owned = (m: Membership) => CLUSTERS.filter((c) => m.owns(c));
const agree = (all: Membership[]) =>
  CLUSTERS.every((c) => new Set(all.map((m) => m.ownerOf(c)?.id)).size === 1 && all.some((m) => m.owns(c)));

describe('Membership', () => {
  it('alone, owns every cluster with epoch 1', async () => {
    const changes: ShareChange[] = [];
    const solo = await replica('a', changes);
    expect(solo.epoch).toBe(1);
    expect(owned(solo)).toEqual(CLUSTERS);
    expect(solo.ownerOf('cluster-0')).toMatchObject({ id: 'a', url: 'http://a.test:7007', epoch: 1 });
    expect(changes).toEqual([{ gained: [...CLUSTERS].sort(), lost: [] }]);
    expect(solo.ownerOf('not-divided')).toBeUndefined();
  });

  it('divides the clusters so that each has exactly one owner, and all replicas agree on it', async () => {
    const all = [await replica('a'), await replica('b'), await replica('c')];
    await until('all three to agree', () => all.every((m) => m.members.length === 3) && agree(all));
    const counts = all.map((m) => owned(m).length);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(CLUSTERS.length);
    for (const count of counts) expect(count).toBeLessThanOrEqual(Math.ceil((1.25 * 12) / 3));
  });

  it('hands a leaving replica’s clusters to the others at once, and one whose lease expired within the TTL', async () => {
    const a = await replica('a');
    const b = await replica('b');
    await until('a and b to share', () => agree([a, b]) && owned(b).length > 0);
    await b.stop();
    await until('a to take b’s clusters', () => owned(a).length === CLUSTERS.length, TTL_MS);

    // A member that stops renewing (a killed process) drops out once its lease runs out.
    const ghost = stores[0] as TopologyStore;
    expect(await ghost.joinReplica({ id: 'ghost', url: 'http://ghost.test' }, TTL_MS)).toBe(1);
    await until(
      'the ghost to take a share',
      () => a.members.some((m) => m.id === 'ghost') && owned(a).length < CLUSTERS.length,
    );
    const startedWaiting = Date.now();
    await until('the ghost’s lease to expire', () => owned(a).length === CLUSTERS.length, 3 * TTL_MS);
    expect(Date.now() - startedWaiting).toBeLessThan(TTL_MS + TTL_MS / 3 + 500);
  });

  it('waits while another live process holds its id, then joins with the next epoch', async () => {
    const store = await openSqliteStore(join(dir, 'shared.db'), { logger: silentLogger() });
    stores.push(store);
    expect(await store.joinReplica({ id: 'a', url: 'http://old.test' }, TTL_MS)).toBe(1);
    const a = await replica('a');
    expect(a.epoch).toBeUndefined();
    expect(owned(a)).toEqual([]);
    expect(a.ownerOf('cluster-0')?.url).toBe('http://old.test');
    await until('a to join with epoch 2', () => a.epoch === 2, 3 * TTL_MS);
    await until('a to own every cluster', () => owned(a).length === CLUSTERS.length);
  });
});
