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
import type { AnswerStamp, ObjectFetcher, ObjectToFetch } from '../fetch/types.ts';
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

/** What a query reads: its cache key and the clusters the locator chose. */
interface Plan {
  entityRef: string;
  selection: EntitySelection;
  key: string;
  clusters: ClusterDetails[];
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
  readonly #defaultTypes: readonly ObjectToFetch[];
  readonly #typesFor = new WeakMap<readonly CustomResourceMatcher[], readonly ObjectToFetch[]>();

  constructor(options: FanOutOptions) {
    this.#o = options;
    this.#defaultTypes = selectObjectTypes(options).map((o) => Object.freeze(o));
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
    return (await this.#answer(await this.#plan(query), query)).value;
  }

  /**
   * The same answer serialized, with its ETag. An answer read wholly from the watch cache is serialized
   * once and reused until an object in it changes; anything read live is serialized every time. While no
   * watched type of the clusters asked changed since an answer was built (their fetchers' answer stamps are
   * the same), the answer is reused without selecting anything.
   */
  async getSerializedObjectsByEntity(query: ObjectsQuery): Promise<SerializedAnswer> {
    const plan = await this.#plan(query);
    const stamp = await this.#stamp(plan, query);
    const reused = stamp && this.#answers.getStamped(plan.key, stamp.token);
    if (reused) {
      stamp.served();
      return reused;
    }
    const answer = await this.#answer(plan, query);
    if (!answer.version) return serializeAnswer(answer.value);
    const serialized = this.#answers.get(plan.key, answer.version) ?? serializeAnswer(answer.value);
    this.#answers.set(plan.key, serialized, {
      version: answer.version,
      stamp: stamp?.token,
      clusters: plan.clusters.map((c) => c.name),
    });
    return serialized;
  }

  /** Forgets the answers that asked `cluster`: its watch caches are gone, and they would keep its objects alive. */
  dropAnswersOf(cluster: string): void {
    this.#answers.dropCluster(cluster);
  }

  /** How many serialized answers are kept, and their bytes. */
  get answerCache(): { size: number; bytes: number } {
    return { size: this.#answers.size, bytes: this.#answers.bytes };
  }

  async #plan(query: ObjectsQuery): Promise<Plan> {
    const entityRef = stringifyEntityRef(query.entity);
    const selection = selectionForEntity(query.entity, entityRef);
    const key = JSON.stringify([entityRef, selection, query.auth, query.customResources ?? null]);
    const clusters = this.#o.locator(query.entity, await this.#o.clusters.getClusters());
    return { entityRef, selection, key, clusters };
  }

  /**
   * Per cluster what its answer shows of it and whether it reads metrics, then its fetcher's answer stamp;
   * undefined unless every cluster has one. A credential that cannot be had means no stamp (the fetch
   * reports the error); asking for it also hands a rotated token to the watch cache.
   */
  async #stamp(plan: Plan, query: ObjectsQuery): Promise<AnswerStamp | undefined> {
    const { selection } = plan;
    const stamps = await Promise.all(
      plan.clusters.map(async (cluster) => {
        const fetcher = this.#o.fetcherFor(cluster);
        if (!fetcher.answerStamp) return undefined;
        const credential = await this.#o.auth.getCredential(cluster, query.auth).catch(() => undefined);
        if (!credential) return undefined;
        return fetcher.answerStamp({
          cluster,
          credential,
          labelSelector: selection.labelSelector,
          objectTypes: this.#objectTypes(cluster, query),
          ...namespaceOf(selection),
        });
      }),
    );
    if (!stamps.every((s) => s !== undefined)) return undefined;
    const token: unknown[] = [plan.clusters.length];
    plan.clusters.forEach((c, i) => {
      token.push(attributesKey(c), c.skipMetricsLookup === true);
      for (const part of (stamps[i] as AnswerStamp).token) token.push(part);
    });
    return {
      token,
      served: () => {
        for (const s of stamps) s?.served();
      },
    };
  }

  async #answer(plan: Plan, query: ObjectsQuery): Promise<Answer<ObjectsByEntityResponse>> {
    return this.#coalescer.run(plan.key, async () => {
      const fetched = await Promise.all(
        plan.clusters.map((c) => this.#fetchCluster(c, plan.selection, query, plan.entityRef)),
      );
      const value = { items: fetched.map((f) => f.value).filter(hasSomethingToShow) };
      if (!fetched.every((f) => f.version)) return { value };
      return { value, version: fetched.flatMap((f) => f.version as unknown[]) };
    });
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
    return version ? { value: item, version: [attributesKey(cluster), ...version] } : { value: item };
  }

  async #fetchObjects(
    cluster: ClusterDetails,
    selection: EntitySelection,
    query: ObjectsQuery,
    signal: AbortSignal,
  ) {
    const credential = await this.#o.auth.getCredential(cluster, query.auth);
    const fetcher = this.#o.fetcherFor(cluster);
    const objectTypes = this.#objectTypes(cluster, query);
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

  /**
   * The types a query reads in `cluster`. The same list object for the same custom resources, so fetchers can
   * remember what they derive from each type instead of deriving it on every query.
   */
  #objectTypes(cluster: ClusterDetails, query: ObjectsQuery): readonly ObjectToFetch[] {
    if (query.customResources) return customResourcesToFetch(query.customResources);
    const matchers = cluster.customResources ?? this.#o.customResources;
    let types = this.#typesFor.get(matchers);
    if (!types) {
      types = Object.freeze([...this.#defaultTypes, ...customResourcesToFetch(matchers)]);
      this.#typesFor.set(matchers, types);
    }
    return types;
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

const attributesKeys = new WeakMap<ClusterDetails, string>();

/** What an answer shows of a cluster, as a string to compare; computed once per supplied cluster object. */
function attributesKey(cluster: ClusterDetails): string {
  let key = attributesKeys.get(cluster);
  if (key === undefined) attributesKeys.set(cluster, (key = JSON.stringify(clusterAttributes(cluster))));
  return key;
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
