import { describe, expect, it } from 'vitest';
import { comparePositions, documentPosition, formatPath, parsePath, typeName } from './path.ts';

describe('formatPath', () => {
  it.each([
    [[], ''],
    [['kubernetes'], 'kubernetes'],
    [
      ['kubernetes', 'clusterLocatorMethods', 0, 'clusters', 2, 'authProvider'],
      'kubernetes.clusterLocatorMethods[0].clusters[2].authProvider',
    ],
    [['a', 'authMetadata', 'kubernetes.io/auth-provider'], 'a.authMetadata["kubernetes.io/auth-provider"]'],
    [['stitchboard', 'kubernetes', 'clusters', 'prod eu'], 'stitchboard.kubernetes.clusters["prod eu"]'],
    [['backend', 'listen', '$x'], 'backend.listen.$x'],
  ] as const)('%j → %s', (segments, expected) => {
    expect(formatPath(segments)).toBe(expected);
  });
});

describe('typeName', () => {
  it.each([
    [null, 'null'],
    [[1], 'array'],
    [undefined, 'nothing'],
    ['s', 'string'],
    [1, 'number'],
    [{}, 'object'],
  ])('%j is %s', (value, name) => expect(typeName(value)).toBe(name));
});

describe('parsePath', () => {
  it.each([
    'kubernetes.clusterLocatorMethods[0].clusters[2].authProvider',
    'a.authMetadata["kubernetes.io/auth-provider"]',
    'stitchboard.kubernetes.clusters["prod eu"].timeout',
    'backend',
  ])('reverses formatPath for %s', (text) => {
    const segments = parsePath(text);
    expect(segments).toBeDefined();
    expect(formatPath(segments ?? [])).toBe(text);
  });

  it('refuses text that is not a path', () => {
    expect(parsePath('app-config.yaml:3:1')).toBeUndefined();
  });
});

describe('documentPosition', () => {
  it('orders by key position in the document, missing keys last', () => {
    const doc = { stitchboard: {}, backend: { listen: {} }, kubernetes: { a: [{}, {}] } };
    const at = (path: (string | number)[]) => documentPosition(doc, path);
    const sorted = [
      ['kubernetes', 'a', 1],
      ['backend', 'missing'],
      ['stitchboard'],
      ['backend', 'listen'],
      ['kubernetes', 'a', 0],
    ]
      .map((p) => ({ p, at: at(p) }))
      .sort((x, y) => comparePositions(x.at, y.at))
      .map(({ p }) => formatPath(p));
    expect(sorted).toEqual([
      'stitchboard',
      'backend.listen',
      'backend.missing',
      'kubernetes.a[0]',
      'kubernetes.a[1]',
    ]);
  });
});
