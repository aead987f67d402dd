import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ContractStores } from './store.contract.ts';

/** The replica-membership part of the store contract (store.contract.ts runs it). */
export function describeReplicaMembership(ctx: ContractStores): void {
  describe('replica membership', () => {
    it('lists live replicas by id with their URL and epoch', async () => {
      const other = await ctx.reopen();
      expect(await ctx.store().listReplicas()).toEqual([]);
      expect(await ctx.store().joinReplica({ id: 'b', url: 'http://b:7007' }, 60_000)).toBe(1);
      expect(await other.joinReplica({ id: 'a', url: 'http://a:7007' }, 60_000)).toBe(1);
      const members = await other.listReplicas();
      expect(members.map((m) => [m.id, m.url, m.epoch])).toEqual([
        ['a', 'http://a:7007', 1],
        ['b', 'http://b:7007', 1],
      ]);
      expect(members[0]?.expiresAt.getTime()).toBeGreaterThan(members[0]?.joinedAt.getTime() ?? Infinity);
    });

    it('refuses an id another process holds, and gives it a higher epoch once that lease expired', async () => {
      const other = await ctx.reopen();
      expect(await ctx.store().joinReplica({ id: 'a', url: 'http://old' }, 150)).toBe(1);
      expect(await other.joinReplica({ id: 'a', url: 'http://new' }, 60_000)).toBeUndefined();
      await sleep(300);
      expect(await ctx.store().listReplicas()).toEqual([]);
      expect(await ctx.store().renewReplica({ id: 'a', epoch: 1 }, 60_000)).toBe(false);
      expect(await other.joinReplica({ id: 'a', url: 'http://new' }, 60_000)).toBe(2);
      expect(await ctx.store().renewReplica({ id: 'a', epoch: 1 }, 60_000)).toBe(false);
      expect(await other.renewReplica({ id: 'a', epoch: 2 }, 60_000)).toBe(true);
      expect((await ctx.store().listReplicas()).map((m) => [m.url, m.epoch])).toEqual([['http://new', 2]]);
    });

    it('drops a replica that leaves at once, and only for its own epoch', async () => {
      expect(await ctx.store().joinReplica({ id: 'a', url: 'http://a' }, 60_000)).toBe(1);
      await ctx.store().leaveReplica({ id: 'a', epoch: 7 });
      expect(await ctx.store().listReplicas()).toHaveLength(1);
      await ctx.store().leaveReplica({ id: 'a', epoch: 1 });
      expect(await ctx.store().listReplicas()).toEqual([]);
      expect(await ctx.store().joinReplica({ id: 'a', url: 'http://a' }, 60_000)).toBe(2);
    });

    it('lets exactly one of many simultaneous joiners of one id in', async () => {
      const others = await Promise.all([ctx.reopen(), ctx.reopen(), ctx.reopen()]);
      const epochs = await Promise.all(
        [ctx.store(), ...others].map((s, i) => s.joinReplica({ id: 'same', url: `http://${i}` }, 60_000)),
      );
      expect(epochs.filter((e) => e !== undefined)).toEqual([1]);
    });

    it('rejects an empty id or URL and a bad lease duration', async () => {
      await expect(ctx.store().joinReplica({ id: '', url: 'http://a' }, 1000)).rejects.toMatchObject({
        code: 'INPUT_INVALID',
      });
      await expect(ctx.store().joinReplica({ id: 'a', url: '' }, 1000)).rejects.toMatchObject({
        code: 'INPUT_INVALID',
      });
      await expect(ctx.store().renewReplica({ id: 'a', epoch: 1 }, 0)).rejects.toMatchObject({
        code: 'INPUT_INVALID',
      });
    });
  });
}
