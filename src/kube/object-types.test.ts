import { describe, expect, it } from 'vitest';
import { listPath, selectObjectTypes } from './object-types.ts';

describe('selectObjectTypes', () => {
  it('defaults to Backstage’s 13 types, without the opt-in ones', () => {
    expect(selectObjectTypes({}).map((o) => o.objectType)).toEqual([
      'pods',
      'services',
      'configmaps',
      'limitranges',
      'resourcequotas',
      'deployments',
      'replicasets',
      'horizontalpodautoscalers',
      'jobs',
      'cronjobs',
      'ingresses',
      'statefulsets',
      'daemonsets',
    ]);
  });

  it('filters ALL_OBJECTS in its own order and accepts opt-in types', () => {
    const types = selectObjectTypes({ objectTypes: ['services', 'secrets', 'pods'] });
    expect(types.map((o) => o.objectType)).toEqual(['pods', 'services', 'secrets']);
  });

  it('overrides only the apiVersion, and never mutates what the next call sees', () => {
    const overridden = selectObjectTypes({
      apiVersionOverrides: { cronjobs: 'v1beta1', horizontalpodautoscalers: 'v2beta2' },
    });
    expect(overridden.find((o) => o.objectType === 'cronjobs')).toEqual({
      objectType: 'cronjobs',
      group: 'batch',
      apiVersion: 'v1beta1',
      plural: 'cronjobs',
    });
    expect(overridden.find((o) => o.objectType === 'horizontalpodautoscalers')?.apiVersion).toBe('v2beta2');
    expect(selectObjectTypes({}).find((o) => o.objectType === 'cronjobs')?.apiVersion).toBe('v1');
  });
});

describe('listPath', () => {
  it.each([
    [{ group: '', apiVersion: 'v1', plural: 'pods' }, undefined, '/api/v1/pods'],
    [{ group: '', apiVersion: 'v1', plural: 'pods' }, 'shop', '/api/v1/namespaces/shop/pods'],
    [
      { group: 'apps', apiVersion: 'v1', plural: 'deployments' },
      'shop',
      '/apis/apps/v1/namespaces/shop/deployments',
    ],
    [
      { group: 'argoproj.io', apiVersion: 'v1alpha1', plural: 'rollouts' },
      undefined,
      '/apis/argoproj.io/v1alpha1/rollouts',
    ],
    [{ group: '', apiVersion: 'v1', plural: 'persistentvolumes' }, 'shop', '/api/v1/persistentvolumes'],
  ])('%j in %s → %s', (o, ns, path) => {
    expect(listPath(o, ns)).toBe(path);
  });
});
