/**
 * `npm run bench -- --scaling`: what the watch cache costs per cluster and per 1,000 pods, measured on real
 * clusters, and what a fleet of `--target-clusters` × `--target-pods` needs from those figures (docs/scaling.md).
 *
 * Measured: the heap an idle cluster's informers retain (a fresh API server: only its own system objects),
 * the heap of the seeded bench clusters' informers, the watch streams each cluster holds, and the requests
 * the API servers count while the informers list. Projected: replicas at each memory budget (clusters are
 * shared with bounded loads, so the busiest replica holds up to 1.25× the average), heap each, watch streams
 * each, and the API-server load per cluster at start and in steady state.
 */
import { loadavg } from 'node:os';
import { Pool } from 'undici';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/load.ts';
import { DEFAULT_INFORMER_SETTINGS } from '../src/fetch/watch/informer.ts';
import type { CacheStats } from '../src/fetch/watch/cache-stats.ts';
import { DEFAULT_LOAD_FACTOR } from '../src/replicas/shares.ts';
import { silentLogger } from '../src/shared/logger.ts';
import type { BenchCluster } from './clusters.ts';
import { heapAfterGc, totalRequests, waitForSync, writeConfig } from './harness.ts';
import { answerProblem, timedQuery } from './query.ts';

const KiB = 1024;
const MiB = 2 ** 20;
/** Default object types each watched cluster gets an informer for (docs/watch-cache.md). */
const TYPES = 13;

export interface CacheCost {
  clusters: number;
  /** Pods in the caches, all clusters. */
  pods: number;
  /** Heap the informers retain (after a full GC, minus the heap once they are forgotten), per cluster. */
  retainedKiBPerCluster: number;
  /** Informers holding an open watch (synced, LIST not refused), per cluster. */
  streamsPerCluster: number;
  /** LIST pages the informers needed, per cluster (from their object counts and the page size). */
  listPagesPerCluster: number;
  /** Resource requests the API servers counted from the first query until every informer had listed. */
  requestsAtStartPerCluster: number;
  syncMs: number;
  /** The process without any cache: heap after a full GC, and RSS. */
  baseHeapMiB: number;
  rssMiB: number;
}

export interface ScalingFigures {
  idle: CacheCost;
  loaded: CacheCost;
  kiBPer1000Pods: number;
  load: string | undefined;
}

/** One app in watch mode over `used`: start every informer with one query, wait for sync, weigh the caches. */
export async function measureCacheCost(dir: string, used: BenchCluster[]): Promise<CacheCost> {
  const env = Object.fromEntries(used.map((c, i) => [`BENCH_TOKEN_${i}`, c.info.adminToken]));
  const { config } = await loadConfig([writeConfig(dir, used, 'watch')], { env });
  const app = await createApp(config, { logger: silentLogger(), env });
  const pool = new Pool(await app.server.listen({ host: '127.0.0.1', port: 0 }), { connections: 1 });
  try {
    const before = await totalRequests(used);
    const started = performance.now();
    const first = await timedQuery(pool, 'svc-000', { acceptEncoding: 'identity' });
    const problem = answerProblem(first);
    if (problem) throw new Error(`first query failed: ${problem}`);
    await waitForSync(app.watch, used.length * TYPES);
    const syncMs = performance.now() - started;
    const requests = (await totalRequests(used)) - before;
    const stats = app.watch.cacheStats();
    const withCaches = heapAfterGc();
    for (const c of used) await app.watch.forget(c.info.name);
    const without = heapAfterGc();
    const n = used.length;
    return {
      clusters: n,
      pods: stats.filter((s) => s.resource === 'core/v1/pods').reduce((sum, s) => sum + s.objects, 0),
      retainedKiBPerCluster: (withCaches - without) / KiB / n,
      streamsPerCluster: stats.filter(holdsWatch).length / n,
      listPagesPerCluster: stats.reduce((sum, s) => sum + listPages(s), 0) / n,
      requestsAtStartPerCluster: requests / n,
      syncMs,
      baseHeapMiB: without / MiB,
      rssMiB: process.memoryUsage().rss / MiB,
    };
  } finally {
    await pool.close();
    await app.close();
  }
}

function holdsWatch(s: CacheStats): boolean {
  return s.synced && s.failureStatus === undefined;
}

function listPages(s: CacheStats): number {
  return Math.max(1, Math.ceil(s.objects / DEFAULT_INFORMER_SETTINGS.pageSize));
}

export async function measureScaling(
  dir: string,
  idle: BenchCluster,
  loaded: BenchCluster[],
): Promise<ScalingFigures> {
  const idleCost = await measureCacheCost(dir, [idle]);
  const loadedCost = await measureCacheCost(dir, loaded);
  const podsPerCluster = loadedCost.pods / loadedCost.clusters;
  const kiBPer1000Pods =
    (loadedCost.retainedKiBPerCluster - idleCost.retainedKiBPerCluster) / (podsPerCluster / 1000);
  return { idle: idleCost, loaded: loadedCost, kiBPer1000Pods, load: loadavg()[0]?.toFixed(1) };
}

