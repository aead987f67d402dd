import type { FastifyInstance } from 'fastify';
import { AuthDispatcher, defaultAuthStrategies } from './auth/dispatch.ts';
import { buildCatalogSource } from './catalog/index.ts';
import type { CatalogSource } from './catalog/types.ts';
import { buildClusterSupplier } from './clusters/index.ts';
import type { ClusterDetails, ClusterSupplier } from './clusters/types.ts';
import type { Config } from './config/types.ts';
import { ClusterConnections } from './fetch/connection.ts';
import { LiveFetcher } from './fetch/live-fetcher.ts';
import { cacheHealth } from './fetch/watch/cache-health.ts';
import { registerCacheMetrics } from './fetch/watch/cache-metrics.ts';
import { startWarmUp } from './fetch/watch/warm-up.ts';
import { WatchFetcher } from './fetch/watch/watch-fetcher.ts';
import type { ObjectFetcher } from './fetch/types.ts';
import { createHealthChecks } from './http/health.ts';
import { registerWatchStream } from './http/routes/watch-stream.ts';
import { buildServer } from './http/server.ts';
import { createMetrics, type Metrics } from './http/metrics.ts';
import { buildServiceLocator, type ServiceLocator } from './locate/service-locator.ts';
import { KubernetesFanOut, type FetchObserver } from './objects/fan-out.ts';
import { ForwardingFetcher } from './replicas/forwarding-fetcher.ts';
import { ReplicaShares, setUpReplicas, type Replicas } from './replicas/index.ts';
import { openStitching, type Stitching } from './stitching/index.ts';
import type { Logger } from './shared/logger.ts';

export interface AppOptions {
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Replaces the configured catalog (tests, embedding). */
  catalog?: CatalogSource;
  /** Start every watched cluster's informers now and report readiness on `/readyz` (`serve`). */
  warmUp?: boolean;
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
  /** The informer caches behind `watch`-mode clusters (idle until queried, or warmed by `warmUp`). */
  watch: WatchFetcher;
  /** Keep-alive connections to the clusters, shared by everything that reads them with server credentials. */
  connections: ClusterConnections;
  locator: ServiceLocator;
  metrics: Metrics;
  /** Which clusters this replica watches (all, unless `stitchboard.replicas` divides them). */
  shares: ReplicaShares;
  close(): Promise<void>;
}

/** Everything Stitchboard runs, wired once from a validated config. Nothing listens until `serve` asks. */
export interface App extends Core {
  server: FastifyInstance;
  /** The topology store and the scraper; the loop runs when `scrapers.backstage.enabled`. */
  stitching: Stitching;
  /** With `stitchboard.replicas`: joined once the server listens (`serve` calls `start`). */
  replicas?: Replicas;
}

type CoreStitchingDeps = Omit<
  Parameters<typeof openStitching>[1],
  'catalog' | 'clusters' | 'auth' | 'fetcherFor' | 'connections'
>;

/** Stitching over `core`'s catalog, clusters, credentials and connections: as `serve` and the CLI open it. */
export function openCoreStitching(core: Core, deps: CoreStitchingDeps): Promise<Stitching> {
  return openStitching(core.config, {
    catalog: core.catalog,
    clusters: core.clusters,
    auth: core.auth,
    fetcherFor: core.fetcherFor,
    connections: core.connections,
    ...deps,
  });
}

