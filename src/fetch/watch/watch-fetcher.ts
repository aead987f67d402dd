import type { Credential } from '../../auth/types.ts';
import { authProviderOf, type ClusterDetails } from '../../clusters/types.ts';
import { WATCHABLE_PROVIDERS } from '../../config/auth-providers.ts';
import type { ClusterConnectionState, KubeObject } from '../../contract/kubernetes.ts';
import { inputError } from '../../errors/errors.ts';
import { parseLabelSelector, type Requirement } from '../../kube/label-selector.ts';
import { CLUSTER_SCOPED, listPath } from '../../kube/object-types.ts';
import type { Logger } from '../../shared/logger.ts';
import type { ClusterConnections } from '../connection.ts';
import { errorTypeForStatus } from '../error-type.ts';
import { combineOutcomes, type ListOutcome } from '../list-outcomes.ts';
import { LiveFetcher, shapeList } from '../live-fetcher.ts';
import type {
  AnswerStamp,
  FetchObjectsParams,
  FetchPodMetricsParams,
  FetchResult,
  ObjectFetcher,
  ObjectToFetch,
  PodMetricsResult,
} from '../types.ts';
import { decideAnswer } from './answer-policy.ts';
import type { CacheStats } from './cache-stats.ts';
import { connectionState } from './connection-state.ts';
import { changeForFilter, type ChangeFilter } from './change-filter.ts';
import { DEFAULT_INFORMER_SETTINGS, Informer, resourceId, type InformerSettings } from './informer.ts';
import type { ChangeType, StoreChange } from './object-store.ts';
import { WatchStreams } from './watch-streams.ts';

/**
 * Auth providers whose credential belongs to Stitchboard, not to the user asking: only then may one cache
 * serve everybody. `google`, `oidc` and `aks` tokens come with each request and a shared cache would
 * show one user's view to another, so those clusters are answered live. The provider table says which
 * (`watchable`).
 */
export const SERVER_SIDE_PROVIDERS: readonly string[] = WATCHABLE_PROVIDERS;

export interface WatchFetcherOptions {
  connections: ClusterConnections;
  logger: Logger;
  /** Answers whatever the cache cannot; a LiveFetcher over `connections` by default. */
  live?: ObjectFetcher;
  /** A watch down for longer than this, or a LIST refusal older than this, is answered live. Default 30 s. */
  staleAfterMs?: number;
  informer?: Partial<InformerSettings>;
  serverSideProviders?: readonly string[];
  /** With several replicas, whether this one watches the cluster (its share); the others are answered live. Default: all. */
  inShare?: (cluster: ClusterDetails) => boolean;
}

/** One object change as a subscriber with that query sees it; objects are shaped as in responses. */
export interface ObjectChange {
  type: ChangeType;
  object: KubeObject;
}

export interface SubscribeQuery {
  cluster: ClusterDetails;
  credential: Credential;
  type: ObjectToFetch;
  labelSelector: string;
  namespace?: string;
}

interface Subscriber {
  filter: ChangeFilter;
  type: ObjectToFetch;
  listener: (change: ObjectChange) => void;
}

interface Entry {
  /** Unique among all entries ever made: stands for this informer in answer stamps without holding it. */
  id: number;
  informer: Informer;
  subscribers: Set<Subscriber>;
  servedFromCache: number;
  servedLive: number;
}

interface ClusterCache {
  signature: string;
  cluster: ClusterDetails;
  /** The latest supplied object for this cluster whose signature matched. */
  checked: ClusterDetails;
  credential: Credential;
  entries: Map<string, Entry>;
}

/**
 * `watch` mode: answers `fetchObjects` from informers (one per cluster and resource, started by the first
 * query that needs it, kept afterwards), with the same response `LiveFetcher` gives for the same cluster
 * state. What the cache cannot answer faithfully goes live: a type not synced yet, a watch down longer
 * than `staleAfterMs`, a per-user credential, a label selector it cannot parse. Pod metrics are always live.
 *
 * @example
 *   const watch = new WatchFetcher({ connections, logger });
 *   const fetcherFor = (c: ClusterDetails) => (c.mode === 'watch' ? watch : live);
 *   // ...on shutdown
 *   await watch.stop();
 */
