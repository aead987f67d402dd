import { describe, expect, it } from 'vitest';
import type { RollupHealth } from '../contract/stitchboard.ts';
import type { ComponentSummary } from '../contract/stitchboard.ts';
import type { ComponentHealth } from '../contract/stitchboard.ts';
import {
  rollupComponents,
  rollupSystems,
  rollupTeams,
  systemRefOf,
  totals,
  worse,
  type ComponentFacts,
} from './rollup.ts';

function facts(
  name: string,
  summary: Partial<ComponentSummary>,
  health: Partial<ComponentHealth> = {},
): ComponentFacts {
  return {
    summary: { ref: `component:default/${name}`, kind: 'Component', namespace: 'default', name, ...summary },
    health: {
      clusters: [],
      clusterErrors: [],
      health: 'none',
      detectedErrors: 0,
      pods: { ready: 0, total: 0 },
      errors: { total: 0, byKind: {} },
      ...health,
    },
  };
}

const link = (componentRef: string, path: string) => {
  const [cluster, namespace, service] = path.split('/') as [string, string, string];
  return { componentRef, cluster, namespace, service };
};

const cart = facts(
  'cart',
  { ownerRef: 'group:default/team-a', system: 'shop', title: 'Cart' },
  {
    clusters: ['alpha'],
    health: 'ok',
    pods: { ready: 3, total: 3 },
  },
);
const pay = facts(
  'pay',
  { ownerRef: 'group:default/team-a', system: 'system:pay/payments' },
  {
    clusters: ['beta'],
    clusterErrors: ['gamma'],
    health: 'error',
    detectedErrors: 3,
    pods: { ready: 0, total: 2 },
    errors: { total: 3, byKind: { 'container-waiting': 2, 'condition-message-present': 1 } },
  },
);
const docs = facts('docs', { ownerRef: 'user:default/jdoe', system: 'shop' }, { health: 'none' });
const stray = facts(
  'stray',
  { owner: 'component:default/not-an-owner' },
  {
    clusters: ['alpha'],
    health: 'warning',
    pods: { ready: 1, total: 1 },
    errors: { total: 1, byKind: { 'containers-restarting': 1 } },
  },
);

const services = [
  link('component:default/cart', 'alpha/shop/cart'),
  // The same Service stitched by a second instance: counted once.
  link('Component:default/cart', 'alpha/shop/cart'),
  link('component:default/cart', 'delta/shop/cart'),
  link('component:default/pay', 'beta/pay/pay'),
];

describe('worse', () => {
  it.each<[RollupHealth, RollupHealth, RollupHealth]>([
    ['none', 'ok', 'ok'],
    ['ok', 'warning', 'warning'],
    ['error', 'warning', 'error'],
    ['none', 'none', 'none'],
  ])('%s and %s: %s', (a, b, expected) => {
    expect(worse(a, b)).toBe(expected);
    expect(worse(b, a)).toBe(expected);
  });
});

describe('systemRefOf', () => {
  it.each([
    ['a bare name is a system in the component’s namespace', 'shop', 'system:shop/shop'],
    ['a full ref is kept, lower-cased', 'System:Pay/Payments', 'system:pay/payments'],
    ['a ref of another kind is no system', 'group:default/team-a', undefined],
    ['an unparseable value is no system', 'a:b:c/d/e', undefined],
    ['no value', undefined, undefined],
  ])('%s', (_name, system, expected) => {
    expect(
      systemRefOf({ ref: 'component:shop/x', kind: 'Component', namespace: 'shop', name: 'x', system }),
    ).toBe(expected);
  });
});

describe('rollupComponents', () => {
  it('joins each component’s health with its stitched Services, counted once across instances', () => {
    const rows = rollupComponents([cart, pay, docs], services);
    expect(rows).toEqual([
      {
        ref: 'component:default/cart',
        name: 'cart',
        title: 'Cart',
        owner: 'group:default/team-a',
        system: 'system:default/shop',
        health: 'ok',
        clusters: ['alpha', 'delta'],
        unreadableClusters: [],
        services: 2,
        pods: { ready: 3, total: 3 },
        errors: { total: 0, byKind: {} },
      },
      expect.objectContaining({ ref: 'component:default/pay', services: 1, unreadableClusters: ['gamma'] }),
      expect.objectContaining({ ref: 'component:default/docs', services: 0, clusters: [], health: 'none' }),
    ]);
  });
});

describe('totals', () => {
  it('is empty and `none` for no components', () => {
    expect(totals([])).toMatchObject({
      components: 0,
      health: 'none',
      clusters: [],
      pods: { ready: 0, total: 0 },
    });
  });
});

describe('rollupTeams', () => {
  const rows = rollupComponents([cart, pay, docs, stray], services);

  it('sums every owner’s components: pods, errors by kind, clusters, worst health', () => {
    const { items, unowned } = rollupTeams(rows, [
      { ref: 'group:default/team-a', displayName: 'Team A', email: 'team-a@example.com' },
    ]);
    expect(items.map((t) => t.ref)).toEqual(['group:default/team-a', 'user:default/jdoe']);
    expect(items[0]).toEqual({
      ref: 'group:default/team-a',
      kind: 'group',
      displayName: 'Team A',
      email: 'team-a@example.com',
      systems: ['system:default/shop', 'system:pay/payments'],
      components: 2,
      componentsWithoutServices: 0,
      services: 3,
      clusters: ['alpha', 'beta', 'delta'],
      unreadableClusters: ['gamma'],
      pods: { ready: 3, total: 5 },
      errors: { total: 3, byKind: { 'container-waiting': 2, 'condition-message-present': 1 } },
      health: 'error',
      componentsByHealth: { ok: 1, warning: 0, error: 1, none: 0 },
    });
    // Not in the store (no stitching run yet): named by its ref.
    expect(items[1]).toMatchObject({
      kind: 'user',
      displayName: 'jdoe',
      components: 1,
      componentsWithoutServices: 1,
      health: 'none',
    });
    expect(unowned).toMatchObject({ components: 1, health: 'warning', errors: { total: 1 } });
  });

  it('has no unowned entry when every component has an owner', () => {
    expect(rollupTeams(rollupComponents([cart], []), []).unowned).toBeNull();
  });
});

describe('rollupSystems', () => {
  it('sums every system’s components and names their owners; the rest is `noSystem`', () => {
    const { items, noSystem } = rollupSystems(rollupComponents([cart, pay, docs, stray], services));
    expect(items.map((s) => [s.ref, s.namespace, s.name, s.owners, s.components, s.health])).toEqual([
      ['system:default/shop', 'default', 'shop', ['group:default/team-a', 'user:default/jdoe'], 2, 'ok'],
      ['system:pay/payments', 'pay', 'payments', ['group:default/team-a'], 1, 'error'],
    ]);
    expect(noSystem).toMatchObject({ components: 1, clusters: ['alpha'] });
  });
});