export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const core = await createCore(config, options);
  const stitching = await openCoreStitching(core, {
    watch: core.watch,
    logger: options.logger,
    env: options.env ?? process.env,
    registry: core.metrics.registry,
  });
  const health = createHealthChecks();
  health.register('watchCache', () => ({ ...cacheHealth(core.watch.cacheStats()) }));
  // What the watch stream and the warm-up start informers for: the types a query would fetch.
  const types = {
    ...(config.kubernetes?.objectTypes ? { objectTypes: config.kubernetes.objectTypes } : {}),
    apiVersionOverrides: config.kubernetes?.apiVersionOverrides ?? {},
    customResources: config.kubernetes?.customResources ?? [],
  };
  // A replica warms its share, which is known only once it has joined the others.
  const joined = config.stitchboard.replicas ? Promise.withResolvers<void>() : undefined;
  const readiness = options.warmUp
    ? startWarmUp({
        ...(joined ? { after: joined.promise } : {}),
        clusters: core.clusters,
        auth: core.auth,
        watch: core.watch,
        ...types,
        logger: options.logger,
      })
    : undefined;
  const server = await buildServer({
    health,
    ...(readiness ? { readiness } : {}),
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
      connections: core.connections,
      getService: (key) => stitching.store.getService(key),
    },
  });
  registerWatchStream(server, {
    catalog: core.catalog,
    clusters: core.clusters,
    locator: core.locator,
    auth: core.auth,
    watch: core.watch,
    ...types,
  });
  const members = config.stitchboard.replicas
    ? setUpReplicas({
        config: config.stitchboard.replicas,
        store: stitching.store,
        shares: core.shares,
        clusters: core.clusters,
        auth: core.auth,
        watch: core.watch,
        server,
        logger: options.logger,
      })
    : undefined;
  const replicas: Replicas | undefined = members && {
    start: async (address) => {
      await members.start(address);
      joined?.resolve();
    },
    stop: () => members.stop(),
  };
  stitching.scraper.start();
  return {
    ...core,
    server,
    stitching,
    ...(replicas ? { replicas } : {}),
    async close() {
      await replicas?.stop();
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
  const shares = new ReplicaShares({ divided: config.stitchboard.replicas !== undefined });
  const watch = new WatchFetcher({
    connections,
    live,
    logger,
    staleAfterMs: config.stitchboard.kubernetes.watchStaleAfterMs,
    inShare: (cluster) => shares.owns(cluster.name),
    informer: { idleTimeoutMs: config.stitchboard.kubernetes.watchIdleTimeoutMs },
  });
  const replicas = config.stitchboard.replicas;
  // With replicas, a watched cluster of another replica's share is answered by that replica's cache.
  const watched: ObjectFetcher = replicas
    ? new ForwardingFetcher({
        ownerOf: (name) => shares.ownerOf(name),
        owns: (name) => shares.owns(name),
        watch,
        live,
        internalToken: replicas.internalToken,
        logger: logger.child({ component: 'replicas' }),
      })
    : watch;
  const metrics = createMetrics();
  registerCacheMetrics(metrics.registry, () => watch.cacheStats());
  const kubernetes = config.kubernetes;
  const auth = new AuthDispatcher(defaultAuthStrategies(options.env, { config, logger }));
  const fetcherFor = (cluster: ClusterDetails): ObjectFetcher => (cluster.mode === 'watch' ? watched : live);
  const locator = buildServiceLocator(kubernetes?.serviceLocatorMethod.type ?? 'multiTenant');
  const objects = new KubernetesFanOut({
    clusters,
    auth,
    fetcherFor,
    locator,
    ...(kubernetes?.objectTypes ? { objectTypes: kubernetes.objectTypes } : {}),
    apiVersionOverrides: kubernetes?.apiVersionOverrides ?? {},
    customResources: kubernetes?.customResources ?? [],
    logger: logger.child({ component: 'objects' }),
    observer: metricsObserver(metrics),
    replicaOf: (name) => shares.ownerOf(name)?.id,
    connectionState: (cluster) => watch.connectionState(cluster),
  });
  watch.onForget((name) => objects.dropAnswersOf(name));
  return {
    config,
    catalog,
    clusters,
    auth,
    objects,
    fetcherFor,
    watch,
    connections,
    locator,
    metrics,
    shares,
    async close() {
      await watch.stop();
      await connections.close();
    },
  };
}

function metricsObserver(metrics: Metrics): FetchObserver {
  return {
    clusterFetched({ cluster, durationMs, errors }) {
      metrics.clusterFetchDuration.observe({ cluster }, durationMs / 1000);
      for (const e of errors) metrics.kubernetesFetchErrors.inc({ cluster, errorType: e.errorType });
    },
  };
}
