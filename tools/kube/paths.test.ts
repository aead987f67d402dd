import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/contract/kubernetes.ts';
import { collectionPathFor, guessPlural, pathFor } from './paths.ts';

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: namespace ? { name, namespace } : { name },
});

describe('pathFor', () => {
  it.each<[KubeObject, string]>([
    [obj('v1', 'Pod', 'web-0', 'shop'), '/api/v1/namespaces/shop/pods/web-0'],
    [obj('v1', 'Service', 'web', 'shop'), '/api/v1/namespaces/shop/services/web'],
    [obj('v1', 'Namespace', 'shop'), '/api/v1/namespaces/shop'],
    [obj('apps/v1', 'Deployment', 'web', 'shop'), '/apis/apps/v1/namespaces/shop/deployments/web'],
    [obj('apps/v1', 'ReplicaSet', 'web-1', 'shop'), '/apis/apps/v1/namespaces/shop/replicasets/web-1'],
    [
      obj('batch/v1beta1', 'CronJob', 'nightly', 'shop'),
      '/apis/batch/v1beta1/namespaces/shop/cronjobs/nightly',
    ],
    [
      obj('autoscaling/v2beta2', 'HorizontalPodAutoscaler', 'web', 'shop'),
      '/apis/autoscaling/v2beta2/namespaces/shop/horizontalpodautoscalers/web',
    ],
    [
      obj('networking.k8s.io/v1', 'Ingress', 'web', 'shop'),
      '/apis/networking.k8s.io/v1/namespaces/shop/ingresses/web',
    ],
    [
      obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'system:reader'),
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Areader',
    ],
    [
      obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'rollouts.argoproj.io'),
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/rollouts.argoproj.io',
    ],
    // Custom resources: plural guessed, scope from the object.
    [
      obj('argoproj.io/v1alpha1', 'Rollout', 'web', 'shop'),
      '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/web',
    ],
    [obj('example.com/v1', 'ClusterPolicy', 'p'), '/apis/example.com/v1/clusterpolicies/p'],
  ])('%j -> %s', (input, expected) => {
    expect(pathFor(input)).toBe(expected);
  });

  it('takes an explicit plural for irregular custom resources', () => {
    const o = obj('example.com/v1', 'Octopus', 'inky', 'sea');
    expect(pathFor(o, { plural: 'octopodes' })).toBe('/apis/example.com/v1/namespaces/sea/octopodes/inky');
  });

  it.each<[string, KubeObject, RegExp]>([
    [
      'no name',
      { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'a' } },
      /Pod a\/\(no name\).*metadata.name/,
    ],
    ['no namespace', obj('v1', 'Pod', 'web'), /Pod web: Pod is namespaced, metadata.namespace is missing/],
    ['no kind', { apiVersion: 'v1', metadata: { name: 'x' } }, /apiVersion and kind are required/],
  ])('names what is missing: %s', (_name, input, message) => {
    expect(() => pathFor(input)).toThrow(message);
  });
});

describe('collectionPathFor', () => {
  it('leaves the name out', () => {
    expect(collectionPathFor(obj('apps/v1', 'Deployment', 'web', 'shop'))).toBe(
      '/apis/apps/v1/namespaces/shop/deployments',
    );
  });
});

describe('guessPlural', () => {
  it.each([
    ['Rollout', 'rollouts'],
    ['Policy', 'policies'],
    ['Gateway', 'gateways'],
    ['Ingress', 'ingresses'],
    ['Box', 'boxes'],
    ['Patch', 'patches'],
  ])('%s -> %s', (kind, plural) => {
    expect(guessPlural(kind)).toBe(plural);
  });
});
