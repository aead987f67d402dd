import type { Logger } from '../shared/logger.ts';
import { messageOf } from '../errors/errors.ts';
import type { ClusterDetails, ClusterSupplier } from './types.ts';

/**
 * Runs every locator in parallel. With `continueOnError` a failing locator is logged and skipped
 * (Backstage's `clusterLocatorContinueOnError`); otherwise its error fails the call. A name that two
 * locators both supply is kept once (first wins) and warned about, since routes address clusters by name.
 */
export class CombinedClusterSupplier implements ClusterSupplier {
  readonly #suppliers: readonly { type: string; supplier: ClusterSupplier }[];
  readonly #continueOnError: boolean;
  readonly #logger: Logger;
  readonly #warned = new Set<string>();

  constructor(options: {
    suppliers: readonly { type: string; supplier: ClusterSupplier }[];
    continueOnError: boolean;
    logger: Logger;
  }) {
    this.#suppliers = options.suppliers;
    this.#continueOnError = options.continueOnError;
    this.#logger = options.logger;
  }

  async getClusters(options?: { signal?: AbortSignal }): Promise<ClusterDetails[]> {
    const settled = await Promise.allSettled(this.#suppliers.map((s) => s.supplier.getClusters(options)));
    const clusters: ClusterDetails[] = [];
    const seen = new Set<string>();
    settled.forEach((result, index) => {
      const type = this.#suppliers[index]?.type ?? 'unknown';
      if (result.status === 'rejected') {
        if (!this.#continueOnError) throw result.reason;
        this.#logger.warn(
          { locator: type, err: messageOf(result.reason) },
          'cluster locator failed; skipped',
        );
        return;
      }
      for (const cluster of result.value) {
        if (seen.has(cluster.name)) {
          if (!this.#warned.has(cluster.name)) {
            this.#warned.add(cluster.name);
            this.#logger.warn(
              { cluster: cluster.name, locator: type },
              'duplicate cluster name; the first one is used',
            );
          }
          continue;
        }
        seen.add(cluster.name);
        clusters.push(cluster);
      }
    });
    return clusters;
  }
}
