import type { Entity } from '@backstage/catalog-model';
import { describe, expect, it } from 'vitest';
import type { ComponentStatus } from '../contract/stitchboard.ts';
import { matchesQuery, StatusCache, statusOf, summarize } from './component-summary.ts';

const entity = (spec: Record<string, string>, metadata: Partial<Entity['metadata']> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'cart', namespace: 'shop', ...metadata },
  spec,
});

describe('summarize', () => {
  it.each([
    ['a bare owner is a group in the component’s namespace', 'team-a', 'group:shop/team-a'],
    ['a kind without a namespace takes the component’s', 'user:jane', 'user:shop/jane'],
    ['a full ref is kept, lower-cased', 'Group:Default/Team-A', 'group:default/team-a'],
  ])('%s', (_name, owner, ownerRef) => {
    expect(summarize(entity({ owner, type: 'service' }))).toMatchObject({ owner, ownerRef });
  });

  it('gives no ref, so no link, to an owner that cannot own (not a group or a user)', () => {
    const summary = summarize(entity({ owner: 'component:default/other' }));
    expect(summary.owner).toBe('component:default/other');
    expect(summary).not.toHaveProperty('ownerRef');
  });

  it('leaves out what the entity does not say', () => {
    expect(summarize(entity({ owner: '' }, { title: '' }))).toEqual({
      ref: 'component:shop/cart',
      kind: 'Component',
      namespace: 'shop',
      name: 'cart',
    });
  });
});

describe('matchesQuery', () => {
  const s = summarize(
    entity({ owner: 'team-a', system: 'checkout', lifecycle: 'production' }, { title: 'Cart API' }),
  );
  it.each([
    ['', true],
    ['cart', true],
    ['CART api', true],
    ['team-a checkout', true],
    ['production', true],
    ['cart payments', false],
  ])('%j → %s', (q, expected) => {
    expect(matchesQuery(s, q)).toBe(expected);
  });
});

describe('statusOf', () => {
  it('names clusters with objects and clusters with errors apart; nothing anywhere is "none"', () => {
    const pod = { metadata: { name: 'p' }, status: { containerStatuses: [{ name: 'a', restartCount: 0 }] } };
    expect(
      statusOf(
        {
          items: [
            {
              cluster: { name: 'a' },
              resources: [{ type: 'pods', resources: [pod] }],
              podMetrics: [],
              errors: [],
            },
            {
              cluster: { name: 'b' },
              resources: [],
              podMetrics: [],
              errors: [{ errorType: 'FETCH_ERROR', message: 'x' }],
            },
          ],
        },
        0,
      ),
    ).toEqual({ clusters: ['a'], clusterErrors: ['b'], health: 'warning', detectedErrors: 0 });
    expect(statusOf({ items: [] }, 0).health).toBe('none');
  });
});

describe('StatusCache', () => {
  const status = (n: number): ComponentStatus => ({
    clusters: [],
    clusterErrors: [],
    health: 'ok',
    detectedErrors: n,
  });

  it('runs at most `concurrency` computations at once and reuses results within the TTL', async () => {
    const cache = new StatusCache({ ttlMs: 60_000, concurrency: 2 });
    let running = 0;
    let peak = 0;
    const calls: string[] = [];
    const compute = async (ref: string) => {
      calls.push(ref);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return status(ref.length);
    };
    const refs = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    expect((await cache.statuses(refs, compute)).map((s) => s.detectedErrors)).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    await cache.statuses(['a', 'bb'], compute);
    expect(calls).toEqual(refs);
  });

  it('does not keep a failure', async () => {
    const cache = new StatusCache({ ttlMs: 60_000, concurrency: 1 });
    await expect(
      cache.statuses(['a'], async () => Promise.reject(new Error('cluster down'))),
    ).rejects.toThrow('cluster down');
    expect(await cache.statuses(['a'], async () => status(7))).toEqual([status(7)]);
  });

  it('computes again after the TTL', async () => {
    const cache = new StatusCache({ ttlMs: 0, concurrency: 1 });
    let n = 0;
    await cache.statuses(['a'], async () => status(++n));
    await new Promise((r) => setTimeout(r, 2));
    expect(await cache.statuses(['a'], async () => status(++n))).toEqual([status(2)]);
  });
});
