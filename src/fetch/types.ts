import type {
  ClientPodStatus,
  CustomResourceMatcher,
  FetchResponse,
  KubernetesFetchError,
} from '../contract/kubernetes.ts';
import type { ClusterDetails } from '../clusters/types.ts';
import type { Credential } from '../auth/types.ts';

import type { ObjectToFetch } from '../kube/object-types.ts';

export type { ObjectToFetch };

export interface FetchObjectsParams {
  cluster: ClusterDetails;
  credential: Credential;
  objectTypes: readonly ObjectToFetch[];
  labelSelector: string;
  namespace?: string;
  signal: AbortSignal;
}

/** Successful lists and per-type errors for one cluster. Errors are data, never thrown. */
export interface FetchResult {
  responses: FetchResponse[];
  errors: KubernetesFetchError[];
  /**
   * Set only when the whole answer came from memory: values that are element by element `===` for
   * two answers exactly when the answers are the same (the cached object instances, which are replaced,
   * never changed, when an object changes). Lets callers reuse what they built from an earlier answer.
   */
  version?: readonly unknown[];
}

export interface FetchPodMetricsParams {
  cluster: ClusterDetails;
  credential: Credential;
  namespaces: string[];
  labelSelector: string;
  signal: AbortSignal;
}

export interface PodMetricsResult {
  podMetrics: ClientPodStatus[];
  errors: KubernetesFetchError[];
}

/**
 * A cheap token for what `fetchObjects` would answer from memory right now (see `ObjectFetcher.answerStamp`),
 * and how to count such an answer as served when a caller reuses what it built from an earlier one.
 */
export interface AnswerStamp {
  token: readonly unknown[];
  served(): void;
}

/**
 * Reads objects from one cluster. The `live` implementation LISTs on every call; a watch-backed
 * cache can replace it per cluster without the routes noticing. Both run the shared contract suite.
 */
export interface ObjectFetcher {
  fetchObjects(params: FetchObjectsParams): Promise<FetchResult>;
  /**
   * Without selecting anything: a token that is element by element `===` to an earlier one only if
   * `fetchObjects` with these params would answer exactly as it did then, wholly from memory; undefined when
   * any part would not come from memory. Take it before fetching, so a change in between makes the next
   * token differ. Absent where every answer is read anew (live).
   */
  answerStamp?(params: Omit<FetchObjectsParams, 'signal'>): AnswerStamp | undefined;
  fetchPodMetrics(params: FetchPodMetricsParams): Promise<PodMetricsResult>;
}

export type { CustomResourceMatcher };
