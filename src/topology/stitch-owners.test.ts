import type { Entity } from '@backstage/catalog-model';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LABEL_MAP } from './label-map.ts';
import { component, group, ID, NS, run, svc, user } from './test-helpers.ts';

const catalog = {
  groups: [group('team-a', undefined, 'Team A'), group('team-a', 'shop', 'Shop Team A'), group('sre', 'ops')],
  users: [user('jdoe', 'Jane Doe'), user('nobody')],
};

describe('stitch: owners', () => {
  it.each<
    [
      string,
      Entity,
      { ref: string | null; inCatalog: boolean; team?: string; source?: string; problem?: object },
    ]
  >([
    [
      'spec.owner naming a group by short name',
      component('cart', { [ID]: 'cart' }, { owner: 'team-a' }),
      { ref: 'group:default/team-a', inCatalog: true, team: 'Team A', source: 'spec.owner' },
    ],
    [
      "a short name in the component's own namespace",
      component('cart', { [ID]: 'cart' }, { owner: 'team-a' }, { namespace: 'shop' }),
      { ref: 'group:shop/team-a', inCatalog: true, team: 'Shop Team A', source: 'spec.owner' },
    ],
    [
      'a user',
      component('cart', { [ID]: 'cart' }, { owner: 'user:jdoe' }),
      { ref: 'user:default/jdoe', inCatalog: true, team: 'Jane Doe', source: 'spec.owner' },
    ],
    [
      'a user without a display name, labelled by name',
      component('cart', { [ID]: 'cart' }, { owner: 'user:nobody' }),
      { ref: 'user:default/nobody', inCatalog: true, team: 'nobody', source: 'spec.owner' },
    ],
    [
      'a full ref in another namespace',
      component('cart', { [ID]: 'cart' }, { owner: 'group:ops/sre' }, { namespace: 'shop' }),
      { ref: 'group:ops/sre', inCatalog: true, team: 'sre', source: 'spec.owner' },
    ],
    [
      'the backstage.io/owner annotation when spec.owner is absent',
      component('cart', { [ID]: 'cart', 'backstage.io/owner': 'user:jdoe' }),
      {
        ref: 'user:default/jdoe',
        inCatalog: true,
        team: 'Jane Doe',
        source: 'annotations.backstage.io/owner',
      },
    ],
    [
      'a group the catalog lacks: linked, marked, reported',
      component('cart', { [ID]: 'cart' }, { owner: 'ghosts' }),
      {
        ref: 'group:default/ghosts',
        inCatalog: false,
        team: 'ghosts',
        source: 'spec.owner',
        problem: {
          reason: 'owner-not-in-catalog',
          value: 'ghosts',
          path: 'spec.owner',
          ownerRef: 'group:default/ghosts',
        },
      },
    ],
    [
      'no owner value: no link',
      component('cart', { [ID]: 'cart' }),
      { ref: null, inCatalog: false, problem: { reason: 'owner-unresolved' } },
    ],
    [
      'an owner of the wrong kind: no link',
      component('cart', { [ID]: 'cart' }, { owner: 'component:billing' }),
      {
        ref: null,
        inCatalog: false,
        problem: {
          reason: 'owner-invalid',
          value: 'component:billing',
          path: 'spec.owner',
          message: expect.stringContaining('group or a user'),
        },
      },
    ],
  ])('%s', (_name, entity, expected) => {
    const result = run({ ...catalog, components: [entity], services: [svc('prod/shop/cart')] });
    const link = result.links[0];
    expect(link?.ownerRef).toBe(expected.ref);
    expect(link?.ownerInCatalog).toBe(expected.inCatalog);
    expect(link?.labels['stitchboard.io/team']).toBe(expected.team);
    expect(link?.labels['stitchboard.io/owner-source']).toBe(expected.source);
    expect(link?.labels['stitchboard.io/owner-ref']).toBe(expected.ref ?? undefined);
    expect(result.report.ownerProblems).toEqual(
      expected.problem ? [{ componentRef: 'component:default/cart', ...expected.problem }] : [],
    );
  });

  it('lists catalog owners and the missing ones components name', () => {
    const result = run({
      ...catalog,
      components: [
        component('cart', {}, { owner: 'ghosts' }),
        component('web', { [ID]: 'web' }, { owner: 'group:default/ghosts' }),
        component('db', {}, { owner: 'user:vanished' }),
      ],
      services: [svc('prod/shop/web')],
    });
    expect(result.owners.map((o) => `${o.ref} ${o.inCatalog ? 'catalog' : 'missing'}`)).toEqual([
      'group:default/ghosts missing',
      'group:default/team-a catalog',
      'group:ops/sre catalog',
      'group:shop/team-a catalog',
      'user:default/jdoe catalog',
      'user:default/nobody catalog',
      'user:default/vanished missing',
    ]);
    expect(result.report.missingOwners).toEqual([
      {
        ref: 'group:default/ghosts',
        kind: 'group',
        componentRefs: ['component:default/cart', 'component:default/web'],
      },
      { ref: 'user:default/vanished', kind: 'user', componentRefs: ['component:default/db'] },
    ]);
  });
});

describe('stitch: labels', () => {
  it('sets every label on a Service matched by name and namespace', () => {
    const result = run({
      ...catalog,
      components: [
        component(
          'cart',
          { [ID]: 'cart-svc', [NS]: 'shop' },
          { owner: 'team-a', system: 'checkout', type: 'website' },
        ),
      ],
      services: [svc('prod/shop/cart-svc')],
    });
    expect(result.links[0]?.labels).toEqual({
      'stitchboard.io/scraper': 'main',
      'stitchboard.io/team': 'Team A',
      'stitchboard.io/component': 'cart',
      'stitchboard.io/component-type': 'website',
      'stitchboard.io/lifecycle': 'production',
      'stitchboard.io/system': 'checkout',
      'stitchboard.io/owner-ref': 'group:default/team-a',
      'stitchboard.io/owner-kind': 'group',
      'stitchboard.io/owner-source': 'spec.owner',
      'stitchboard.io/kubernetes-id': 'cart-svc',
      'stitchboard.io/kubernetes-namespace': 'shop',
    });
    expect(result.links[0]?.match).toEqual({
      by: 'name-namespace',
      kubernetesId: { value: 'cart-svc', path: 'annotations.backstage.io/kubernetes-id' },
      kubernetesNamespace: { value: 'shop', path: 'annotations.backstage.io/kubernetes-namespace' },
      owner: { value: 'team-a', path: 'spec.owner' },
    });
  });

  it('leaves out labels without a value', () => {
    const bare = component('cart', { [ID]: 'cart' });
    bare.spec = {};
    const result = run({
      components: [bare],
      services: [svc('prod/shop/cart')],
      labelMap: DEFAULT_LABEL_MAP,
    });
    expect(result.links[0]?.labels).toEqual({
      'stitchboard.io/scraper': 'main',
      'stitchboard.io/component': 'cart',
      'stitchboard.io/kubernetes-id': 'cart',
    });
  });
});
