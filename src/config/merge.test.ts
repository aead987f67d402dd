import { describe, expect, it } from 'vitest';
import { mergeConfigs } from './merge.ts';

describe('mergeConfigs', () => {
  it.each([
    ['later scalar wins', [{ a: 1 }, { a: 2 }], { a: 2 }],
    ['objects merge key by key', [{ a: { x: 1, y: 1 } }, { a: { y: 2, z: 2 } }], { a: { x: 1, y: 2, z: 2 } }],
    ['arrays replace, never concatenate', [{ a: [1, 2, 3] }, { a: [4] }], { a: [4] }],
    ['an object replaces a scalar', [{ a: 'x' }, { a: { b: 1 } }], { a: { b: 1 } }],
    ['a scalar replaces an object', [{ a: { b: 1 } }, { a: 'x' }], { a: 'x' }],
    ['null unsets what an earlier file set', [{ a: { b: 1, c: 2 } }, { a: { b: null } }], { a: { c: 2 } }],
    ['null in the first file is dropped', [{ a: null, b: { c: null, d: 1 } }], { b: { d: 1 } }],
    ['nothing to merge', [], {}],
  ])('%s', (_, layers, expected) => {
    expect(mergeConfigs(layers as Record<string, unknown>[])).toEqual(expected);
  });

  // Where Backstage's ConfigReader differs (docs/configuration.md, "Why the loader is our own").
  it('removes nulls inside list items too: an empty value is "not set" everywhere', () => {
    expect(mergeConfigs([{ list: [{ name: 'a', dashboardUrl: null }] }])).toEqual({ list: [{ name: 'a' }] });
  });

  it('keeps keys in the order they were first written, so issues are reported in file order', () => {
    const merged = mergeConfigs([{ a: { x: 1, y: 1 } }, { a: { z: 2, x: 2 } }]);
    expect(Object.keys(merged.a as object)).toEqual(['x', 'y', 'z']);
  });

  it('does not modify its inputs', () => {
    const first = { a: { b: 1 } };
    mergeConfigs([first, { a: { c: 2 } }]);
    expect(first).toEqual({ a: { b: 1 } });
  });
});
