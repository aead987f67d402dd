import { messageOf } from '../errors/errors.ts';
import type {
  FetchObjectsParams,
  FetchPodMetricsParams,
  FetchResult,
  ObjectFetcher,
  PodMetricsResult,
} from '../fetch/types.ts';
import type { Logger } from '../shared/logger.ts';
import type { ReplicaMember } from '../store/types.ts';
import { FORWARD_PATH, forwardResponseSchema, TOKEN_HEADER, type ForwardRequest } from './forward-wire.ts';

export interface ForwardingFetcherOptions {
  /** Who watches a cluster; undefined for a cluster not divided yet. */
  ownerOf: (cluster: string) => ReplicaMember | undefined;
  /** Whether this replica watches it. */
  owns: (cluster: string) => boolean;
  /** This replica's watch cache (answers live what is not in its share). */
  watch: ObjectFetcher;
  /** The fallback when the owner cannot answer in time. */
  live: ObjectFetcher;
  internalToken: string;
  logger: Logger;
}

/**
 * `watch`-mode reads with several replicas: a cluster of this replica's share is answered from its own
 * watch cache; a cluster of another's share is forwarded to that replica, which answers from its cache.
 * The owner gets half the cluster's deadline; when it is down, slow, or answers anything but a
 * FetchResult, the query is read live for the rest of the deadline, so a dying replica never fails a
 * query. The caller shapes the response from the FetchResult exactly as for a local answer, so what
 * Backstage sees does not depend on which replica answered. Pod metrics are always live.
 */
export class ForwardingFetcher implements ObjectFetcher {
  readonly #o: ForwardingFetcherOptions;

  constructor(options: ForwardingFetcherOptions) {
    this.#o = options;
  }

  async fetchObjects(params: FetchObjectsParams): Promise<FetchResult> {
    const name = params.cluster.name;
    const owner = this.#o.owns(name) ? undefined : this.#o.ownerOf(name);
    if (!owner) return this.#o.watch.fetchObjects(params);
    try {
      return await this.#forward(owner, params);
    } catch (error) {
      if (params.signal.aborted) throw error;
      this.#o.logger.warn(
        { cluster: name, replica: owner.id, err: messageOf(error) },
        'the owning replica did not answer; reading the cluster live',
      );
      return this.#o.live.fetchObjects(params);
    }
  }

  fetchPodMetrics(params: FetchPodMetricsParams): Promise<PodMetricsResult> {
    return this.#o.live.fetchPodMetrics(params);
  }

  async #forward(owner: ReplicaMember, params: FetchObjectsParams): Promise<FetchResult> {
    const body: ForwardRequest = {
      cluster: params.cluster.name,
      objectTypes: [...params.objectTypes],
      labelSelector: params.labelSelector,
      ...(params.namespace ? { namespace: params.namespace } : {}),
    };
    const budget = AbortSignal.timeout(Math.max(1, Math.floor(params.cluster.timeoutMs / 2)));
    const response = await fetch(`${owner.url}${FORWARD_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: this.#o.internalToken },
      body: JSON.stringify(body),
      signal: AbortSignal.any([params.signal, budget]),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`replica ${owner.id} answered HTTP ${response.status}`);
    }
    const parsed = forwardResponseSchema.safeParse(await response.json());
    if (!parsed.success) throw new Error(`replica ${owner.id} answered something other than a fetch result`);
    return parsed.data as unknown as FetchResult;
  }
}
