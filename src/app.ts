import type { FastifyInstance } from 'fastify';
import { AuthDispatcher, defaultAuthStrategies } from './auth/dispatch.ts';
import { buildCatalogSource } from './catalog/index.ts';
import type { CatalogSource } from './catalog/types.ts';
import { buildClusterSupplier } from './clusters/index.ts';
import type { ClusterDetails, ClusterSupplier } from './clusters/types.ts';
import type { Config } from './config/types.ts';
import { ClusterConnections } from './fetch/connection.ts';
import { LiveFetcher } from './fetch/live-fetcher.ts';
import type { ObjectFetcher } from './fetch/types.ts';
import { buildServer } from './http/server.ts';
import { createMetrics, type Metrics } from './http/metrics.ts';
import { buildServiceLocator } from './locate/service-locator.ts';
import { KubernetesFanOut, type FetchObserver } from './objects/fan-out.ts';
import { openStitching, type Stitching } from './scrape/index.ts';
import type { Logger } from './shared/logger.ts';

export interface AppOptions {
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Replaces the configured catalog (tests, embedding). */
  catalog?: CatalogSource;
}

/** The domain side of Stitchboard, without HTTP: what the CLI's read commands need. */
export interface Core {
  config: Config;
  catalog: CatalogSource;
  clusters: ClusterSupplier;
  auth: AuthDispatcher;
  objects: KubernetesFanOut;
  /** The fetcher each cluster is read with (its mode's), shared by the objects routes and stitching. */
  fetcherFor: (cluster: ClusterDetails) => ObjectFetcher;
  metrics: Metrics;
  close(): Promise<void>;
}

/** Everything Stitchboard runs, wired once from a validated config. Nothing listens until `serve` asks. */
export interface App extends Core {
  server: FastifyInstance;
  /** The topology store and the scraper; the loop runs when `scrapers.backstage.enabled`. */
  stitching: Stitching;
}

export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const core = await createCore(config, options);
  const stitching = await openStitching(config, {
    clusters: core.clusters,
    auth: core.auth,
    fetcherFor: core.fetcherFor,
    logger: options.logger,
    env: options.env ?? process.env,
    registry: core.metrics.registry,
  });
  const server = await buildServer({
    config: config.backend,
    catalog: core.catalog,
    kubernetes: core.objects,
    logger: options.logger,
    metrics: core.metrics,
    stitch: { store: stitching.store, scraper: stitching.scraper },
    access: config.stitchboard,
    proxy: { settings: config.kubernetes?.proxy, clusters: core.clusters, auth: core.auth },
    components: {
      clusters: core.clusters,
      auth: core.auth,
      getService: (key) => stitching.store.getService(key),
    },
  });
  stitching.scraper.start();
  return {
    ...core,
    server,
    stitching,
    async close() {
      await server.close();
      await stitching.close();
      await core.close();
    },
  };
}

export async function createCore(config: Config, options: AppOptions): Promise<Core> {
  const { logger } = options;
  const catalog = options.catalog ?? (await buildCatalogSource(config.stitchboard.catalog, { logger }));
  const clusters = buildClusterSupplier(config, {
    catalog,
    logger,
    ...(options.env ? { env: options.env } : {}),
  });
  const connections = new ClusterConnections();
  const live = new LiveFetcher(connections);
  const metrics = createMetrics();
  const kubernetes = config.kubernetes;
  const auth = new AuthDispatcher(defaultAuthStrategies(options.env, { config, logger }));
  const fetcherFor = (_cluster: ClusterDetails): ObjectFetcher => live;
  const objects = new KubernetesFanOut({
    clusters,
    auth,
    fetcherFor,
    locator: buildServiceLocator(kubernetes?.serviceLocatorMethod.type ?? 'multiTenant'),
    ...(kubernetes?.objectTypes ? { objectTypes: kubernetes.objectTypes } : {}),
    apiVersionOverrides: kubernetes?.apiVersionOverrides ?? {},
    customResources: kubernetes?.customResources ?? [],
    logger: logger.child({ component: 'objects' }),
    observer: metricsObserver(metrics),
  });
  return { config, catalog, clusters, auth, objects, fetcherFor, metrics, close: () => connections.close() };
}

function metricsObserver(metrics: Metrics): FetchObserver {
  return {
    clusterFetched({ cluster, durationMs, errors }) {
      metrics.clusterFetchDuration.observe({ cluster }, durationMs / 1000);
      for (const e of errors) metrics.kubernetesFetchErrors.inc({ cluster, errorType: e.errorType });
    },
  };
}
