import type { BackstageScraperConfig } from '../config/types.ts';
import type { Logger } from '../shared/logger.ts';
import type { Fence, TopologyStore } from '../store/types.ts';
import { listClusterServices, type ServicesDeps } from './cluster-services.ts';
import { discoverInstances, type DiscoverDeps } from './discover.ts';
import type { CatalogRead } from './catalog-reader.ts';
import { runInstance } from './run-instance.ts';
import type { ResolvedInstance, ScrapeProgress, ScrapeSummary } from './types.ts';

export interface ScrapeRunDeps extends DiscoverDeps, Pick<ServicesDeps, 'clusters' | 'auth' | 'fetcherFor'> {
  config: BackstageScraperConfig;
  store: TopologyStore;
  logger: Logger;
  /** Entities per catalog page (default 500). */
  pageSize?: number;
  /** Receives each catalog read completely. */
  onCatalog?: (instance: ResolvedInstance, catalog: CatalogRead) => void;
}

export interface ScrapeRunOptions {
  signal?: AbortSignal;
  /** The scrape-loop lease the run's writes are fenced by (see runInstance); none for a one-off run. */
  fence?: Fence;
  /** Told what the run does; a catalog page waits for the promise it returns. */
  onProgress?: (event: ScrapeProgress) => void | Promise<void>;
}

/**
 * One full run: find the instances (Secrets re-read now), list the Services of every cluster once, then
 * stitch each instance against that same listing, one after the other. Each instance's outcome is a
 * recorded run; the summary lists them.
 */
export async function runScrape(deps: ScrapeRunDeps, options: ScrapeRunOptions = {}): Promise<ScrapeSummary> {
  const startedAt = new Date();
  const started = performance.now();
  const { onProgress, signal } = options;
  const discovery = await discoverInstances(deps.config, deps);
  await onProgress?.({
    type: 'discovered',
    instances: discovery.instances.length,
    invalid: discovery.instances.filter((i) => !i.ok).length,
  });
  signal?.throwIfAborted();

  const runs = [];
  if (discovery.instances.length > 0) {
    const services = await listClusterServices({
      clusters: deps.clusters,
      auth: deps.auth,
      fetcherFor: deps.fetcherFor,
      timeoutMs: deps.config.timeoutMs,
      ...(signal ? { signal } : {}),
      onCluster: (cluster, outcome) => void onProgress?.({ type: 'cluster', cluster, ...outcome }),
    });
    for (const instance of discovery.instances) {
      runs.push(
        await runInstance(instance, services, {
          store: deps.store,
          logger: deps.logger,
          timeoutMs: deps.config.timeoutMs,
          ...(deps.pageSize ? { pageSize: deps.pageSize } : {}),
          ...(signal ? { signal } : {}),
          ...(options.fence ? { fence: options.fence } : {}),
          ...(onProgress ? { onProgress } : {}),
          ...(deps.onCatalog ? { onCatalog: deps.onCatalog } : {}),
        }),
      );
    }
  } else {
    deps.logger.info('no Backstage instance to scrape');
  }
  return { startedAt, durationMs: performance.now() - started, runs, discovery: discovery.discovery };
}
