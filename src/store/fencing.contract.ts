import { describe, expect, it } from 'vitest';
import { isStitchboardError } from '../errors/errors.ts';
import type { StitchResult } from '../topology/types.ts';
import type { ContractStores } from './store.contract.ts';
import type { Fence, ReplaceScope, RunInput, TopologyStore } from './types.ts';

/**
 * The fencing part of the store contract (store.contract.ts runs it): a write that carries a lease's
 * epoch commits only while that epoch is the lease's, checked in the write's own transaction.
 * `result(instance, clusters)` is a stitch result whose links lie in those clusters.
 */
export function describeFencing(
  ctx: ContractStores & {
    result: (variant: 'first' | 'second') => StitchResult;
    scope: ReplaceScope;
  },
): void {
  const LEASE = 'loop';
  const run = (status: RunInput['status'], links: number): RunInput => ({
    instance: 'main',
    startedAt: new Date(),
    durationMs: 5,
    counts: { links },
    errors: [],
    status,
  });
  const fenceOf = (holder: string, epoch: number): Fence => ({ lease: LEASE, holder, epoch });
  const lines = async (store: TopologyStore) =>
    (await store.listServices()).map((l) => `${l.cluster}/${l.namespace}/${l.service} ${l.componentRef}`);
  const refusal = (error: unknown) => {
    expect(isStitchboardError(error) && error.code).toBe('LEASE_LOST');
    return error as Error & { details: Record<string, unknown> };
  };

  describe('fenced writes', () => {
    it('commits while the epoch is current', async () => {
      const lease = await ctx.store().tryAcquireLease(LEASE, 'replica-a', 60_000);
      const fence = fenceOf('replica-a', lease?.epoch ?? 0);
      await ctx.store().replaceInstanceResults('main', ctx.result('first'), ctx.scope, fence);
      const record = await ctx.store().recordRun(run('ok', 1), fence);
      expect(await lines(ctx.store())).not.toEqual([]);
      expect(await ctx.store().listRuns()).toEqual([record]);
      // A renewal keeps the epoch, so the fence stays good.
      await ctx.store().renewLease(LEASE, 'replica-a', 60_000);
      await ctx.store().recordRun(run('ok', 2), fence);
      expect(await ctx.store().listRuns()).toHaveLength(2);
    });

    it('refuses the old holder once another took the lease over, changing nothing', async () => {
      const stale = await ctx.reopen();
      const old = await stale.tryAcquireLease(LEASE, 'replica-a', 150);
      const oldFence = fenceOf('replica-a', old?.epoch ?? 0);
      await stale.replaceInstanceResults('main', ctx.result('first'), ctx.scope, oldFence);
      await new Promise((resolve) => setTimeout(resolve, 300));

      const taken = await ctx.store().tryAcquireLease(LEASE, 'replica-b', 60_000);
      expect(taken?.epoch).toBe((old?.epoch ?? 0) + 1);
      const newFence = fenceOf('replica-b', taken?.epoch ?? 0);
      await ctx.store().replaceInstanceResults('main', ctx.result('second'), ctx.scope, newFence);
      const newRun = await ctx.store().recordRun(run('ok', 2), newFence);
      const afterTakeover = await lines(ctx.store());
      const reportAfterTakeover = await ctx.store().getReport();

      const replaced = refusal(
        await stale
          .replaceInstanceResults('main', ctx.result('first'), ctx.scope, oldFence)
          .catch((e: unknown) => e),
      );
      expect(replaced.message).toBe(
        `store replaceInstanceResults refused: lease "${LEASE}" has moved on from epoch ${oldFence.epoch} of replica-a; it is at epoch ${newFence.epoch}, held by replica-b`,
      );
      expect(replaced.details).toEqual({
        operation: 'replaceInstanceResults',
        lease: LEASE,
        holder: 'replica-a',
        epoch: oldFence.epoch,
        currentHolder: 'replica-b',
        currentEpoch: newFence.epoch,
      });
      const recorded = refusal(await stale.recordRun(run('ok', 1), oldFence).catch((e: unknown) => e));
      expect(recorded.message).toContain('store recordRun refused');

      // Nothing lost, nothing overwritten: the new holder's results and run are exactly as written.
      expect(await lines(ctx.store())).toEqual(afterTakeover);
      expect(await lines(stale)).toEqual(afterTakeover);
      expect(await ctx.store().getReport()).toEqual(reportAfterTakeover);
      expect(await ctx.store().listRuns()).toEqual([newRun]);
      expect(afterTakeover).toEqual(linesOf(ctx.result('second')));
    });

    it('refuses a fence once its holder released the lease and another took it', async () => {
      const lease = await ctx.store().tryAcquireLease(LEASE, 'replica-a', 60_000);
      await ctx.store().releaseLease(LEASE, 'replica-a');
      const other = await ctx.reopen();
      expect(await other.tryAcquireLease(LEASE, 'replica-b', 60_000)).toMatchObject({ epoch: 2 });
      refusal(
        await ctx
          .store()
          .recordRun(run('ok', 1), fenceOf('replica-a', lease?.epoch ?? 0))
          .catch((e: unknown) => e),
      );
      expect(await ctx.store().listRuns()).toEqual([]);
    });

    it('refuses a fence naming another holder, another epoch or a lease nobody holds', async () => {
      const lease = await ctx.store().tryAcquireLease(LEASE, 'replica-a', 60_000);
      const epoch = lease?.epoch ?? 0;
      for (const fence of [
        fenceOf('replica-b', epoch),
        fenceOf('replica-a', epoch + 1),
        { lease: 'never-held', holder: 'replica-a', epoch },
      ]) {
        const error = refusal(
          await ctx
            .store()
            .replaceInstanceResults('main', ctx.result('first'), ctx.scope, fence)
            .catch((e: unknown) => e),
        );
        if (fence.lease === 'never-held') expect(error.message).toMatch(/; it is not held$/);
      }
      expect(await ctx.store().listServices()).toEqual([]);
      expect(await ctx.store().listRuns()).toEqual([]);
    });

    it('rejects a malformed fence before writing', async () => {
      for (const fence of [
        { lease: '', holder: 'a', epoch: 1 },
        { lease: LEASE, holder: 'a', epoch: 0 },
        { lease: LEASE, holder: 'a', epoch: 1.5 },
      ]) {
        await expect(ctx.store().recordRun(run('ok', 1), fence)).rejects.toMatchObject({
          code: 'INPUT_INVALID',
        });
      }
    });
  });
}

function linesOf(result: StitchResult): string[] {
  return result.links.map((l) => `${l.cluster}/${l.namespace}/${l.service} ${l.componentRef}`).sort();
}
