import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  ClusterConnectionState,
  ClusterObjects,
  CustomResourceMatcher,
  FetchResponse,
  KubernetesFetchError,
  ObjectsByEntityResponse,
} from '../contract/kubernetes.ts';
import type { AuthDispatcher } from '../auth/dispatch.ts';
import type { ClusterDetails, ClusterSupplier } from '../clusters/types.ts';
import { isStitchboardError, messageOf } from '../errors/errors.ts';
import type { ObjectFetcher } from '../fetch/types.ts';
import { selectionForEntity, type EntitySelection } from '../kube/entity-selection.ts';
import { customResourcesToFetch, selectObjectTypes, type ObjectTypeSettings } from '../kube/object-types.ts';
import type { ServiceLocator } from '../locate/service-locator.ts';
import { raceAbort } from '../shared/abort.ts';
import type { Logger } from '../shared/logger.ts';
import { AnswerCache, serializeAnswer, type SerializedAnswer } from './answer-cache.ts';
import { clusterAttributes, clusterSummary, hasSomethingToShow } from './cluster-attributes.ts';
import { Coalescer } from './coalesce.ts';
import type { KubernetesObjectsService, ObjectsQuery } from './types.ts';

/** Serialized answers kept for reuse; 64 MiB holds about 400 answers of 150 pods each. */
const ANSWER_CACHE_BYTES = 64 * 2 ** 20;

/** An answer and, when every cluster answered from memory, its version (see `FetchResult.version`). */
interface Answer<T> {
  value: T;
  version?: readonly unknown[];
}

/** Told about every cluster fetch, for metrics. */
export interface FetchObserver {
  clusterFetched(event: {
    cluster: string;
    durationMs: number;
    errors: readonly KubernetesFetchError[];
  }): void;
}

export interface FanOutOptions extends ObjectTypeSettings {
  clusters: ClusterSupplier;
  auth: AuthDispatcher;
  /** `live` or `watch` fetcher for a cluster, per its mode. */
  fetcherFor: (cluster: ClusterDetails) => ObjectFetcher;
  locator: ServiceLocator;
  customResources: readonly CustomResourceMatcher[];
  logger: Logger;
  observer?: FetchObserver;
  /** With several replicas, the id of the one watching a cluster, shown in the clusters list. */
  replicaOf?: (cluster: string) => string | undefined;
  /** A watched cluster's connection state, shown with it in `getClusters`. */
  connectionState?: (cluster: ClusterDetails) => ClusterConnectionState | undefined;
}

/**
 * Entity → its objects in every cluster it runs in. Each cluster gets its own deadline and its own slot:
 * a hanging, unreachable or unauthorised cluster becomes an error entry while the others answer.
 */
export class KubernetesFanOut implements KubernetesObjectsService {
  readonly #o: FanOutOptions;
  readonly #coalescer = new Coalescer<Answer<ObjectsByEntityResponse>>();
  readonly #answers = new AnswerCache(ANSWER_CACHE_BYTES);

  constructor(options: FanOutOptions) {
    this.#o = options;
  }

  async getClusters() {
    const clusters = await this.#o.clusters.getClusters();
    return clusters.map((c) => {
      const summary = clusterSummary(c, this.#presentedAuth(c));
      const replica = this.#o.replicaOf?.(c.name);
      const connection = this.#o.connectionState?.(c);
      return {
        ...summary,
        ...(replica === undefined ? {} : { replica }),
        ...(connection ? { connection } : {}),
      };
    });
  }

  /** A cluster naming an unknown provider (a catalog Resource can) shows no extra metadata instead of failing the list. */
  #presentedAuth(cluster: ClusterDetails): Record<string, unknown> {
    try {
      return this.#o.auth.strategyFor(cluster).presentAuthMetadata(cluster.authMetadata);
    } catch {
      return {};
    }
  }

