/**
 * Wire types of Backstage's Kubernetes backend (plugin-kubernetes-common), which Stitchboard
 * serves unchanged so Backstage's own Kubernetes tab can use it. Names and shapes here are
 * Backstage's; do not rename them.
 */

import type { ObjectType } from './kinds.ts';

// The object types are the fetched kinds of the one kind table.
export { OBJECT_TYPES, type ObjectType } from './kinds.ts';
export type FetchResponseType = ObjectType | 'customresources';

/** A Kubernetes object as the API server returns it. Kept whole: the UI joins by uid and ownerReferences. */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: {
      kind: string;
      name: string;
      uid: string;
      apiVersion?: string;
      controller?: boolean;
    }[];
    resourceVersion?: string;
    creationTimestamp?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

export interface FetchResponse {
  type: FetchResponseType;
  resources: KubeObject[];
}

export interface CustomResourceMatcher {
  group: string;
  apiVersion: string;
  plural: string;
}

export type KubernetesErrorType =
  'BAD_REQUEST' | 'UNAUTHORIZED_ERROR' | 'NOT_FOUND' | 'SYSTEM_ERROR' | 'UNKNOWN_ERROR';

/** A non-2xx answer from a cluster for one object type. */
export interface StatusError {
  errorType: KubernetesErrorType;
  statusCode?: number;
  resourcePath?: string;
}

/** The cluster could not be reached at all (refused, DNS, TLS, timeout). */
export interface RawFetchError {
  errorType: 'FETCH_ERROR';
  message: string;
}

export type KubernetesFetchError = StatusError | RawFetchError;

export interface ClusterAttributes {
  name: string;
  title?: string;
  dashboardUrl?: string;
  dashboardApp?: string;
  dashboardParameters?: Record<string, unknown>;
}

export interface ClientCurrentResourceUsage {
  currentUsage: number | string;
  requestTotal: number | string;
  limitTotal: number | string;
}

export interface ClientContainerStatus {
  container: string;
  cpuUsage: ClientCurrentResourceUsage;
  memoryUsage: ClientCurrentResourceUsage;
}

export interface ClientPodStatus {
  pod: KubeObject;
  cpu: ClientCurrentResourceUsage;
  memory: ClientCurrentResourceUsage;
  containers: ClientContainerStatus[];
}

export interface ClusterObjects {
  cluster: ClusterAttributes;
  resources: FetchResponse[];
  podMetrics: ClientPodStatus[];
  errors: KubernetesFetchError[];
}

export interface ObjectsByEntityResponse {
  items: ClusterObjects[];
}

/** Client-side tokens sent with a request: `{ google: T }`, `{ aks: T }`, `{ oidc: { okta: T } }`. */
export type KubernetesRequestAuth = { [provider: string]: string | { [name: string]: string } | undefined };

export interface ClusterSummary {
  name: string;
  title?: string;
  dashboardUrl?: string;
  authProvider: string;
  oidcTokenProvider?: string;
  auth?: Record<string, unknown>;
  /** Stitchboard's: the id of the replica that watches this cluster (only with `stitchboard.replicas`). */
  replica?: string;
  /** Stitchboard's extra, on `watch`-mode clusters only: how the watch cache is connected. */
  connection?: ClusterConnectionState;
}

/**
 * A watched cluster's connection state. `idle`: no query has needed it yet, nothing is watched; `syncing`:
 * a kind's first LIST is pending (or failing, see `lastError`); `synced`: every watched kind listed with its
 * watch up; `stale`: a watch is down (reconnecting) since `since`. Kinds its credential may not list or
 * watch (403) are not watched, listed in `forbidden`, answered live, and do not make the cluster unsynced.
 */
export interface ClusterConnectionState {
  state: 'idle' | 'syncing' | 'synced' | 'stale';
  /** ISO time: since when a watch has been down (`stale`). */
  since?: string;
  /** The latest LIST or watch failure of any of its kinds, with the kind (`apps/v1/deployments`). */
  lastError?: { resource: string; message: string; at: string };
  /** Watches that broke or went silent and were restarted, over all its kinds. */
  watchRestarts: number;
  /** Kinds dropped from watching because the credential may not list or watch them (403). */
  forbidden: string[];
}

export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR = 'backstage.io/kubernetes-label-selector';
export const ANNOTATION_KUBERNETES_NAMESPACE = 'backstage.io/kubernetes-namespace';
export const ANNOTATION_KUBERNETES_CLUSTER = 'backstage.io/kubernetes-cluster';
