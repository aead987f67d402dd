import type { AuthDispatcher } from '../auth/dispatch.ts';
import type { ClusterDetails, ClusterSupplier } from '../clusters/types.ts';
import { messageOf } from '../errors/errors.ts';
import type { WatchFetcher } from '../fetch/watch/watch-fetcher.ts';
import type { Logger } from '../shared/logger.ts';
import { SERVICES } from './cluster-services.ts';

/** The part of the watch cache this needs: which clusters it watches, and their change events. */
export type ServiceChangeSource = Pick<WatchFetcher, 'canWatch' | 'subscribe'>;

export interface ServiceWatchOptions {
  watch: ServiceChangeSource;
  clusters: ClusterSupplier;
  auth: AuthDispatcher;
  logger: Logger;
  /** Quiet time after the last change before `onChange` (a rollout changes many Services at once). */
  delayMs: number;
  onChange: () => void;
}

/**
 * Follows Services being added or deleted in the clusters the watch cache serves (`watch` mode with a
 * server-side credential) and calls `onChange` once things settle, so the leader re-stitches from the
 * cache instead of waiting for the next interval. A modified Service keeps its name and namespace,
 * which is all stitching reads, so modifications are ignored.
 */
export class ServiceWatch {
  readonly #o: ServiceWatchOptions;
  readonly #followed = new Map<string, () => void>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: ServiceWatchOptions) {
    this.#o = options;
  }

  /** Clusters whose Service changes are followed now. */
  get clusters(): string[] {
    return [...this.#followed.keys()].sort();
  }

  /** Starts following every watched cluster not followed yet, and stops for clusters that left. */
  async follow(): Promise<void> {
    let clusters: ClusterDetails[];
    try {
      clusters = await this.#o.clusters.getClusters();
    } catch (error) {
      this.#o.logger.warn(`Service changes not followed: the cluster locators failed: ${messageOf(error)}`);
      return;
    }
    const current = new Set(clusters.map((c) => c.name));
    for (const [name, unsubscribe] of this.#followed) {
      if (!current.has(name)) {
        unsubscribe();
        this.#followed.delete(name);
      }
    }
    for (const cluster of clusters) {
      if (this.#followed.has(cluster.name) || !this.#o.watch.canWatch(cluster)) continue;
      try {
        const credential = await this.#o.auth.getCredential(cluster, {});
        const unsubscribe = this.#o.watch.subscribe(
          { cluster, credential, type: { ...SERVICES }, labelSelector: '' },
          (change) => {
            if (change.type !== 'MODIFIED') this.#changed();
          },
        );
        this.#followed.set(cluster.name, unsubscribe);
      } catch (error) {
        this.#o.logger.warn({ cluster: cluster.name }, `Service changes not followed: ${messageOf(error)}`);
      }
    }
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const unsubscribe of this.#followed.values()) unsubscribe();
    this.#followed.clear();
  }

  #changed(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#o.onChange();
    }, this.#o.delayMs);
    this.#timer.unref();
  }
}