  async getObjectsByEntity(query: ObjectsQuery): Promise<ObjectsByEntityResponse> {
    return (await this.#answer(query)).answer.value;
  }

  /**
   * The same answer serialized, with its ETag. An answer read wholly from the watch cache is serialized
   * once and reused until an object in it changes; anything read live is serialized every time.
   */
  async getSerializedObjectsByEntity(query: ObjectsQuery): Promise<SerializedAnswer> {
    const { key, answer } = await this.#answer(query);
    if (!answer.version) return serializeAnswer(answer.value);
    const cached = this.#answers.get(key, answer.version);
    if (cached) return cached;
    const serialized = serializeAnswer(answer.value);
    this.#answers.set(key, answer.version, serialized);
    return serialized;
  }

  async #answer(query: ObjectsQuery): Promise<{ key: string; answer: Answer<ObjectsByEntityResponse> }> {
    const entityRef = stringifyEntityRef(query.entity);
    const selection = selectionForEntity(query.entity, entityRef);
    const key = JSON.stringify([entityRef, selection, query.auth, query.customResources ?? null]);
    const answer = await this.#coalescer.run(key, async () => {
      const clusters = this.#o.locator(query.entity, await this.#o.clusters.getClusters());
      const fetched = await Promise.all(
        clusters.map((c) => this.#fetchCluster(c, selection, query, entityRef)),
      );
      const value = { items: fetched.map((f) => f.value).filter(hasSomethingToShow) };
      if (!fetched.every((f) => f.version)) return { value };
      return { value, version: fetched.flatMap((f) => f.version as unknown[]) };
    });
    return { key, answer };
  }

  async #fetchCluster(
    cluster: ClusterDetails,
    selection: EntitySelection,
    query: ObjectsQuery,
    entityRef: string,
  ): Promise<Answer<ClusterObjects>> {
    const started = performance.now();
    const signal = AbortSignal.timeout(cluster.timeoutMs);
    let found: Pick<ClusterObjects, 'resources' | 'podMetrics' | 'errors'>;
    let version: readonly unknown[] | undefined;
    try {
      const fetched = await raceAbort(this.#fetchObjects(cluster, selection, query, signal), signal);
      found = { resources: fetched.responses, podMetrics: fetched.podMetrics, errors: fetched.errors };
      if ('version' in fetched) version = fetched.version;
    } catch (error) {
      found = {
        resources: [],
        podMetrics: [],
        errors: [this.#asFetchError(error, cluster, signal, entityRef)],
      };
    }
    const item: ClusterObjects = { cluster: clusterAttributes(cluster), ...found };
    this.#o.observer?.clusterFetched({
      cluster: cluster.name,
      durationMs: performance.now() - started,
      errors: item.errors,
    });
    return version ? { value: item, version: [JSON.stringify(item.cluster), ...version] } : { value: item };
  }

  async #fetchObjects(
    cluster: ClusterDetails,
    selection: EntitySelection,
    query: ObjectsQuery,
    signal: AbortSignal,
  ) {
    const credential = await this.#o.auth.getCredential(cluster, query.auth);
    const fetcher = this.#o.fetcherFor(cluster);
    const objectTypes = query.customResources
      ? customResourcesToFetch(query.customResources)
      : [
          ...selectObjectTypes(this.#o),
          ...customResourcesToFetch(cluster.customResources ?? this.#o.customResources),
        ];
    const base = { cluster, credential, labelSelector: selection.labelSelector, signal };
    const fetched = await fetcher.fetchObjects({ ...base, objectTypes, ...namespaceOf(selection) });
    const namespaces = podNamespaces(fetched.responses);
    if (cluster.skipMetricsLookup || namespaces.length === 0) return { ...fetched, podMetrics: [] };
    // Metrics are read live, so the answer has no version.
    const metrics = await fetcher.fetchPodMetrics({ ...base, namespaces });
    return {
      responses: fetched.responses,
      errors: [...fetched.errors, ...metrics.errors],
      podMetrics: metrics.podMetrics,
    };
  }

  #asFetchError(
    error: unknown,
    cluster: ClusterDetails,
    signal: AbortSignal,
    entityRef: string,
  ): KubernetesFetchError {
    if (signal.aborted) {
      return {
        errorType: 'FETCH_ERROR',
        message: `cluster '${cluster.name}' did not answer within ${cluster.timeoutMs} ms`,
      };
    }
    if (!isStitchboardError(error)) {
      this.#o.logger.error(
        { err: error, cluster: cluster.name, entityRef },
        'unexpected error while fetching a cluster',
      );
    }
    return { errorType: 'FETCH_ERROR', message: messageOf(error) };
  }
}

function namespaceOf(selection: EntitySelection): { namespace?: string } {
  return selection.namespace ? { namespace: selection.namespace } : {};
}

/** Namespaces of the pods found, plus custom resources that are really v1 Pods (Backstage's rule). */
function podNamespaces(responses: readonly FetchResponse[]): string[] {
  const namespaces = new Set<string>();
  for (const r of responses) {
    const isPods =
      r.type === 'pods' ||
      (r.type === 'customresources' && r.resources[0]?.kind === 'Pod' && r.resources[0]?.apiVersion === 'v1');
    if (!isPods) continue;
    for (const pod of r.resources) if (pod.metadata?.namespace) namespaces.add(pod.metadata.namespace);
  }
  return [...namespaces];
}
