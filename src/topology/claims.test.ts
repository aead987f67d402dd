import { describe, expect, it } from 'vitest';
import { settleClaims, type Claim } from './claims.ts';
import type { MatchBy } from './types.ts';

const service = { cluster: 'prod', namespace: 'shop', name: 'cart' };
const claim = (componentRef: string, by: MatchBy, idPathIndex = 0): Claim => ({
  componentRef,
  service,
  by,
  idPathIndex,
});

describe('settleClaims', () => {
  it.each([
    [
      'a namespace-qualified claim beats a name-only one',
      [claim('component:default/a', 'name-only'), claim('component:default/z', 'name-namespace')],
      'component:default/z',
      [{ ref: 'component:default/a', rule: 'namespace-given' }],
    ],
    [
      'the name read from an earlier id path wins',
      [claim('component:default/a', 'name-namespace', 1), claim('component:default/b', 'name-namespace', 0)],
      'component:default/b',
      [{ ref: 'component:default/a', rule: 'earlier-id-path' }],
    ],
    [
      'the namespace outranks the id path',
      [claim('component:default/a', 'name-only', 0), claim('component:default/b', 'name-namespace', 2)],
      'component:default/b',
      [{ ref: 'component:default/a', rule: 'namespace-given' }],
    ],
    [
      'otherwise the smaller component ref wins',
      [claim('component:default/b', 'name-only'), claim('component:default/a', 'name-only')],
      'component:default/a',
      [{ ref: 'component:default/b', rule: 'component-ref-order' }],
    ],
    [
      'each loser says why it lost',
      [
        claim('component:default/c', 'name-only'),
        claim('component:default/b', 'name-namespace', 1),
        claim('component:default/a', 'name-namespace', 1),
        claim('component:default/d', 'name-namespace', 0),
      ],
      'component:default/d',
      [
        { ref: 'component:default/a', rule: 'earlier-id-path' },
        { ref: 'component:default/b', rule: 'earlier-id-path' },
        { ref: 'component:default/c', rule: 'namespace-given' },
      ],
    ],
  ])('%s', (_name, claims, winner, losers) => {
    for (const order of [claims, [...claims].reverse()]) {
      const settled = settleClaims(order);
      expect(settled.winner.componentRef).toBe(winner);
      expect(settled.losers.map((l) => ({ ref: l.claim.componentRef, rule: l.rule }))).toEqual(losers);
    }
  });
});
