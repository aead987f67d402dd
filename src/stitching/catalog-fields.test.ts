import { describe, expect, it } from 'vitest';
import { DEFAULT_LABEL_MAP } from '../topology/label-map.ts';
import { componentFields } from './catalog-fields.ts';

const BASE = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.lifecycle',
  'spec.system',
  'spec.type',
];

describe('componentFields', () => {
  it('asks for the annotations map and spec.owner with the default label_map', () => {
    expect(componentFields(DEFAULT_LABEL_MAP)).toEqual(
      [...BASE, 'metadata.annotations', 'spec.owner'].sort(),
    );
  });

  it.each([
    [['metadata.name'], []],
    [['labels.app.kubernetes.io/name'], ['metadata.labels']],
    [['metadata.annotations["a.b/c"]'], ['metadata.annotations']],
    [['spec.deploy.service'], ['spec.deploy.service']],
    [['spec["x.y"]'], ['spec']],
    [['metadata.tags[0]'], ['metadata.tags']],
    [['relations[0].targetRef'], ['relations']],
    [['not a path'], []],
  ])('projects %j as %j (besides the base fields)', (paths, extra) => {
    const fields = componentFields({
      ...DEFAULT_LABEL_MAP,
      component_kubernetes_id: paths,
      component_owner: ['spec.owner'],
    });
    const expected = [...BASE, 'metadata.annotations', 'spec.owner', ...extra];
    // A field covered by a wider one (spec covers spec.type) is left out.
    const minimal = [...new Set(expected)]
      .sort()
      .filter((f) => !expected.some((o) => o !== f && f.startsWith(`${o}.`)));
    expect(fields).toEqual(minimal);
  });

  it('lets a wider field cover narrower ones', () => {
    expect(componentFields({ ...DEFAULT_LABEL_MAP, component_owner: ['metadata'] })).toEqual([
      'kind',
      'metadata',
      'spec.lifecycle',
      'spec.system',
      'spec.type',
    ]);
  });
});
