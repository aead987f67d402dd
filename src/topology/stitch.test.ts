import type { Entity } from '@backstage/catalog-model';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.ts';
import { DEFAULT_LABEL_MAP } from './label-map.ts';
import { component, ID, NS, run, svc } from './test-helpers.ts';
import type { LabelMap, StitchInput, StitchResult } from './types.ts';

/** Links as `cluster/namespace/service ← component (by)`, the easiest form to read in a table. */
const linkLines = (result: StitchResult) =>
  result.links.map((l) => `${l.cluster}/${l.namespace}/${l.service} ← ${l.componentRef} (${l.match.by})`);
const unmatchedLines = (result: StitchResult) =>
  result.report.unmatchedComponents.map(
    (u) =>
      `${u.componentRef}: ${u.reason}` +
      u.clusters
        .map((m) => ` [${m.cluster} ${m.reason}${m.candidates ? ` ${m.candidates.join(',')}` : ''}]`)
        .join(''),
  );

describe('stitch: lookup', () => {
  const idOnly = (name: string, id = name) => component(name, { [ID]: id });
  const withNs = (name: string, ns: string, id = name) => component(name, { [ID]: id, [NS]: ns });
  /** `entity` against Services at `paths` (cluster/namespace/name), in the `clusters` read when named. */
  const at = (entity: Entity, paths: string[], clusters?: string[]): Partial<StitchInput> => ({
    components: [entity],
    services: paths.map(svc),
    ...(clusters && { clusters }),
  });

  it.each<[string, Partial<StitchInput>, string[], string[]]>([
    [
      'name + namespace',
      at(withNs('cart', 'shop'), ['prod/shop/cart', 'prod/other/cart'], ['prod']),
      ['prod/shop/cart ← component:default/cart (name-namespace)'],
      [],
    ],
    [
      'name only, unique in the cluster',
      at(idOnly('cart'), ['prod/shop/cart', 'prod/shop/web'], ['prod']),
      ['prod/shop/cart ← component:default/cart (name-only)'],
      [],
    ],
    [
      'the kubernetes-id, not the entity name',
      at(idOnly('cart', 'cart-svc'), ['prod/shop/cart', 'prod/shop/cart-svc']),
      ['prod/shop/cart-svc ← component:default/cart (name-only)'],
      [],
    ],
    [
      'a namespace without that Service',
      at(withNs('cart', 'shop'), ['prod/other/cart'], ['prod']),
      [],
      ['component:default/cart: no-such-service [prod no-such-service]'],
    ],
    [
      'a name in two namespaces of one cluster',
      at(idOnly('cart'), ['prod/b/cart', 'prod/a/cart'], ['prod']),
      [],
      ['component:default/cart: ambiguous [prod ambiguous a,b]'],
    ],
    [
      'no kubernetes-id annotation',
      at(component('cart', { [NS]: 'shop' }), ['prod/shop/cart'], ['prod']),
      [],
      ['component:default/cart: no-id-value'],
    ],
    [
      'several clusters: each one where it resolves',
      at(withNs('cart', 'shop'), ['eu/shop/cart', 'us/shop/cart', 'dev/other/cart'], ['dev', 'eu', 'us']),
      [
        'eu/shop/cart ← component:default/cart (name-namespace)',
        'us/shop/cart ← component:default/cart (name-namespace)',
      ],
      [],
    ],
    [
      'ambiguous in one cluster, unique in another',
      at(idOnly('cart'), ['eu/a/cart', 'eu/b/cart', 'us/a/cart'], ['eu', 'us']),
      ['us/a/cart ← component:default/cart (name-only)'],
      [],
    ],
    [
      'a cluster that was read but has no Services',
      at(idOnly('cart'), [], ['empty']),
      [],
      ['component:default/cart: no-such-service [empty no-such-service]'],
    ],
    ['no clusters at all', at(idOnly('cart'), []), [], ['component:default/cart: no-such-service']],
    [
      'a name that is not a Service name (upper case) is passed over, as no Service can have it',
      at(idOnly('cart', 'Cart'), ['prod/shop/cart']),
      [],
      ['component:default/cart: no-id-value'],
    ],
    [
      'only kind Component is stitched',
      at(component('cart', { [ID]: 'cart' }, {}, { kind: 'Resource' }), ['prod/shop/cart']),
      [],
      [],
    ],
    [
      'a Service listed twice counts once',
      at(idOnly('cart'), ['prod/shop/cart', 'prod/shop/cart']),
      ['prod/shop/cart ← component:default/cart (name-only)'],
      [],
    ],
  ])('%s', (_name, input, links, unmatched) => {
    const result = run(input);
    expect(linkLines(result)).toEqual(links);
    expect(unmatchedLines(result)).toEqual(unmatched);
  });

  it('reports every ambiguous lookup, also of components that stitched elsewhere', () => {
    const result = run({
      components: [idOnly('cart')],
      services: [svc('eu/a/cart'), svc('eu/b/cart'), svc('us/a/cart')],
    });
    expect(result.report.ambiguous).toEqual([
      {
        componentRef: 'component:default/cart',
        cluster: 'eu',
        reason: 'ambiguous',
        kubernetesId: 'cart',
        candidates: ['a', 'b'],
      },
    ]);
  });
});

