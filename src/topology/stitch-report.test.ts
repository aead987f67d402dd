import { describe, expect, it } from 'vitest';
import { DEFAULT_LABEL_MAP } from './label-map.ts';
import { component, group, ID, NS, run, svc } from './test-helpers.ts';
import type { StitchInput } from './types.ts';

describe('stitch: conflicts', () => {
  it.each([
    [
      'namespace-qualified beats name-only',
      [component('a', { [ID]: 'cart' }), component('b', { [ID]: 'cart', [NS]: 'shop' })],
      'component:default/b',
      'namespace-given',
    ],
    [
      'the smaller ref wins a tie',
      [component('zeta', { [ID]: 'cart' }), component('alpha', { [ID]: 'cart' })],
      'component:default/alpha',
      'component-ref-order',
    ],
  ])('%s', (_name, components, winner, rule) => {
    const result = run({ components, services: [svc('prod/shop/cart')] });
    const loser = components.map((c) => `component:default/${c.metadata.name}`).find((ref) => ref !== winner);
    expect(result.links.map((l) => l.componentRef)).toEqual([winner]);
    expect(result.report.conflicts).toEqual([
      {
        cluster: 'prod',
        namespace: 'shop',
        service: 'cart',
        winner,
        losers: [{ componentRef: loser, rule }],
      },
    ]);
    expect(result.report.unmatchedComponents).toEqual([
      {
        componentRef: loser,
        reason: 'conflict',
        kubernetesId: 'cart',
        clusters: [
          expect.objectContaining({
            cluster: 'prod',
            reason: 'conflict',
            claimedBy: winner,
            rule,
            service: { cluster: 'prod', namespace: 'shop', service: 'cart' },
          }),
        ],
      },
    ]);
  });

  it('the earlier id path wins, and a loser keeps what it won elsewhere', () => {
    const labelMap = {
      ...DEFAULT_LABEL_MAP,
      component_kubernetes_id: ['annotations.backstage.io/kubernetes-id', 'metadata.name'],
    };
    const result = run({
      labelMap,
      components: [component('cart'), component('web', { [ID]: 'cart' })],
      services: [svc('eu/shop/cart'), svc('us/shop/cart'), svc('us/shop/web')],
    });
    expect(result.links.map((l) => `${l.cluster}/${l.service} ${l.componentRef}`)).toEqual([
      'eu/cart component:default/web',
      'us/cart component:default/web',
    ]);
    expect(result.report.conflicts.map((c) => c.losers)).toEqual([
      [{ componentRef: 'component:default/cart', rule: 'earlier-id-path' }],
      [{ componentRef: 'component:default/cart', rule: 'earlier-id-path' }],
    ]);
    expect(result.report.unmatchedComponents.map((u) => u.reason)).toEqual(['conflict']);
  });
});

describe('stitch: report and counts', () => {
  const input: Partial<StitchInput> = {
    groups: [group('team-a')],
    components: [
      component('cart', { [ID]: 'cart' }, { owner: 'team-a' }),
      component('web', { [ID]: 'web', [NS]: 'shop' }, { owner: 'ghosts' }),
      component('lost', { [ID]: 'lost' }),
      component('docs'),
      component('api', { [ID]: 'api' }, { owner: 'team-a' }),
    ],
    services: [
      svc('eu/shop/cart'),
      svc('eu/shop/web'),
      svc('eu/shop/redis'),
      svc('us/a/api'),
      svc('us/b/api'),
      svc('us/kube-system/dns'),
    ],
    clusters: ['eu', 'us'],
  };

  it('lists unclaimed Services and unmatched components with their reasons', () => {
    const result = run(input);
    expect(result.report.unclaimedServices).toEqual([
      { cluster: 'eu', namespace: 'shop', service: 'redis', serviceUid: 'uid-eu/shop/redis' },
      { cluster: 'us', namespace: 'a', service: 'api', serviceUid: 'uid-us/a/api' },
      { cluster: 'us', namespace: 'b', service: 'api', serviceUid: 'uid-us/b/api' },
      { cluster: 'us', namespace: 'kube-system', service: 'dns', serviceUid: 'uid-us/kube-system/dns' },
    ]);
    expect(
      result.report.unmatchedComponents.map((u) => [
        u.componentRef,
        u.reason,
        u.clusters.map((m) => m.cluster),
      ]),
    ).toEqual([
      ['component:default/api', 'ambiguous', ['eu', 'us']],
      ['component:default/docs', 'no-id-value', []],
      ['component:default/lost', 'no-such-service', ['eu', 'us']],
    ]);
    expect(result.counts).toEqual({
      components: 5,
      stitchedComponents: 2,
      links: 2,
      services: 6,
      unclaimedServices: 4,
      unmatchedComponents: 3,
      owners: 1,
      danglingOwners: 1,
      ownerProblems: 3,
      ambiguous: 1,
      conflicts: 0,
    });
  });

  it('gives the same result whatever the input order', () => {
    const reversed: Partial<StitchInput> = {
      ...input,
      components: [...(input.components ?? [])].reverse(),
      services: [...(input.services ?? [])].reverse(),
      clusters: ['us', 'eu'],
    };
    expect(run(reversed)).toEqual(run(input));
  });

  it('keeps the first of two components with one ref', () => {
    const result = run({
      components: [component('cart', { [ID]: 'cart' }), component('cart', { [ID]: 'other' })],
      services: [svc('eu/shop/cart'), svc('eu/shop/other')],
    });
    expect(result.components).toHaveLength(1);
    expect(result.links.map((l) => l.service)).toEqual(['cart']);
  });
});
