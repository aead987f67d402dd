import type { InstanceProblem } from '../contract/instance-problems.ts';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { AuthDispatcher } from '../auth/dispatch.ts';
import type { ClusterDetails, ClusterSupplier } from '../clusters/types.ts';
import {
  DEFAULT_LEASE_TTL_MS,
  DEFAULT_DISCOVERY_MATCH,
  DEFAULT_SCRAPE_INTERVAL_MS,
  DEFAULT_SCRAPE_TIMEOUT_MS,
} from '../config/scrapers-schema.ts';
import { secretInstanceName } from '../config/normalize-scrapers.ts';
import type { CatalogSource } from '../catalog/types.ts';
import type { BackstageScraperConfig, CatalogScraperConfig } from '../config/types.ts';
import { inputError, messageOf, StitchboardError } from '../errors/errors.ts';
import type { ClusterConnections } from '../fetch/connection.ts';
import type { ObjectFetcher } from '../fetch/types.ts';
import type { Logger } from '../shared/logger.ts';
import type { RunRecord, TopologyStore } from '../store/types.ts';
import { DEFAULT_LABEL_MAP } from '../topology/label-map.ts';
import type { CatalogRead } from './catalog-reader.ts';
import { ClusterAccess } from './cluster-access.ts';
import { listClusterServices } from './cluster-services.ts';
import { discoverInstances } from './discover.ts';
import type { NewInstanceInput } from './instance-input.ts';
import type { InstanceView } from '../contract/stitchboard.ts';
import { instanceProblem, instanceView } from './instance-view.ts';
import { ScrapeLoop } from './scrape-loop.ts';
import { restitchInstance } from './run-instance.ts';
import { ScrapeMetrics } from './scrape-metrics.ts';
import { runScrape, type ScrapeRunOptions } from './scrape-run.ts';
import { SecretApi } from './secret-api.ts';
import { backstageSecret } from './secret-instance.ts';
import { ServiceWatch, type ServiceChangeSource } from './service-watch.ts';
import {
  IN_CLUSTER,
  type CatalogInstance,
  type DiscoveryState,
  type ResolvedInstance,
  type ScrapeSummary,
} from './types.ts';

export interface ScraperDeps {
  /** `scrapers.backstage`; undefined when the config has no `scrapers:` section. */
  config: BackstageScraperConfig | undefined;
  /** `scrapers.catalog` with the app's catalog source: when enabled, that catalog is one more instance. */
  catalog?: { config: CatalogScraperConfig; source: CatalogSource };
  store: TopologyStore;
  clusters: ClusterSupplier;
  auth: AuthDispatcher;
  fetcherFor: (cluster: ClusterDetails) => ObjectFetcher;
  /** The app's connections to the clusters (Secrets are read and created through them); the app closes them. */
  connections: ClusterConnections;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** Where the stitch series go (the app's registry); none when absent. */
  registry?: Registry;
  /** Entities per catalog page (default 500). */
  pageSize?: number;
  /** How often replicas rebuild the store-derived metrics when a new run was recorded (default 15 s, or the lease TTL when shorter). */
  metricsRefreshMs?: number;
  /** Scrape-loop tick (default: 2 s or a third of the lease TTL). */
  tickMs?: number;
  /** The watch cache: the leader re-stitches when Services come and go in `watch`-mode clusters. */
  watch?: ServiceChangeSource;
  /** Quiet time after the last Service change before re-stitching (default 2 s). */
  restitchDelayMs?: number;
}

export interface CreatedInstance {
  /** The instance name discovery will give it. */
  name: string;
  cluster: string;
  namespace: string;
  secretName: string;
  /** Whether a run was requested so the new instance is stitched soon. */
  runRequested: boolean;
}

/** Defaults for a Stitchboard without a `scrapers:` section: nothing configured, nothing runs. */
const OFF: BackstageScraperConfig = {
  enabled: false,
  intervalMs: DEFAULT_SCRAPE_INTERVAL_MS,
  timeoutMs: DEFAULT_SCRAPE_TIMEOUT_MS,
  leaseTtlMs: DEFAULT_LEASE_TTL_MS,
  labelMap: DEFAULT_LABEL_MAP,
  discovery: { enabled: false, namespaces: [], ...DEFAULT_DISCOVERY_MATCH },
  instances: [],
};

/**
 * Stitching's running side: finds the instances (Backstage ones, and the app's own catalog with
 * `scrapers.catalog`), runs the scrape (once on demand, or as a loop on the replica holding the
 * lease), creates instance Secrets, and keeps the stitch metrics.
 *
 * @example
 * const scraper = new Scraper({ config: config.scrapers?.backstage, store, clusters, auth, fetcherFor, connections, logger, env });
 * scraper.start();            // the loop, when scrapers.backstage.enabled or scrapers.catalog.enabled
 * await scraper.requestRun(); // POST /api/stitchboard/runs
 * await scraper.close();
 */
export class Scraper {
  readonly config: BackstageScraperConfig;
  readonly configured: boolean;
  readonly holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  readonly #deps: ScraperDeps;
  readonly #access: ClusterAccess;
  readonly #secrets: SecretApi;
  readonly #metrics: ScrapeMetrics | undefined;
  readonly #loop: ScrapeLoop | undefined;
  #current: Promise<unknown> = Promise.resolve();
  #refreshTimer: NodeJS.Timeout | undefined;
  #lastDiscovery: DiscoveryState[] = [];
  #closed = false;
  /** The last catalog read completely per instance, for re-stitching on Service changes. */
  #catalogs = new Map<string, { instance: ResolvedInstance; catalog: CatalogRead }>();
  readonly #serviceWatch: ServiceWatch | undefined;
  /** The app's own catalog as an instance (`scrapers.catalog.enabled`). */
  readonly #local: CatalogInstance | undefined;

