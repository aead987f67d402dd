import type { Entity } from '@backstage/catalog-model';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LABEL_MAP } from './label-map.ts';
import { component, group, ID, NS, run, svc, triedMissingGroup, user } from './test-helpers.ts';

const catalog = {
  groups: [group('team-a', undefined, 'Team A'), group('team-a', 'shop', 'Shop Team A'), group('sre', 'ops')],
  users: [user('jdoe', 'Jane Doe'), user('nobody')],
};

const NOT_A_GROUP = expect.stringContaining('group or a user');

/** The catalog's owners as a link names them: the owner ref and the team label. */
const TEAM_A = ['group:default/team-a', 'Team A'] as const;
const SHOP_TEAM_A = ['group:shop/team-a', 'Shop Team A'] as const;
const SRE = ['group:ops/sre', 'sre'] as const;
const JDOE = ['user:default/jdoe', 'Jane Doe'] as const;
const NOBODY = ['user:default/nobody', 'nobody'] as const;

/** The cart component, owned by `owner` in spec.owner (when given) and by any owner `annotations`. */
const cart = (annotations: Record<string, string>, owner?: string, namespace?: string) =>
  component('cart', { [ID]: 'cart', ...annotations }, owner ? { owner } : {}, namespace ? { namespace } : {});

/** Stitches `entity` with cart's Service: the link always, its owner as `expected` says. */
function expectOwner(
  entity: Entity,
  expected: { ref: string | null; team?: string; source?: string; tried?: object[] },
) {
  const result = run({ ...catalog, components: [entity], services: [svc('prod/shop/cart')] });
  const link = result.links[0];
  // The Service is stitched either way; only the owner link depends on the owner.
  expect(link?.componentRef).toBe(
    'component:default/cart'.replace('default', entity.metadata.namespace ?? 'default'),
  );
  expect(link?.ownerRef).toBe(expected.ref);
  expect(link?.labels['stitchboard.io/team']).toBe(expected.team);
  expect(link?.labels['stitchboard.io/owner-source']).toBe(expected.source);
  expect(link?.labels['stitchboard.io/owner-ref']).toBe(expected.ref ?? undefined);
  expect(result.report.ownerProblems).toEqual(
    expected.tried
      ? [{ componentRef: 'component:default/cart', reason: 'owner-unresolved', tried: expected.tried }]
      : [],
  );
}

