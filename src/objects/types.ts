import type { Entity } from '@backstage/catalog-model';
import type {
  ClusterSummary,
  CustomResourceMatcher,
  KubernetesRequestAuth,
  ObjectsByEntityResponse,
} from '../contract/kubernetes.ts';
import type { SerializedAnswer } from './answer-cache.ts';

export interface ObjectsQuery {
  /** The entity as re-read from the catalog, never the copy a caller posted. */
  entity: Entity;
  auth: KubernetesRequestAuth;
  /** Custom query only: fetch just these custom resources (replaces cluster and global lists). */
  customResources?: CustomResourceMatcher[];
}

/** What the Backstage-compatible routes need: the cluster list and an entity's objects across clusters. */
export interface KubernetesObjectsService {
  getClusters(): Promise<ClusterSummary[]>;
  getObjectsByEntity(query: ObjectsQuery): Promise<ObjectsByEntityResponse>;
  /** The same answer as UTF-8 JSON (byte for byte `JSON.stringify` of it) with its ETag, as the routes send it. */
  getSerializedObjectsByEntity(query: ObjectsQuery): Promise<SerializedAnswer>;
}