export class WatchFetcher implements ObjectFetcher {
  readonly #o: Required<Omit<WatchFetcherOptions, 'informer' | 'serverSideProviders'>>;
  readonly #settings: InformerSettings;
  readonly #serverSide: ReadonlySet<string>;
  readonly #streams = new WatchStreams();
  readonly #clusters = new Map<string, ClusterCache>();
  readonly #stopping = new Set<Promise<void>>();
  readonly #forgotten = new Set<(cluster: string) => void>();
  /** Each type object's informer id: the fan-out passes the same type objects on every query. */
  readonly #resourceIds = new WeakMap<ObjectToFetch, string>();
  #stopped = false;
  #entries = 0;

  constructor(options: WatchFetcherOptions) {
    this.#o = {
      connections: options.connections,
      logger: options.logger.child({ component: 'watch-cache' }),
      live: options.live ?? new LiveFetcher(options.connections),
      staleAfterMs: options.staleAfterMs ?? 30_000,
      inShare: options.inShare ?? (() => true),
    };
    this.#settings = { ...DEFAULT_INFORMER_SETTINGS, ...options.informer };
    this.#serverSide = new Set(options.serverSideProviders ?? SERVER_SIDE_PROVIDERS);
  }

  /** Whether this cluster can be answered from a cache at all: `watch` mode and a server-side credential. */
  watchable(cluster: ClusterDetails): boolean {
    return cluster.mode === 'watch' && this.#serverSide.has(authProviderOf(cluster));
  }

  /** Whether this replica answers the cluster from its cache: watchable, and in this replica's share. */
  canWatch(cluster: ClusterDetails): boolean {
    return !this.#stopped && this.watchable(cluster) && this.#o.inShare(cluster);
  }

  async fetchObjects(params: FetchObjectsParams): Promise<FetchResult> {
    const parsed = parseLabelSelector(params.labelSelector);
    // A selector we cannot read gets the API server's own 400 through live.
    if (!this.canWatch(params.cluster) || !parsed.ok) return this.#o.live.fetchObjects(params);
    const cache = this.#cacheFor(params.cluster, params.credential);
    const answers = await Promise.all(
      params.objectTypes.map((o) => this.#answer(cache, o, params, parsed.requirements)),
    );
    const result = combineOutcomes(answers.map((a) => a.outcome));
    if (!answers.every((a) => a.version)) return result;
    return { ...result, version: answers.flatMap((a) => a.version as unknown[]) };
  }

  /**
   * The token is, per type, its informer's id (a cluster whose connection changed gets new informers), the
   * answer's kind (cache or refusal), the store's generation or the refusal's status, and the list kind: each
   * changes whenever what that type answers may have, and a change in one cluster touches no other cluster's
   * token. Only numbers and strings: a kept token holds no store alive.
   */
  answerStamp(params: Omit<FetchObjectsParams, 'signal'>): AnswerStamp | undefined {
    if (!this.canWatch(params.cluster) || !parseLabelSelector(params.labelSelector).ok) return undefined;
    const cache = this.#cacheFor(params.cluster, params.credential);
    const base = { now: Date.now(), staleAfterMs: this.#o.staleAfterMs };
    const contexts = [
      { ...base, namespaceApplies: false },
      { ...base, namespaceApplies: !!params.namespace },
    ] as const;
    const token: unknown[] = [];
    const entries: Entry[] = [];
    for (const o of params.objectTypes) {
      const entry = this.#entryFor(cache, o);
      const answer = decideAnswer(entry.informer.view(), contexts[CLUSTER_SCOPED.has(o.plural) ? 0 : 1]);
      if (answer.kind === 'live') return undefined;
      const state = answer.kind === 'cache' ? entry.informer.store.generation : answer.statusCode;
      token.push(entry.id, answer.kind, state, entry.informer.listKind);
      entries.push(entry);
    }
    return {
      token,
      served: () => {
        for (const entry of entries) entry.servedFromCache++;
      },
    };
  }

  /** Always live: metrics are point-in-time usage samples, there is nothing to watch. */
  fetchPodMetrics(params: FetchPodMetricsParams): Promise<PodMetricsResult> {
    return this.#o.live.fetchPodMetrics(params);
  }

  /**
   * Starts the informers a query would use and resolves once each has listed (or been refused), or when
   * `signal` aborts. For warm-up before traffic and for tests; queries never wait for a sync.
   */
  async warm(
    params: Pick<FetchObjectsParams, 'cluster' | 'credential' | 'objectTypes'> & { signal?: AbortSignal },
  ): Promise<void> {
    if (!this.canWatch(params.cluster)) return;
    const cache = this.#cacheFor(params.cluster, params.credential);
    await Promise.all(
      params.objectTypes.map((o) => this.#entryFor(cache, o).informer.whenSettled(params.signal)),
    );
  }

  /**
   * Calls `listener` for every change to an object the query selects, from now on (take the current state
   * from `fetchObjects`). Returns the unsubscribe function. Throws an INPUT_INVALID error for a cluster that
   * is not watched or a selector that does not parse.
   */
  subscribe(query: SubscribeQuery, listener: (change: ObjectChange) => void): () => void {
    if (!this.canWatch(query.cluster) && this.watchable(query.cluster) && !this.#stopped) {
      throw inputError(`cluster '${query.cluster.name}' is watched by another replica`);
    }
    if (!this.canWatch(query.cluster)) {
      throw inputError(
        `cluster '${query.cluster.name}' is not watched (mode '${query.cluster.mode}', authProvider '${authProviderOf(query.cluster)}')`,
      );
    }
    const parsed = parseLabelSelector(query.labelSelector);
    if (!parsed.ok) throw inputError(`label selector "${query.labelSelector}": ${parsed.error}`);
    const entry = this.#entryFor(this.#cacheFor(query.cluster, query.credential), query.type);
    const namespace = query.namespace && !CLUSTER_SCOPED.has(query.type.plural) ? query.namespace : undefined;
    const subscriber: Subscriber = {
      filter: { requirements: parsed.requirements, ...(namespace ? { namespace } : {}) },
      type: query.type,
      listener,
    };
    entry.subscribers.add(subscriber);
    return () => entry.subscribers.delete(subscriber);
  }

  /** A snapshot per (cluster, resource), for `/metrics` and `/healthz`. */
  cacheStats(): CacheStats[] {
    const now = Date.now();
    const stats: CacheStats[] = [];
    for (const cache of this.#clusters.values()) {
      for (const entry of cache.entries.values()) {
        const s = entry.informer.stats();
        const stale = s.downSince !== undefined && now - s.downSince > this.#o.staleAfterMs;
        stats.push({
          cluster: cache.cluster.name,
          resource: resourceId(entry.informer.resource),
          ...s,
          stale,
          servedFromCache: entry.servedFromCache,
          servedLive: entry.servedLive,
          subscribers: entry.subscribers.size,
        });
      }
    }
    return stats;
  }

  /** A watched cluster's connection state (`idle` before any query needed it); undefined when not watched. */
  connectionState(cluster: ClusterDetails): ClusterConnectionState | undefined {
    if (!this.canWatch(cluster)) return undefined;
    return connectionState(this.cacheStats().filter((s) => s.cluster === cluster.name));
  }

  /** Stops and forgets one cluster's informers (a cluster that left the configuration or this replica's share). */
  async forget(clusterName: string): Promise<void> {
    const cache = this.#clusters.get(clusterName);
    if (!cache) return;
    this.#clusters.delete(clusterName);
    for (const listener of this.#forgotten) listener(clusterName);
    await this.#stopAll(cache);
  }

  /** Calls `listener` with the name of each cluster whose caches are forgotten, from now on. */
  onForget(listener: (cluster: string) => void): () => void {
    this.#forgotten.add(listener);
    return () => this.#forgotten.delete(listener);
  }

  /** Ends every watch, request and timer. The fetcher answers live afterwards. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const caches = [...this.#clusters.values()];
    this.#clusters.clear();
    await Promise.all(caches.map((c) => this.#stopAll(c)));
    await Promise.all([...this.#stopping]);
    await this.#streams.close();
  }

  async #answer(
    cache: ClusterCache,
    o: ObjectToFetch,
    params: FetchObjectsParams,
    requirements: readonly Requirement[],
  ): Promise<{ outcome: ListOutcome; version?: unknown[] }> {
    const entry = this.#entryFor(cache, o);
    const namespaceApplies = !!params.namespace && !CLUSTER_SCOPED.has(o.plural);
    const answer = decideAnswer(entry.informer.view(), {
      now: Date.now(),
      staleAfterMs: this.#o.staleAfterMs,
      namespaceApplies,
    });
    if (answer.kind === 'cache') {
      entry.servedFromCache++;
      const items = entry.informer.store.select(
        requirements,
        namespaceApplies ? params.namespace : undefined,
      );
      const kind = entry.informer.listKind;
      // The stored instances themselves: an object that changes is replaced, so `===` means unchanged.
      return {
        outcome: { ok: true, response: shapeList(o, { kind, items }) },
        version: [kind, items.length, ...items],
      };
    }
    if (answer.kind === 'error') {
      entry.servedFromCache++;
      const resourcePath = `${new URL(cache.cluster.url).pathname.replace(/\/+$/, '')}${listPath(o, params.namespace)}`;
      const error = {
        errorType: errorTypeForStatus(answer.statusCode),
        statusCode: answer.statusCode,
        resourcePath,
      };
      return { outcome: { ok: false, error }, version: ['refused', answer.statusCode, resourcePath] };
    }
    entry.servedLive++;
    const live = await this.#o.live.fetchObjects({ ...params, objectTypes: [o] });
    if (live.responses[0]) return { outcome: { ok: true, response: live.responses[0] } };
    return { outcome: { ok: false, error: live.errors[0] ?? { errorType: 'UNKNOWN_ERROR' } } };
  }

  #cacheFor(cluster: ClusterDetails, credential: Credential): ClusterCache {
    const known = this.#clusters.get(cluster.name);
    // Suppliers hand out the same object until a cluster is reloaded: its signature was checked already.
    if (known?.checked === cluster) {
      known.credential = credential;
      return known;
    }
    const signature = JSON.stringify([
      cluster.url,
      cluster.skipTLSVerify,
      cluster.caData,
      cluster.caFile,
      authProviderOf(cluster),
    ]);
    let cache = this.#clusters.get(cluster.name);
    if (cache && cache.signature !== signature) {
      // The cluster moved (new URL, CA or auth): what was cached describes another server.
      this.#o.logger.info({ cluster: cluster.name }, 'cluster connection changed; dropping its cache');
      const stopping = this.#stopAll(cache).finally(() => this.#stopping.delete(stopping));
      this.#stopping.add(stopping);
      cache = undefined;
    }
    if (!cache) {
      cache = { signature, cluster, checked: cluster, credential, entries: new Map() };
      this.#clusters.set(cluster.name, cache);
    }
    cache.checked = cluster;
    cache.credential = credential;
    return cache;
  }

  #entryFor(cache: ClusterCache, o: ObjectToFetch): Entry {
    let id = this.#resourceIds.get(o);
    if (id === undefined) this.#resourceIds.set(o, (id = resourceId(o)));
    let entry = cache.entries.get(id);
    if (entry) return entry;
    const resource = { group: o.group, apiVersion: o.apiVersion, plural: o.plural };
    const subscribers = new Set<Subscriber>();
    const informer = new Informer({
      cluster: cache.cluster,
      resource,
      connections: this.#o.connections,
      streams: this.#streams,
      credential: () => cache.credential,
      logger: this.#o.logger.child({ cluster: cache.cluster.name }),
      settings: this.#settings,
      onChanges: (changes) => this.#notify(informer, subscribers, changes),
    });
    entry = { id: this.#entries++, informer, subscribers, servedFromCache: 0, servedLive: 0 };
    cache.entries.set(id, entry);
    informer.start();
    return entry;
  }

  #notify(informer: Informer, subscribers: ReadonlySet<Subscriber>, changes: readonly StoreChange[]): void {
    for (const subscriber of subscribers) {
      for (const change of changes) {
        const type = changeForFilter(subscriber.filter, change);
        if (!type) continue;
        const [object] = shapeList(subscriber.type, {
          kind: informer.listKind,
          items: [change.object],
        }).resources;
        try {
          subscriber.listener({ type, object: object as KubeObject });
        } catch (error) {
          this.#o.logger.error({ err: error }, 'a subscriber threw; it stays subscribed');
        }
      }
    }
  }

  async #stopAll(cache: ClusterCache): Promise<void> {
    await Promise.all([...cache.entries.values()].map((e) => e.informer.stop()));
    cache.entries.clear();
  }
}
