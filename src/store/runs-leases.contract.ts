import { describe, expect, it } from 'vitest';
import type { ContractStores } from './store.contract.ts';

/** The runs and lease part of the store contract (store.contract.ts runs it). */
export function describeRunsAndLeases(ctx: ContractStores): void {
  describe('runs and leases', () => {
    it('records runs and lists them latest first', async () => {
      const first = await ctx.store().recordRun({
        instance: 'main',
        startedAt: new Date('2025-01-01T00:00:00.000Z'),
        durationMs: 1234,
        counts: { components: 10, links: 8 },
        errors: [],
        status: 'ok',
      });
      const second = await ctx.store().recordRun({
        instance: 'main',
        startedAt: new Date('2025-01-01T00:05:00.000Z'),
        durationMs: 99,
        counts: { components: 10, links: 8 },
        errors: [{ part: 'cluster', cluster: 'us', message: 'connect ECONNREFUSED' }],
        status: 'partial',
      });
      await ctx.store().recordRun({ ...second, instance: 'second' });
      expect(second.id).toBeGreaterThan(first.id);
      const runs = await ctx.store().listRuns({ instance: 'main' });
      expect(runs).toEqual([second, first]);
      expect(runs[0]?.startedAt).toBeInstanceOf(Date);
      expect(await ctx.store().listRuns({ limit: 1 })).toHaveLength(1);
      expect((await ctx.store().listRuns()).map((r) => r.instance)).toEqual(['second', 'main', 'main']);
      await expect(ctx.store().listRuns({ limit: -1 })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
      await expect(ctx.store().recordRun({ ...first, status: 'meh' as never })).rejects.toMatchObject({
        code: 'INPUT_INVALID',
      });
    });

    it('gives the lease to one holder at a time, across connections', async () => {
      const other = await ctx.reopen();
      const a = { holder: 'replica-a', epoch: 1 };
      expect(await ctx.store().tryAcquireLease('scrape', 'replica-a', 60_000)).toMatchObject(a);
      expect(await other.tryAcquireLease('scrape', 'replica-b', 60_000)).toBeUndefined();
      expect(await other.getLease('scrape')).toMatchObject(a);
      expect(await ctx.store().tryAcquireLease('scrape', 'replica-a', 60_000)).toMatchObject(a);
      expect(await ctx.store().renewLease('scrape', 'replica-a', 60_000)).toMatchObject(a);
      expect(await other.renewLease('scrape', 'replica-b', 60_000)).toBeUndefined();
      await other.releaseLease('scrape', 'replica-b');
      expect(await other.tryAcquireLease('scrape', 'replica-b', 60_000)).toBeUndefined();
      await ctx.store().releaseLease('scrape', 'replica-a');
      expect(await ctx.store().getLease('scrape')).toBeUndefined();
      expect(await other.tryAcquireLease('scrape', 'replica-b', 60_000)).toMatchObject({
        holder: 'replica-b',
        epoch: 2,
      });
      expect(await ctx.store().tryAcquireLease('other-loop', 'replica-a', 60_000)).toMatchObject(a);
    });

    it('lets another holder take an expired lease, and the old holder cannot renew it', async () => {
      const other = await ctx.reopen();
      expect(await ctx.store().tryAcquireLease('scrape', 'replica-a', 150)).toBeDefined();
      expect(await other.tryAcquireLease('scrape', 'replica-b', 60_000)).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await ctx.store().getLease('scrape')).toBeUndefined();
      expect(await other.tryAcquireLease('scrape', 'replica-b', 60_000)).toBeDefined();
      expect(await ctx.store().renewLease('scrape', 'replica-a', 60_000)).toBeUndefined();
      expect(await ctx.store().getLease('scrape')).toMatchObject({ holder: 'replica-b' });
    });

    it('raises the epoch on every takeover, keeps it on renewal, and never repeats it', async () => {
      const other = await ctx.reopen();
      const first = await ctx.store().tryAcquireLease('scrape', 'replica-a', 150);
      expect(first).toMatchObject({ holder: 'replica-a', epoch: 1 });
      expect(first?.expiresAt).toBeInstanceOf(Date);
      const renewed = await ctx.store().renewLease('scrape', 'replica-a', 150);
      expect(renewed).toMatchObject({ holder: 'replica-a', epoch: 1 });
      expect(renewed?.expiresAt.getTime()).toBeGreaterThanOrEqual(first?.expiresAt.getTime() ?? Infinity);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Expired but not taken: the same holder takes it back in the same tenure, nobody else wrote.
      expect(await ctx.store().tryAcquireLease('scrape', 'replica-a', 150)).toMatchObject({ epoch: 1 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await other.tryAcquireLease('scrape', 'replica-b', 60_000)).toMatchObject({
        holder: 'replica-b',
        epoch: 2,
      });
      expect(await other.getLease('scrape')).toMatchObject({ holder: 'replica-b', epoch: 2 });
      // Released, the row keeps its epoch: the next holder's, even the first holder's again, is higher.
      await other.releaseLease('scrape', 'replica-b');
      expect(await ctx.store().tryAcquireLease('scrape', 'replica-a', 60_000)).toMatchObject({
        holder: 'replica-a',
        epoch: 3,
      });
      expect(await other.renewLease('scrape', 'replica-b', 60_000)).toBeUndefined();
      expect(await ctx.store().tryAcquireLease('elsewhere', 'replica-b', 60_000)).toMatchObject({ epoch: 1 });
    });

    it('lets exactly one of many simultaneous claimants win, at epoch 1', async () => {
      const others = await Promise.all([ctx.reopen(), ctx.reopen(), ctx.reopen()]);
      const wins = await Promise.all(
        [ctx.store(), ...others].map((s, i) => s.tryAcquireLease('race', `replica-${i}`, 60_000)),
      );
      expect(wins.filter(Boolean)).toEqual([expect.objectContaining({ epoch: 1 })]);
    });

    it('rejects a bad lease duration', async () => {
      await expect(ctx.store().tryAcquireLease('scrape', 'a', 0)).rejects.toMatchObject({
        code: 'INPUT_INVALID',
      });
      await expect(ctx.store().renewLease('scrape', 'a', 1.5)).rejects.toMatchObject({
        code: 'INPUT_INVALID',
      });
    });
  });
}