export interface Target {
  clusters: number;
  podsPerCluster: number;
  /** Heap budgets per replica to size for, MiB. */
  budgetsMiB: number[];
}

export interface ReplicaPlan {
  budgetMiB: number;
  replicas: number;
  /** The busiest replica's share under the load bound. */
  clustersPerReplica: number;
  heapMiB: number;
  watchStreams: number;
}

/** Cache heap of one cluster of the target's size, from the idle cost and the cost per 1,000 pods. */
export function clusterKiB(f: ScalingFigures, podsPerCluster: number): number {
  return f.idle.retainedKiBPerCluster + (podsPerCluster / 1000) * f.kiBPer1000Pods;
}

/** The fewest replicas whose busiest one stays within each budget (base heap + its share of caches). */
export function planReplicas(f: ScalingFigures, target: Target): ReplicaPlan[] {
  const perCluster = clusterKiB(f, target.podsPerCluster) / KiB;
  const base = f.loaded.baseHeapMiB;
  return target.budgetsMiB.flatMap((budgetMiB) => {
    for (let replicas = 1; replicas <= target.clusters; replicas++) {
      const share = Math.min(target.clusters, Math.ceil((DEFAULT_LOAD_FACTOR * target.clusters) / replicas));
      const heapMiB = base + share * perCluster;
      if (heapMiB <= budgetMiB) {
        return [
          {
            budgetMiB,
            replicas,
            clustersPerReplica: share,
            heapMiB,
            watchStreams: share * f.loaded.streamsPerCluster,
          },
        ];
      }
    }
    return [];
  });
}

export function printScaling(f: ScalingFigures, target: Target): void {
  const r = (x: number, d = 0) => x.toFixed(d);
  const { idle, loaded } = f;
  const podsPerCluster = loaded.pods / loaded.clusters;
  const lines = [
    `## Scaling (1-minute load average ${f.load ?? '?'} at the end)`,
    '',
    '| measured | value |',
    '| --- | --- |',
    `| idle cluster: cache heap (${TYPES} informers, ${r(idle.pods)} pods) | ${r(idle.retainedKiBPerCluster)} KiB |`,
    `| loaded cluster: cache heap (${r(podsPerCluster)} pods) | ${r(loaded.retainedKiBPerCluster)} KiB |`,
    `| per 1,000 pods (loaded minus idle, bench shape) | ${r(f.kiBPer1000Pods)} KiB |`,
    `| watch streams per cluster | ${r(loaded.streamsPerCluster)} (of ${TYPES} types; refused types hold none) |`,
    `| LIST pages per loaded cluster at start (page size ${DEFAULT_INFORMER_SETTINGS.pageSize}) | ${r(loaded.listPagesPerCluster)} |`,
    `| API requests per cluster, first query to synced (incl. its live answer) | idle ${r(idle.requestsAtStartPerCluster)}, loaded ${r(loaded.requestsAtStartPerCluster)} |`,
    `| sync time | idle ${r(idle.syncMs)} ms, ${loaded.clusters} loaded ${r(loaded.syncMs)} ms |`,
    `| process without caches | heap ${r(loaded.baseHeapMiB)} MiB, RSS ${r(loaded.rssMiB)} MiB |`,
    '',
    `### ${target.clusters} clusters × ${target.podsPerCluster} pods`,
    '',
    `Cache heap per cluster ${r(clusterKiB(f, target.podsPerCluster) / KiB, 1)} MiB; whole fleet ${r((target.clusters * clusterKiB(f, target.podsPerCluster)) / MiB, 1)} GiB.`,
    '',
    '| heap budget per replica | replicas | clusters on the busiest | its heap MiB | its watch streams |',
    '| --- | --- | --- | --- | --- |',
    ...planReplicas(f, target).map(
      (p) =>
        `| ${p.budgetMiB} MiB | ${p.replicas} | ${p.clustersPerReplica} | ${r(p.heapMiB)} | ${r(p.watchStreams)} |`,
    ),
    '',
    `API servers (each cluster has its own): at start ${r(loaded.streamsPerCluster)} WATCH and ` +
      `${r(TYPES - 1 + Math.ceil(target.podsPerCluster / DEFAULT_INFORMER_SETTINGS.pageSize))}+ LIST pages per cluster ` +
      `(${r(target.clusters * (TYPES - 1 + Math.ceil(target.podsPerCluster / DEFAULT_INFORMER_SETTINGS.pageSize)))}+ across the fleet); ` +
      `steady state: each watch renewed every ${DEFAULT_INFORMER_SETTINGS.watchTimeoutSeconds}–${2 * DEFAULT_INFORMER_SETTINGS.watchTimeoutSeconds} s ` +
      `(${r((loaded.streamsPerCluster * 60) / (1.5 * DEFAULT_INFORMER_SETTINGS.watchTimeoutSeconds), 1)} requests/min per cluster), ` +
      'a relist only after 410 Gone, and zero requests per query.',
  ];
  console.log(lines.join('\n'));
}
