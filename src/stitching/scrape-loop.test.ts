import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../shared/logger.ts';
import { openStore } from '../store/index.ts';
import type { TopologyStore } from '../store/types.ts';
import { LOOP_LEASE, ScrapeLoop, TRIGGER_LEASE, type ScrapeLoopOptions } from './scrape-loop.ts';

// Real SQLite store (in memory), real timers: short TTLs keep it quick.
const stores: TopologyStore[] = [];
const loops: ScrapeLoop[] = [];
afterEach(async () => {
  await Promise.all(loops.splice(0).map((l) => l.close()));
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

async function store(): Promise<TopologyStore> {
  const s = await openStore({ client: 'sqlite', path: ':memory:' }, { logger: silentLogger() });
  stores.push(s);
  return s;
}

function loop(
  shared: TopologyStore,
  holder: string,
  runs: string[],
  options: Partial<ScrapeLoopOptions> = {},
) {
  const l = new ScrapeLoop({
    store: shared,
    holder,
    intervalMs: 60_000,
    leaseTtlMs: 600,
    tickMs: 50,
    logger: silentLogger(),
    random: () => 0.5,
    run: async () => {
      runs.push(holder);
      await shared.recordRun({
        instance: 'main',
        startedAt: new Date(),
        durationMs: 1,
        counts: {},
        errors: [],
        status: 'ok',
      });
    },
    ...options,
  });
  loops.push(l);
  return l;
}

/** A loop on a fresh store that has started, taken the lease and run once (nothing ran before). */
async function firstLeader(holder: string) {
  const shared = await store();
  const runs: string[] = [];
  const leader = loop(shared, holder, runs);
  leader.start();
  await until(() => runs.length === 1);
  return { shared, runs, leader };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('ScrapeLoop', () => {
  it('lets exactly one of several replicas lead and run, and runs at once when nothing ran before', async () => {
    const shared = await store();
    const runs: string[] = [];
    const replicas = ['a', 'b', 'c'].map((h) => loop(shared, h, runs));
    replicas.forEach((r) => r.start());
    await until(() => runs.length === 1);
    await sleep(300);
    expect(replicas.filter((r) => r.leader)).toHaveLength(1);
    expect(runs).toHaveLength(1);
    expect((await shared.getLease(LOOP_LEASE))?.holder).toBe(runs[0]);
  });

  it('hands the loop over when the leader closes, without a run before the interval is up', async () => {
    const { shared, runs, leader: first } = await firstLeader('first');
    const second = loop(shared, 'second', runs);
    second.start();
    await sleep(200);
    expect(second.leader).toBe(false);
    await first.close();
    await until(() => second.leader);
    await sleep(200);
    // The last run is recent, so the new leader waits for the interval.
    expect(runs).toEqual(['first']);
  });

  it('is taken over only after the TTL when the leader dies without releasing', async () => {
    const shared = await store();
    const runs: string[] = [];
    // A replica that died holds its lease until it expires and renews it no more.
    expect(await shared.tryAcquireLease(LOOP_LEASE, 'dead', 600)).toMatchObject({ epoch: 1 });
    const acquiredAt = Date.now();
    const survivor = loop(shared, 'survivor', runs);
    survivor.start();
    await sleep(300);
    expect(survivor.leader).toBe(false);
    await until(() => survivor.leader);
    expect(Date.now() - acquiredAt).toBeGreaterThanOrEqual(550);
    expect((await shared.getLease(LOOP_LEASE))?.holder).toBe('survivor');
    await until(() => runs.length === 1);
    // The takeover raised the epoch: the survivor's writes are fenced by epoch 2.
    expect(survivor.fence).toEqual({ lease: LOOP_LEASE, holder: 'survivor', epoch: 2 });
  });

  it('runs with the fence of its lease, and steps down at once when a fenced write is refused', async () => {
    const shared = await store();
    const fences: unknown[] = [];
    const leadership: boolean[] = [];
    // A TTL of a minute: no renewal within the test, so only the refused write can tell it the lease is gone.
    const l = loop(shared, 'stalled', [], {
      leaseTtlMs: 60_000,
      onLeadership: (leader) => leadership.push(leader),
      run: async (_signal, fence) => {
        fences.push(fence);
        // What a stall past the TTL looks like from here: another replica has the lease meanwhile.
        await shared.releaseLease(LOOP_LEASE, 'stalled');
        await shared.tryAcquireLease(LOOP_LEASE, 'successor', 60_000);
        await shared.recordRun(
          { instance: 'main', startedAt: new Date(), durationMs: 1, counts: {}, errors: [], status: 'ok' },
          fence,
        );
      },
    });
    l.start();
    await until(() => leadership.length === 2);
    expect(fences).toEqual([{ lease: LOOP_LEASE, holder: 'stalled', epoch: 1 }]);
    expect(leadership).toEqual([true, false]);
    expect(l.fence).toBeUndefined();
    expect(await shared.listRuns()).toEqual([]);
    expect(await shared.getLease(LOOP_LEASE)).toMatchObject({ holder: 'successor', epoch: 2 });
  });

  it('runs on request on the leader, and takes up a request left by another replica', async () => {
    const { shared, runs, leader } = await firstLeader('leader');
    expect(await leader.requestRun()).toEqual({ leader: true });
    await until(() => runs.length === 2);

    const follower = loop(shared, 'follower', runs);
    follower.start();
    await sleep(100);
    expect(await follower.requestRun()).toEqual({ leader: false });
    expect(await follower.requestRun()).toEqual({ leader: false });
    await until(() => runs.length === 3);
    await sleep(200);
    // Two requests while one was pending: one run.
    expect(runs).toEqual(['leader', 'leader', 'leader']);
    expect(await shared.getLease(TRIGGER_LEASE)).toBeUndefined();
  });

  it('aborts a run in progress when it closes, and releases the lease', async () => {
    const shared = await store();
    let aborted = false;
    const l = loop(shared, 'slow', [], {
      run: (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          }),
        ),
    });
    l.start();
    await until(() => l.running);
    await l.close();
    expect(aborted).toBe(true);
    expect(await shared.getLease(LOOP_LEASE)).toBeUndefined();
  });
});