describe('stitch: custom label_map', () => {
  const labelMap = (overrides: Partial<LabelMap>): LabelMap => ({ ...DEFAULT_LABEL_MAP, ...overrides });

  it.each<[string, Partial<LabelMap>, Entity, string[], Record<string, unknown>]>([
    [
      'the entity name as the Service name',
      { component_kubernetes_id: ['metadata.name'] },
      component('cart'),
      ['prod/shop/cart ← component:default/cart (name-only)'],
      { kubernetesId: { value: 'cart', path: 'metadata.name' } },
    ],
    [
      'a label for the namespace',
      {
        component_kubernetes_id: ['metadata.name'],
        component_kubernetes_namespace: ['labels.example.com/ns'],
      },
      component('cart', {}, {}, { labels: { 'example.com/ns': 'other' } }),
      ['prod/other/cart ← component:default/cart (name-namespace)'],
      {
        kubernetesId: { value: 'cart', path: 'metadata.name' },
        kubernetesNamespace: { value: 'other', path: 'labels.example.com/ns' },
      },
    ],
    [
      'the first path that yields a value',
      { component_kubernetes_id: ['annotations.example.com/service', 'metadata.name'] },
      component('cart', { 'example.com/service': 'cart-v2' }),
      ['prod/shop/cart-v2 ← component:default/cart (name-only)'],
      { kubernetesId: { value: 'cart-v2', path: 'annotations.example.com/service' } },
    ],
    [
      'a later path when the first is missing',
      { component_kubernetes_id: ['annotations.example.com/service', 'metadata.name'] },
      component('cart'),
      ['prod/shop/cart ← component:default/cart (name-only)'],
      { kubernetesId: { value: 'cart', path: 'metadata.name' } },
    ],
    [
      'a bracket path into spec',
      { component_kubernetes_id: ['spec["k8s.service"]'] },
      component('cart', {}, { 'k8s.service': 'cart-v2' }),
      ['prod/shop/cart-v2 ← component:default/cart (name-only)'],
      { kubernetesId: { value: 'cart-v2', path: 'spec["k8s.service"]' } },
    ],
  ])('%s', (_name, overrides, entity, links, match) => {
    const result = run({
      components: [entity],
      services: [svc('prod/shop/cart'), svc('prod/other/cart'), svc('prod/shop/cart-v2')].filter(
        (s) => !(overrides.component_kubernetes_namespace === undefined && s.namespace === 'other'),
      ),
      labelMap: labelMap(overrides),
    });
    expect(linkLines(result)).toEqual(links);
    expect(result.links[0]?.match).toMatchObject(match);
  });

  it('refuses a label_map with a bad path', () => {
    expect(() => run({ labelMap: labelMap({ component_owner: ['owner'] }) })).toThrow(ConfigError);
  });
});
