import { describe, expect, it } from 'vitest';
import { assignShares, DEFAULT_LOAD_FACTOR } from './shares.ts';

const clusters = (n: number) => Array.from({ length: n }, (_, i) => `cluster-${i}`);
const replicas = (n: number) => Array.from({ length: n }, (_, i) => `replica-${i}`);

function loads(shares: Map<string, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const replica of shares.values()) out.set(replica, (out.get(replica) ?? 0) + 1);
  return out;
}

function moved(before: Map<string, string>, after: Map<string, string>): number {
  return [...before.keys()].filter((c) => before.get(c) !== after.get(c)).length;
}

describe('assignShares', () => {
  it('gives every cluster exactly one replica, and nothing without replicas or clusters', () => {
    const shares = assignShares(clusters(50), replicas(3));
    expect([...shares.keys()].sort()).toEqual(clusters(50).sort());
    expect(new Set(shares.values())).toEqual(new Set(replicas(3)));
    expect(assignShares(clusters(5), []).size).toBe(0);
    expect(assignShares([], replicas(3)).size).toBe(0);
    expect(assignShares(['only'], ['solo'])).toEqual(new Map([['only', 'solo']]));
  });

  it('is deterministic: the same sets in any order, with repeats, give the same assignment', () => {
    const a = assignShares(clusters(40), replicas(4));
    const b = assignShares([...clusters(40)].reverse().concat('cluster-3'), [...replicas(4)].reverse());
    expect(b).toEqual(a);
  });

  it.each([
    [10, 2],
    [9, 3],
    [100, 3],
    [300, 7],
    [1000, 10],
    [5, 8],
  ])('keeps %i clusters on %i replicas within the load bound', (c, n) => {
    const bound = Math.ceil((DEFAULT_LOAD_FACTOR * c) / n);
    const perReplica = loads(assignShares(clusters(c), replicas(n)));
    for (const load of perReplica.values()) expect(load).toBeLessThanOrEqual(bound);
    expect([...perReplica.values()].reduce((a, b) => a + b, 0)).toBe(c);
  });

  it('honours a tighter load factor', () => {
    const perReplica = loads(assignShares(clusters(100), replicas(4), { loadFactor: 1 }));
    expect([...perReplica.values()]).toEqual([25, 25, 25, 25]);
  });

  it.each([2, 3, 5, 10])('moves about 1/N of the clusters when a replica joins %i others', (n) => {
    const fleet = clusters(600);
    const before = assignShares(fleet, replicas(n));
    const after = assignShares(fleet, [...replicas(n), 'newcomer']);
    const count = moved(before, after);
    const ideal = fleet.length / (n + 1);
    // Everything that moves goes to the newcomer, bar the few the load bound pushes along.
    expect(count).toBeGreaterThan(ideal * 0.5);
    expect(count).toBeLessThan(ideal * 1.5);
    const toNewcomer = [...after].filter(([c, r]) => r === 'newcomer' && before.get(c) !== r).length;
    expect(toNewcomer).toBeGreaterThan(count * 0.8);
  });

  it.each([3, 5, 10])('moves only about the leaver’s share when one of %i replicas leaves', (n) => {
    const fleet = clusters(600);
    const before = assignShares(fleet, replicas(n));
    const leaver = 'replica-1';
    const after = assignShares(
      fleet,
      replicas(n).filter((r) => r !== leaver),
    );
    const leaverShare = [...before.values()].filter((r) => r === leaver).length;
    const count = moved(before, after);
    expect(count).toBeGreaterThanOrEqual(leaverShare);
    expect(count).toBeLessThan(leaverShare + fleet.length / n / 2);
    expect([...after.values()]).not.toContain(leaver);
  });

  it('gives the same clusters back when a replica that left returns', () => {
    const before = assignShares(clusters(60), replicas(3));
    assignShares(clusters(60), replicas(3).slice(1));
    expect(assignShares(clusters(60), replicas(3))).toEqual(before);
  });
});
