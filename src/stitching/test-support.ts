import type { Entity } from '@backstage/catalog-model';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBackstage, type BackstageFixture } from '../../test/helpers/backstage.ts';
import type { TestCluster } from '../../test/helpers/clusters.ts';
import { PgSchemas, type PgDatabase } from '../../test/helpers/pg.ts';
import { configCluster, labClusterDetails, rawKubernetes } from '../../test/helpers/engine.ts';
import { AuthDispatcher, defaultAuthStrategies } from '../auth/dispatch.ts';
import { StaticClusterSupplier } from '../clusters/config-supplier.ts';
import type { ClusterDetails, FetchMode } from '../clusters/types.ts';
import type { BackstageScraperConfig, DatabaseConfig } from '../config/types.ts';
import { ClusterConnections } from '../fetch/connection.ts';
import { LiveFetcher } from '../fetch/live-fetcher.ts';
import { WatchFetcher } from '../fetch/watch/watch-fetcher.ts';
import { silentLogger, type Logger } from '../shared/logger.ts';
import { openStore } from '../store/index.ts';
import type { TopologyStore } from '../store/types.ts';
import { DEFAULT_LABEL_MAP } from '../topology/label-map.ts';
import type { ClusterInfo } from '../../tools/kube/types.ts';
import { Scraper } from './scraper.ts';
import { DEFAULT_DISCOVERY_MATCH } from '../config/scrapers-schema.ts';

export { PgSchemas };

/** What a test of several replicas on one PostgreSQL runs against (see `replicaStage`). */
export interface ReplicaStage {
  /** A temp folder, for the replicas' config files. */
  dir: string;
  backstage: BackstageFixture;
  /** A fresh schema on the test PostgreSQL: the replicas' shared store. */
  database: PgDatabase;
  /** A store of the test's own on `database`, to watch what the replicas write. */
  observer: TopologyStore;
  /** Takes it all down; stop the replicas first. */
  close(): Promise<void>;
}

/**
 * Backstage serving `entities` with the Services of `services` in `namespace` on `cluster` (as
 * `backstageWithServices`), a fresh schema with an observer store on it, and a temp folder.
 */
export async function replicaStage(
  entities: Entity[],
  cluster: TestCluster,
  namespace: string,
  services: readonly string[],
): Promise<ReplicaStage> {
  const schemas = new PgSchemas();
  const dir = await mkdtemp(join(tmpdir(), 'stitchboard-replicas-'));
  const backstage = await backstageWithServices(entities, cluster, namespace, services);
  const database = await schemas.fresh();
  const observer = await openStore(database, { logger: silentLogger() });
  const close = inTurn(
    () => observer.close(),
    () => backstage.close(),
    () => schemas.dropAll(),
    () => rm(dir, { recursive: true, force: true }),
  );
  return { dir, backstage, database, observer, close };
}

/** The close of something made of parts: each step in turn, once the one before has finished. */
function inTurn(...steps: (() => Promise<unknown>)[]): () => Promise<void> {
  return async () => {
    for (const step of steps) await step();
  };
}

/** Test builders for stitching's integration tests: Services, clusters, stores, scrapers. */

export function serviceObject(namespace: string, name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { ports: [{ port: 80, targetPort: 8080 }], selector: { app: name } },
  };
}

export function clusterDetails(infos: readonly ClusterInfo[], mode: FetchMode = 'live'): ClusterDetails[] {
  return infos.map((info) => labClusterDetails(info, { timeoutMs: 5000, mode }));
}

/**
 * A real Backstage serving `entities`, started while `namespace` and a Service per name in `services`
 * are made on `cluster` (Backstage takes the longer, so the cluster side costs nothing).
 */
export async function backstageWithServices(
  entities: Entity[],
  cluster: TestCluster,
  namespace: string,
  services: readonly string[],
): Promise<BackstageFixture> {
  const [backstage] = await Promise.all([
    startBackstage({ entities }),
    (async () => {
      await cluster.client.ensureNamespace(namespace);
      for (const name of services) await cluster.client.create(serviceObject(namespace, name));
    })(),
  ]);
  return backstage;
}

/** Polls `check` every 100 ms until it returns something truthy, failing with `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export function scraperConfig(overrides: Partial<BackstageScraperConfig> = {}): BackstageScraperConfig {
  return {
    enabled: false,
    intervalMs: 3_600_000,
    timeoutMs: 5000,
    leaseTtlMs: 30_000,
    labelMap: DEFAULT_LABEL_MAP,
    discovery: { enabled: false, namespaces: [], ...DEFAULT_DISCOVERY_MATCH },
    instances: [],
    ...overrides,
  };
}

/** A scraper over real clusters and a real store, wired as createApp does (LiveFetcher per cluster). */
export function testScraper(options: {
  config: BackstageScraperConfig;
  store: TopologyStore;
  clusters: readonly ClusterInfo[];
  logger: Logger;
  pageSize?: number;
  /** `watch`: the clusters are read through a WatchFetcher, and the leader follows Service changes. */
  mode?: FetchMode;
  restitchDelayMs?: number;
}): { scraper: Scraper; watch: WatchFetcher; close(): Promise<void> } {
  const connections = new ClusterConnections();
  const live = new LiveFetcher(connections);
  const watch = new WatchFetcher({ connections, live, logger: options.logger });
  const scraper = new Scraper({
    config: options.config,
    store: options.store,
    clusters: new StaticClusterSupplier(clusterDetails(options.clusters, options.mode)),
    auth: new AuthDispatcher(defaultAuthStrategies({})),
    fetcherFor: (cluster) => (cluster.mode === 'watch' ? watch : live),
    connections,
    watch,
    logger: options.logger,
    env: {},
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    ...(options.restitchDelayMs ? { restitchDelayMs: options.restitchDelayMs } : {}),
  });
  const close = inTurn(
    () => scraper.close(),
    () => watch.stop(),
    () => connections.close(),
  );
  return { scraper, watch, close };
}

/**
 * The raw app-config of a `serve` replica that stitches one Backstage instance `main` at `endpoint`
 * against `cluster`, in a loop under a lease of `leaseTtlMs`, storing in `database`. The cluster's
 * and Backstage's tokens are read from ALPHA_TOKEN and BACKSTAGE_TOKEN; `apiToken` is the static
 * API token of subject `tests`, who may do everything. `scrape` adds keys to `scrapers.backstage`.
 */
export function replicaConfig(options: {
  database: DatabaseConfig;
  cluster: ClusterInfo;
  endpoint: string;
  leaseTtlMs: number;
  apiToken: string;
  scrape?: Record<string, unknown>;
}) {
  return {
    backend: {
      auth: {
        externalAccess: [{ type: 'static', options: { token: options.apiToken, subject: 'tests' } }],
      },
      database: options.database,
    },
    // Requesting a run is a write: it needs stitchboard.admin.
    stitchboard: { permissions: [{ allow: ['*'], users: ['tests'] }] },
    kubernetes: rawKubernetes([configCluster(options.cluster, { serviceAccountToken: '${ALPHA_TOKEN}' })]),
    scrapers: {
      backstage: {
        enabled: true,
        interval: '1h',
        leaseTtl: `${options.leaseTtlMs}ms`,
        discovery: { enabled: false },
        instances: [{ name: 'main', endpoint: options.endpoint, token: '${BACKSTAGE_TOKEN}' }],
        ...options.scrape,
      },
    },
  };
}

export async function openTestStore(database: DatabaseConfig, logger: Logger): Promise<TopologyStore> {
  return openStore(database, { logger });
}
