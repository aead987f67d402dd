import type { Entity } from '@backstage/catalog-model';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.ts';
import { compileLabelMap, DEFAULT_LABEL_MAP, resolveField, validateLabelMap } from './label-map.ts';

describe('validateLabelMap', () => {
  it.each([
    ['nothing', undefined, DEFAULT_LABEL_MAP],
    ['null', null, DEFAULT_LABEL_MAP],
    ['an empty mapping', {}, DEFAULT_LABEL_MAP],
    [
      'one key, the others defaulted',
      { component_owner: ['annotations.example.com/team'] },
      { ...DEFAULT_LABEL_MAP, component_owner: ['annotations.example.com/team'] },
    ],
    [
      'every key',
      {
        component_kubernetes_id: ['metadata.name'],
        component_kubernetes_namespace: ['labels.ns', 'spec.namespace'],
        component_owner: ['metadata.annotations["example.com/owner"]'],
      },
      {
        component_kubernetes_id: ['metadata.name'],
        component_kubernetes_namespace: ['labels.ns', 'spec.namespace'],
        component_owner: ['metadata.annotations["example.com/owner"]'],
      },
    ],
  ])('accepts %s', (_name, raw, labelMap) => {
    expect(validateLabelMap(raw)).toEqual({ ok: true, labelMap });
  });

  it.each([
    ['a list', [], [{ path: 'lm', message: 'must be a mapping with keys component_kubernetes_id' }]],
    ['a string', 'spec.owner', [{ path: 'lm', message: 'must be a mapping' }]],
    ['an unknown key', { component_name: ['x'] }, [{ path: 'lm.component_name', message: 'unknown key' }]],
    [
      'a string instead of a list',
      { component_owner: 'spec.owner' },
      [{ path: 'lm.component_owner', message: 'must be a list of field paths, e.g. ["spec.owner"]' }],
    ],
    [
      'an empty list',
      { component_kubernetes_id: [] },
      [{ path: 'lm.component_kubernetes_id', message: 'omit the key to use the default' }],
    ],
    [
      'a non-string entry',
      { component_owner: ['spec.owner', 7] },
      [{ path: 'lm.component_owner[1]', message: 'must be a string field path, found number' }],
    ],
    [
      'every bad path, with its index',
      { component_kubernetes_id: ['metadata.name', 'owner', 'spec..x'], component_owner: ['annotations'] },
      [
        { path: 'lm.component_kubernetes_id[1]', message: 'unknown root "owner"' },
        { path: 'lm.component_kubernetes_id[2]', message: 'empty key at position 5' },
        { path: 'lm.component_owner[0]', message: 'missing the key after the map' },
      ],
    ],
  ])('rejects %s', (_name, raw, expected) => {
    const result = validateLabelMap(raw, 'lm');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(expected.length);
    result.issues.forEach((issue, i) => {
      expect(issue.path).toBe(expected[i]?.path);
      expect(issue.message).toContain(expected[i]?.message);
    });
  });

  it('compileLabelMap throws a ConfigError naming the bad path', () => {
    const bad = { ...DEFAULT_LABEL_MAP, component_owner: ['spec.owner', 'owner'] };
    expect(() => compileLabelMap(bad, 'instances[0].label_map')).toThrow(ConfigError);
    expect(() => compileLabelMap(bad, 'instances[0].label_map')).toThrow(
      /instances\[0\]\.label_map\.component_owner\[1\]: unknown root "owner"/,
    );
  });
});

describe('resolveField', () => {
  const component = (
    annotations: Record<string, string>,
    spec: NonNullable<Entity['spec']> = {},
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'cart', annotations },
    spec,
  });
  const owners = compileLabelMap(DEFAULT_LABEL_MAP).component_owner;

  it.each([
    [
      'spec.owner first',
      component({ 'backstage.io/owner': 'team-b' }, { owner: 'team-a' }),
      'team-a',
      'spec.owner',
    ],
    [
      'the annotation when spec.owner is missing',
      component({ 'backstage.io/owner': 'team-b' }),
      'team-b',
      'annotations.backstage.io/owner',
    ],
    [
      'the annotation when spec.owner is blank',
      component({ 'backstage.io/owner': 'team-b' }, { owner: '  ' }),
      'team-b',
      'annotations.backstage.io/owner',
    ],
    [
      'the annotation when spec.owner is not a string',
      component({ 'backstage.io/owner': 'team-b' }, { owner: { name: 'x' } }),
      'team-b',
      'annotations.backstage.io/owner',
    ],
    ['nothing when no path yields', component({}), undefined, undefined],
  ])('takes %s', (_name, entity, value, path) => {
    expect(resolveField(entity, owners)).toEqual(value === undefined ? undefined : { value, path });
  });
});