describe('stitch: owners, the first component_owner path that resolves', () => {
  it.each([
    ['spec.owner naming a group by short name', 'team-a', undefined, TEAM_A],
    ["a short name in the component's own namespace", 'team-a', 'shop', SHOP_TEAM_A],
    ['a user', 'user:jdoe', undefined, JDOE],
    ['a user without a display name, labelled by name', 'user:nobody', undefined, NOBODY],
    ['a full ref in another namespace', 'group:ops/sre', 'shop', SRE],
  ])('%s', (_name, owner, namespace, [ref, team]) =>
    expectOwner(cart({}, owner, namespace), { ref, team, source: 'spec.owner' }),
  );

  it.each([
    ['the backstage.io/owner annotation when spec.owner is absent', undefined, 'user:jdoe', JDOE],
    ['the annotation when spec.owner names a group the catalog lacks', 'ghosts', 'user:jdoe', JDOE],
    ['the annotation when spec.owner is not a valid owner ref', 'component:billing', 'team-a', TEAM_A],
  ])('%s', (_name, owner, annotation, [ref, team]) =>
    expectOwner(cart({ 'backstage.io/owner': annotation }, owner), {
      ref,
      team,
      source: 'annotations.backstage.io/owner',
    }),
  );

  it.each<[string, Entity, object[]]>([
    [
      'a group the catalog lacks and no other path: no owner link',
      cart({}, 'ghosts'),
      triedMissingGroup('ghosts', 'group:default/ghosts'),
    ],
    [
      'no owner value: no owner link',
      cart({}),
      [
        { path: 'spec.owner', reason: 'no-value' },
        { path: 'annotations.backstage.io/owner', reason: 'no-value' },
      ],
    ],
    [
      'an owner of the wrong kind, then one the catalog lacks: no owner link, both reasons',
      cart({ 'backstage.io/owner': 'user:vanished' }, 'component:billing'),
      [
        { path: 'spec.owner', reason: 'invalid', value: 'component:billing', message: NOT_A_GROUP },
        {
          path: 'annotations.backstage.io/owner',
          reason: 'not-in-catalog',
          value: 'user:vanished',
          ref: 'user:default/vanished',
          kind: 'user',
        },
      ],
    ],
  ])('%s', (_name, entity, tried) => expectOwner(entity, { ref: null, tried }));

  it('makes no owner record for refs the catalog lacks, and lists each as a dangling owner', () => {
    const result = run({
      ...catalog,
      components: [
        component('cart', {}, { owner: 'ghosts' }),
        component('web', { [ID]: 'web' }, { owner: 'group:default/ghosts' }),
        component('db', {}, { owner: 'user:vanished' }),
        // Resolved by the annotation, but spec.owner still dangles.
        component('api', { [ID]: 'api', 'backstage.io/owner': 'team-a' }, { owner: 'ghosts' }),
      ],
      services: [svc('prod/shop/web'), svc('prod/shop/api')],
    });
    expect(result.owners.map((o) => o.ref)).toEqual([
      'group:default/team-a',
      'group:ops/sre',
      'group:shop/team-a',
      'user:default/jdoe',
      'user:default/nobody',
    ]);
    expect(result.links.map((l) => [l.service, l.ownerRef])).toEqual([
      ['api', 'group:default/team-a'],
      ['web', null],
    ]);
    const dangling = (componentRef: string, ownerRef: string, value: string) => ({
      componentRef,
      ownerRef,
      kind: ownerRef.split(':')[0],
      value,
      path: 'spec.owner',
    });
    expect(result.report.danglingOwners).toEqual([
      dangling('component:default/api', 'group:default/ghosts', 'ghosts'),
      dangling('component:default/cart', 'group:default/ghosts', 'ghosts'),
      dangling('component:default/web', 'group:default/ghosts', 'group:default/ghosts'),
      dangling('component:default/db', 'user:default/vanished', 'user:vanished'),
    ]);
    expect(result.counts.danglingOwners).toBe(4);
    expect(result.report.ownerProblems.map((p) => p.componentRef)).toEqual([
      'component:default/cart',
      'component:default/db',
      'component:default/web',
    ]);
  });
});

describe('stitch: Service name and namespace, the first path whose value is a valid name', () => {
  const labelMap = {
    ...DEFAULT_LABEL_MAP,
    component_kubernetes_id: ['annotations.backstage.io/kubernetes-id', 'metadata.name'],
    component_kubernetes_namespace: [
      'annotations.backstage.io/kubernetes-namespace',
      'labels.team-namespace',
    ],
  };

  it('passes over a name that is not a valid Service name for the next path', () => {
    const result = run({
      components: [component('cart', { [ID]: 'Cart Service' })],
      services: [svc('prod/shop/cart')],
      labelMap,
    });
    expect(result.links[0]?.match.kubernetesId).toEqual({ value: 'cart', path: 'metadata.name' });
    expect(result.components[0]?.kubernetesIdTried).toEqual([
      {
        path: 'annotations.backstage.io/kubernetes-id',
        reason: 'invalid',
        value: 'Cart Service',
        message: expect.stringContaining('not a Service name'),
      },
    ]);
  });

  it('passes over a namespace that is not a valid namespace name, and uses the next', () => {
    const result = run({
      components: [
        component('cart', { [ID]: 'cart', [NS]: 'Shop_NS' }, {}, { labels: { 'team-namespace': 'shop' } }),
      ],
      services: [svc('prod/shop/cart'), svc('prod/other/cart')],
      labelMap,
    });
    expect(result.links.map((l) => `${l.namespace}/${l.service} ${l.match.by}`)).toEqual([
      'shop/cart name-namespace',
    ]);
    expect(result.links[0]?.match.kubernetesNamespace).toEqual({
      value: 'shop',
      path: 'labels.team-namespace',
    });
  });

  it('reports every id path tried when none gives a valid name', () => {
    const result = run({
      components: [component('cart', { [ID]: 'UPPER' })],
      services: [svc('prod/shop/cart')],
    });
    expect(result.report.unmatchedComponents).toEqual([
      {
        componentRef: 'component:default/cart',
        reason: 'no-id-value',
        clusters: [],
        tried: [
          {
            path: 'annotations.backstage.io/kubernetes-id',
            reason: 'invalid',
            value: 'UPPER',
            message: expect.stringContaining('not a Service name'),
          },
        ],
      },
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
