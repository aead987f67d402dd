import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_KUBERNETES_CLUSTER } from '../contract/kubernetes.ts';
import type { ServiceLocatorType } from '../config/types.ts';
import type { ClusterDetails } from '../clusters/types.ts';

/** Which of the known clusters an entity runs in. Pure: the entity is the catalog's copy. */
export type ServiceLocator = (entity: Entity, clusters: readonly ClusterDetails[]) => ClusterDetails[];

/** `multiTenant`: every component runs on every cluster. */
export const multiTenant: ServiceLocator = (_entity, clusters) => [...clusters];

/** `singleTenant`: `backstage.io/kubernetes-cluster` pins one cluster by exact name; without it, all. */
export const singleTenant: ServiceLocator = (entity, clusters) => {
  const pinned = entity.metadata.annotations?.[ANNOTATION_KUBERNETES_CLUSTER];
  return pinned === undefined ? [...clusters] : clusters.filter((c) => c.name === pinned);
};

/**
 * `catalogRelation`: the clusters the entity `dependsOn` as `resource:<entity namespace>/<cluster name>`.
 * Backstage compares the raw cluster name with the catalog's lower-cased refs, so a cluster named with
 * capitals never matches there; refs are case-insensitive everywhere else, so Stitchboard compares them so.
 */
export const catalogRelation: ServiceLocator = (entity, clusters) => {
  const namespace = (entity.metadata.namespace ?? 'default').toLowerCase();
  const targets = new Set(
    (entity.relations ?? []).filter((r) => r.type === 'dependsOn').map((r) => r.targetRef.toLowerCase()),
  );
  return clusters.filter((c) => targets.has(`resource:${namespace}/${c.name.toLowerCase()}`));
};

export function buildServiceLocator(type: ServiceLocatorType): ServiceLocator {
  switch (type) {
    case 'multiTenant':
      return multiTenant;
    case 'singleTenant':
      return singleTenant;
    case 'catalogRelation':
      return catalogRelation;
  }
}
