import { describe, expect, it } from 'vitest';
import { serviceImpact } from './impact.ts';
import { component, ID, NS, run, svc } from './test-helpers.ts';

describe('serviceImpact', () => {
  const result = run({
    components: [
      component('cart', { [ID]: 'cart', [NS]: 'shop' }),
      component('cart-anywhere', { [ID]: 'cart' }),
      component('web', { [ID]: 'web', [NS]: 'front' }),
      component('docs'),
    ],
    services: [svc('eu/shop/cart')],
  });
  const affected = serviceImpact(result.components);

  it.each([
    ['shop', 'cart', ['component:default/cart', 'component:default/cart-anywhere']],
    ['other', 'cart', ['component:default/cart-anywhere']],
    ['front', 'web', ['component:default/web']],
    ['shop', 'web', []],
    ['shop', 'docs', []],
  ])('a Service %s/%s affects %j', (namespace, name, refs) => {
    expect(affected({ namespace, name })).toEqual(refs);
  });

  it('agrees with a full restitch: a second cart Service makes the name-only lookup ambiguous', () => {
    const before = run({
      components: [component('cart', { [ID]: 'cart' })],
      services: [svc('eu/shop/cart')],
    });
    const after = run({
      components: [component('cart', { [ID]: 'cart' })],
      services: [svc('eu/shop/cart'), svc('eu/other/cart')],
    });
    expect(serviceImpact(before.components)({ namespace: 'other', name: 'cart' })).toEqual([
      'component:default/cart',
    ]);
    expect(before.links).toHaveLength(1);
    expect(after.links).toHaveLength(0);
  });
});
