import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogSource } from '../catalog/types.ts';
import { raceAbort } from '../shared/abort.ts';
import type { Logger } from '../shared/logger.ts';
import { CLUSTER_ANNOTATIONS, catalogCluster } from './catalog-cluster.ts';
import type { ClusterSettings } from './cluster-settings.ts';
import type { ClusterDetails, ClusterSupplier } from './types.ts';
import { ProblemLog } from './problem-log.ts';
import { checkClusterUrl } from './url-guard.ts';

/** How long one catalog answer is reused: long enough to absorb pollers, short enough to feel live. */
export const CATALOG_CLUSTERS_TTL_MS = 5_000;

export interface CatalogSupplierOptions {
  catalog: CatalogSource;
  /** `dangerouslyAllowClusterUrls`. */
  allowedHosts: readonly string[];
  /** `dangerouslyAllowSkipTLSVerify`. */
  allowSkipTLSVerify: boolean;
  /** Stitchboard's per-cluster timeout and mode, by cluster name. */
  settings: (name: string) => ClusterSettings;
  logger: Logger;
  ttlMs?: number;
  /** Address lookup for the SSRF check; the system resolver by default. */
  resolve?: (hostname: string) => Promise<string[]>;
  now?: () => number;
}

/**
 * Backstage's `catalog` locator: clusters are `Resource` entities of `spec.type: kubernetes-cluster`.
 * The catalog is asked again once the last answer is older than `ttlMs` (Backstage asks on every call);
 * concurrent callers share one lookup. Each URL passes the SSRF rules on every lookup. Problems are
 * logged once each until they go away, so a 10-second poller does not repeat them forever.
 */
export class CatalogClusterSupplier implements ClusterSupplier {
  readonly #o: CatalogSupplierOptions;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #cached: { at: number; clusters: readonly ClusterDetails[] } | undefined;
  #inFlight: Promise<readonly ClusterDetails[]> | undefined;
  readonly #problems: ProblemLog;

  constructor(options: CatalogSupplierOptions) {
    this.#o = options;
    this.#ttlMs = options.ttlMs ?? CATALOG_CLUSTERS_TTL_MS;
    this.#now = options.now ?? Date.now;
    this.#problems = new ProblemLog(options.logger, { locator: 'catalog' });
  }

  async getClusters(options?: { signal?: AbortSignal }): Promise<ClusterDetails[]> {
    const cached = this.#cached;
    if (cached && this.#now() - cached.at < this.#ttlMs) return [...cached.clusters];
    this.#inFlight ??= this.#lookup().finally(() => {
      this.#inFlight = undefined;
    });
    const clusters = await (options?.signal ? raceAbort(this.#inFlight, options.signal) : this.#inFlight);
    return [...clusters];
  }

  async #lookup(): Promise<readonly ClusterDetails[]> {
    // The shared lookup is not bound to any one caller's signal: others may still be waiting for it.
    const entities = await this.#o.catalog.listEntities({
      kinds: ['Resource'],
      specType: 'kubernetes-cluster',
    });
    const messages: string[] = [];
    const checked = await Promise.all(
      entities.map(async (entity) => {
        const result = catalogCluster(entity, { allowSkipTLSVerify: this.#o.allowSkipTLSVerify });
        messages.push(...result.warnings);
        if (!result.ok) {
          messages.push(result.problem);
          return undefined;
        }
        const verdict = await checkClusterUrl(result.cluster.url, {
          allowedHosts: this.#o.allowedHosts,
          ...(this.#o.resolve ? { resolve: this.#o.resolve } : {}),
        });
        if (!verdict.ok) {
          const ref = stringifyEntityRef(entity);
          messages.push(
            `catalog cluster ${ref}: annotation ${CLUSTER_ANNOTATIONS.apiServer} ${verdict.reason}; the cluster is skipped`,
          );
          return undefined;
        }
        return { ...result.cluster, ...this.#o.settings(result.cluster.name) };
      }),
    );
    const clusters: ClusterDetails[] = [];
    for (const cluster of checked) {
      if (!cluster) continue;
      if (clusters.some((c) => c.name === cluster.name)) {
        messages.push(
          `catalog cluster name "${cluster.name}" is used by more than one kubernetes-cluster Resource; the first is used`,
        );
        continue;
      }
      clusters.push(cluster);
    }
    this.#problems.report(messages);
    this.#cached = { at: this.#now(), clusters };
    return clusters;
  }
}
