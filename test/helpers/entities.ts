import type { Entity } from '@backstage/catalog-model';

/** Catalog entities as a Backstage catalog serves them, for the tests that seed one. */

export function componentEntity(
  name: string,
  annotations: Record<string, string>,
  spec: Record<string, unknown> = {},
  namespace?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, ...(namespace ? { namespace } : {}), annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a', ...spec },
  };
}

export function groupEntity(
  name: string,
  profile?: { displayName: string; email?: string },
  namespace?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { type: 'team', children: [], ...(profile ? { profile } : {}) },
  };
}

export function userEntity(name: string, profile?: { displayName: string; email?: string }): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name },
    spec: { memberOf: [], ...(profile ? { profile } : {}) },
  };
}
