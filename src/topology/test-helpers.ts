import type { Entity } from '@backstage/catalog-model';
import { DEFAULT_LABEL_MAP } from './label-map.ts';
import { stitch } from './stitch.ts';
import type { ClusterService, PathAttempt, StitchInput, StitchResult } from './types.ts';

/** Small builders for the stitching tests: catalog entities and Services in as few characters as a table allows. */

export const ID = 'backstage.io/kubernetes-id';
export const NS = 'backstage.io/kubernetes-namespace';

export function component(
  name: string,
  annotations: Record<string, string> = {},
  spec: Record<string, unknown> = {},
  extra: { namespace?: string; labels?: Record<string, string>; kind?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: extra.kind ?? 'Component',
    metadata: {
      name,
      ...(extra.namespace && { namespace: extra.namespace }),
      annotations,
      ...(extra.labels && { labels: extra.labels }),
    },
    spec: { type: 'service', lifecycle: 'production', ...spec },
  };
}

export function group(name: string, namespace?: string, displayName?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, ...(namespace && { namespace }) },
    spec: {
      type: 'team',
      children: [],
      ...(displayName && { profile: { displayName, email: `${name}@example.com` } }),
    },
  };
}

export function user(name: string, displayName?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name },
    spec: { memberOf: [], ...(displayName && { profile: { displayName } }) },
  };
}

export function svc(path: string): ClusterService {
  const [cluster, namespace, name] = path.split('/') as [string, string, string];
  return { cluster, namespace, name, uid: `uid-${path}`, labels: {} };
}

export function run(input: Partial<StitchInput>): StitchResult {
  return stitch({
    instance: 'main',
    components: [],
    groups: [],
    users: [],
    services: [],
    labelMap: DEFAULT_LABEL_MAP,
    clusters: [],
    ...input,
  });
}

/** What the default component_owner paths record for a spec.owner naming a group the catalog lacks. */
export function triedMissingGroup(value: string, ref: string): PathAttempt[] {
  return [
    { path: 'spec.owner', reason: 'not-in-catalog', value, ref, kind: 'group' },
    { path: 'annotations.backstage.io/owner', reason: 'no-value' },
  ];
}
