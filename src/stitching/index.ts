import type { CatalogSource } from '../catalog/types.ts';
import type { Config } from '../config/types.ts';
import { openStore } from '../store/index.ts';
import type { TopologyStore } from '../store/types.ts';
import { Scraper, type ScraperDeps } from './scraper.ts';

/**
 * Stitching, running: the Backstage instances (configured and discovered), the scrape run and loop,
 * instance Secrets, and the stitch metrics. The rules themselves are in src/topology, the results in
 * src/store. docs/stitching.md describes the whole.
 */
export { Scraper } from './scraper.ts';
export type { CreatedInstance, ScraperDeps } from './scraper.ts';
export type { InstanceStatus, InstanceView } from '../contract/stitchboard.ts';
export { parseNewInstance, type NewInstanceInput } from './instance-input.ts';
export { LOOP_LEASE, TRIGGER_LEASE } from './scrape-loop.ts';
export type * from './types.ts';
export { IN_CLUSTER, SCRAPER_LABEL, SCRAPER_LABEL_VALUE, SEED_SCRAPER_LABEL } from './types.ts';

export interface Stitching {
  store: TopologyStore;
  scraper: Scraper;
  /** Stops the loop, then closes the store. */
  close(): Promise<void>;
}

/**
 * Opens the store `backend.database` names and builds the scraper over it. `catalog` is the app's
 * own (`stitchboard.catalog`): with `scrapers.catalog.enabled` it is stitched as one more instance.
 * Nothing runs until `scraper.start()`.
 *
 * @example
 * const stitching = await openStitching(config, { catalog, clusters, auth, fetcherFor, logger, env, registry: metrics.registry });
 * stitching.scraper.start();
 */
export async function openStitching(
  config: Config,
  deps: Omit<ScraperDeps, 'config' | 'store' | 'catalog'> & { catalog: CatalogSource },
): Promise<Stitching> {
  const store = await openStore(config.backend.database, {
    logger: deps.logger.child({ component: 'store' }),
  });
  const { catalog: source, ...rest } = deps;
  const local = config.scrapers?.catalog;
  const scraper = new Scraper({
    ...rest,
    config: config.scrapers?.backstage,
    ...(local ? { catalog: { config: local, source } } : {}),
    store,
    logger: deps.logger.child({ component: 'scrape' }),
  });
  return {
    store,
    scraper,
    async close() {
      await scraper.close();
      await store.close();
    },
  };
}