  constructor(deps: ScraperDeps) {
    this.#deps = deps;
    const catalog = deps.catalog?.config.enabled ? deps.catalog : undefined;
    this.#local = catalog && {
      name: catalog.config.name,
      source: { type: 'catalog' },
      catalog: catalog.source,
      labelMap: catalog.config.labelMap,
    };
    const backstage = deps.config ?? OFF;
    // Enabled for `scrapers.catalog` alone, it stitches that catalog only: no Backstage instance is read and
    // no Secret is looked for (discovery defaults to on, which would probe the pod's cluster on every run).
    this.config =
      this.#local && !backstage.enabled
        ? { ...backstage, instances: [], discovery: { ...backstage.discovery, enabled: false } }
        : backstage;
    this.configured = deps.config !== undefined || this.#local !== undefined;
    const { timeoutMs } = this.config;
    this.#access = new ClusterAccess({ clusters: deps.clusters, auth: deps.auth, env: deps.env, timeoutMs });
    this.#secrets = new SecretApi(deps.connections, { timeoutMs });
    this.#metrics = deps.registry ? new ScrapeMetrics(deps.registry) : undefined;
    if (this.enabled) {
      this.#loop = new ScrapeLoop({
        store: deps.store,
        holder: this.holder,
        intervalMs: this.config.intervalMs,
        leaseTtlMs: this.config.leaseTtlMs,
        ...(deps.tickMs ? { tickMs: deps.tickMs } : {}),
        logger: deps.logger,
        run: async (signal, fence) => void (await this.runOnce({ signal, fence })),
        onLeadership: (leader) => {
          this.#metrics?.setLeader(leader);
          if (!leader) this.#serviceWatch?.stop();
        },
      });
      if (deps.watch) {
        this.#serviceWatch = new ServiceWatch({
          watch: deps.watch,
          clusters: deps.clusters,
          auth: deps.auth,
          logger: deps.logger,
          delayMs: deps.restitchDelayMs ?? 2000,
          onChange: () => void this.#queueRestitch(),
        });
      }
    }
  }

  /** Whether the loop runs in `serve`: `scrapers.backstage.enabled` or `scrapers.catalog.enabled`. */
  get enabled(): boolean {
    return this.config.enabled || this.#local !== undefined;
  }

  /** True on the replica running the scrape loop. */
  get leader(): boolean {
    return this.#loop?.leader ?? false;
  }

  /** Starts the loop (when enabled) and the metrics refresh (always: every replica exports the series). */
  start(): void {
    this.#loop?.start();
    if (!this.#metrics || this.#refreshTimer) return;
    void this.#refreshMetrics(true);
    this.#refreshTimer = setInterval(
      () => void this.#refreshMetrics(false),
      this.#deps.metricsRefreshMs ?? Math.min(15_000, this.config.leaseTtlMs),
    );
    this.#refreshTimer.unref();
  }

  /** One run in this process, after any run already in progress here. */
  runOnce(options: ScrapeRunOptions = {}): Promise<ScrapeSummary> {
    const next = this.#current.then(() => this.#run(options));
    this.#current = next.catch(() => {});
    return next;
  }

  /** A run as soon as possible, on the leader. CONFLICT when the loop is not enabled here. */
  async requestRun(): Promise<{ leader: boolean }> {
    if (!this.#loop) {
      throw new StitchboardError(
        'CONFLICT',
        this.configured
          ? 'stitching is off here (scrapers.backstage.enabled and scrapers.catalog.enabled are false): run `stitchboard stitch` instead'
          : 'stitching is not configured: add a scrapers.backstage or scrapers.catalog section',
      );
    }
    return this.#loop.requestRun();
  }

  /** Every instance discovery finds now, with its last recorded run. */
  async listInstances(): Promise<{ items: InstanceView[]; discovery: DiscoveryState[] }> {
    const found = await discoverInstances(this.config, this.#discoverDeps());
    this.#lastDiscovery = found.discovery;
    const items = await Promise.all(
      found.instances.map(async (instance) => {
        const name = instance.ok ? instance.instance.name : instance.name;
        const [lastRun] = await this.#deps.store.listRuns({ instance: name, limit: 1 });
        return instanceView(instance, lastRun);
      }),
    );
    return { items, discovery: found.discovery };
  }

  /** The instances discovery finds now that cannot run (a Secret lacking `endpoint`, say), for the report. */
  async instanceProblems(filter: { instance?: string } = {}): Promise<InstanceProblem[]> {
    const found = await discoverInstances(this.config, this.#discoverDeps());
    return found.instances.flatMap((i) =>
      i.ok || (filter.instance !== undefined && i.name !== filter.instance) ? [] : [instanceProblem(i)],
    );
  }

  /** Creates the labelled Secret discovery will find (the seed's "add integration"). */
  async createInstance(input: NewInstanceInput): Promise<CreatedInstance> {
    const { discovery } = this.config;
    if (!discovery.enabled) {
      throw new StitchboardError(
        'CONFLICT',
        'Secret discovery is off (scrapers.backstage.discovery.enabled): a new Secret would not be found',
      );
    }
    const where = discovery.cluster ?? IN_CLUSTER;
    const cluster = input.cluster ?? where;
    if (cluster !== where) {
      throw inputError(
        `cluster: Secrets are discovered in cluster ${where} (scrapers.backstage.discovery.cluster), not ${cluster}`,
      );
    }
    if (discovery.namespaces.length > 0 && !discovery.namespaces.includes(input.namespace)) {
      throw inputError(
        `namespace: Secrets are discovered only in ${discovery.namespaces.join(', ')} (scrapers.backstage.discovery.namespaces)`,
      );
    }
    const target = await this.#access.target(discovery.cluster);
    await this.#secrets.create(target, backstageSecret({ ...input, labels: discovery.secretLabels }));
    const name = secretInstanceName({
      namespace: input.namespace,
      name: input.name,
      ...(discovery.cluster ? { cluster: discovery.cluster } : {}),
    });
    this.#deps.logger.info(
      { instance: name, cluster, namespace: input.namespace },
      'instance Secret created',
    );
    const runRequested = this.#loop
      ? await this.#loop.requestRun().then(
          () => true,
          () => false,
        )
      : false;
    return { name, cluster, namespace: input.namespace, secretName: input.name, runRequested };
  }

  /** What the last discovery saw, without asking the clusters again. */
  lastDiscovery(): DiscoveryState[] {
    return this.#lastDiscovery;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#refreshTimer);
    this.#serviceWatch?.stop();
    await this.#loop?.close();
    await this.#current;
  }

  async #run(options: ScrapeRunOptions): Promise<ScrapeSummary> {
    const summary = await runScrape(
      {
        ...this.#discoverDeps(),
        config: this.config,
        store: this.#deps.store,
        clusters: this.#deps.clusters,
        auth: this.#deps.auth,
        fetcherFor: this.#deps.fetcherFor,
        ...(this.#deps.pageSize ? { pageSize: this.#deps.pageSize } : {}),
        onCatalog: (instance, catalog) => this.#catalogs.set(instance.name, { instance, catalog }),
      },
      options,
    );
    this.#lastDiscovery = summary.discovery;
    const current = new Set(summary.runs.map((r) => r.instance));
    for (const name of this.#catalogs.keys()) if (!current.has(name)) this.#catalogs.delete(name);
    if (this.leader && !this.#closed) await this.#serviceWatch?.follow();
    summary.runs.forEach((run: RunRecord) => this.#metrics?.observeRun(run));
    if (!this.#closed) await this.#refreshMetrics(true);
    return summary;
  }

  #queueRestitch(): Promise<void> {
    const next = this.#current.then(() => this.#restitch());
    this.#current = next.catch(() => {});
    return next;
  }

  /** After Services came or went in a watched cluster: stitch again from the cached catalogs. */
  async #restitch(): Promise<void> {
    const fence = this.#loop?.fence;
    if (!fence || this.#closed || this.#catalogs.size === 0) return;
    const { store, logger } = this.#deps;
    logger.info(
      { instances: this.#catalogs.size },
      'Services changed: stitching again from the last catalog read',
    );
    try {
      const services = await listClusterServices({
        clusters: this.#deps.clusters,
        auth: this.#deps.auth,
        fetcherFor: this.#deps.fetcherFor,
        timeoutMs: this.config.timeoutMs,
      });
      for (const { instance, catalog } of this.#catalogs.values()) {
        const run = await restitchInstance(instance, catalog, services, {
          store,
          logger,
          timeoutMs: this.config.timeoutMs,
          fence,
        });
        this.#metrics?.observeRun(run);
      }
      await this.#refreshMetrics(true);
    } catch (error) {
      logger.warn(`re-stitching after Service changes failed: ${messageOf(error)}`);
    }
  }

  /** Clusters whose Service changes this replica follows (the leader, in `watch` mode). */
  followedClusters(): string[] {
    return this.#serviceWatch?.clusters ?? [];
  }

  async #refreshMetrics(force: boolean): Promise<void> {
    try {
      await this.#metrics?.refresh(this.#deps.store, { force });
    } catch (error) {
      this.#deps.logger.warn(`stitch metrics not refreshed: ${messageOf(error)}`);
    }
  }

  #discoverDeps() {
    return {
      access: this.#access,
      secrets: this.#secrets,
      logger: this.#deps.logger,
      ...(this.#local ? { local: this.#local } : {}),
    };
  }
}
