import type { Entity } from '@backstage/catalog-model';
import { describe, expect, it } from 'vitest';
import { StitchboardError } from '../errors/errors.ts';
import { selectionForEntity } from './entity-selection.ts';

const entity = (name: string, annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations },
  spec: {},
});

describe('selectionForEntity', () => {
  it.each([
    [
      'falls back to the entity name',
      entity('dice'),
      { kubernetesId: 'dice', labelSelector: 'backstage.io/kubernetes-id=dice' },
    ],
    [
      'uses backstage.io/kubernetes-id',
      entity('dice', { 'backstage.io/kubernetes-id': 'dice-roller' }),
      { kubernetesId: 'dice-roller', labelSelector: 'backstage.io/kubernetes-id=dice-roller' },
    ],
    [
      'lets the label selector take precedence',
      entity('dice', {
        'backstage.io/kubernetes-id': 'x',
        'backstage.io/kubernetes-label-selector': 'app=dice,tier in (web)',
      }),
      { kubernetesId: 'x', labelSelector: 'app=dice,tier in (web)' },
    ],
    [
      'narrows to the namespace annotation',
      entity('dice', { 'backstage.io/kubernetes-namespace': 'dice-space' }),
      { kubernetesId: 'dice', labelSelector: 'backstage.io/kubernetes-id=dice', namespace: 'dice-space' },
    ],
  ])('%s', (_name, e, expected) => {
    expect(selectionForEntity(e, 'component:default/dice')).toEqual(expected);
  });

  it.each([
    [{ 'backstage.io/kubernetes-label-selector': 'app=,,' }, 'backstage.io/kubernetes-label-selector'],
    [{ 'backstage.io/kubernetes-id': 'has space' }, 'backstage.io/kubernetes-id'],
    [{ 'backstage.io/kubernetes-namespace': 'Bad_NS' }, 'backstage.io/kubernetes-namespace'],
  ])('rejects %j naming the entity and the annotation', (annotations, annotation) => {
    const call = () => selectionForEntity(entity('dice', annotations), 'component:default/dice');
    expect(call).toThrow(StitchboardError);
    expect(call).toThrow(/component:default\/dice/);
    expect(call).toThrow(annotation);
  });
});
