/**
 * `npm run bench`: entity-query latency and API-server load against real clusters.
 *
 *   npm run bench -- [--clusters 3] [--stages 1000,5000] [--modes live,watch] [--queries 200]
 *                    [--pollers 50] [--poll-seconds 10]
 *   npm run bench -- --stitch   (stitching only: bench/stitch.ts)
 *
 * For each stage (pods per cluster, spread over 100 components with their Deployments, ReplicaSets
 * and Services) and for 1 and N clusters, each mode answers `--queries` sequential entity queries over
 * HTTP (p50/p99, API-server requests per query, counted by the API servers themselves), then
 * `--pollers` concurrent pollers for `--poll-seconds`. Clusters live under .state/bench and are kept
 * between runs; prints a Markdown report and writes bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config/load.ts';
import type { FetchMode } from '../src/clusters/types.ts';
import { silentLogger } from '../src/shared/logger.ts';
import { apiserverRequests, benchClusters, type BenchCluster } from './clusters.ts';
import { COMPONENTS, componentName, seedCluster } from './seed.ts';
import { percentile, type Scenario } from './report.ts';
import { printReport } from './report.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '3' },
    stages: { type: 'string', default: '1000,5000' },
    modes: { type: 'string', default: 'live' },
    queries: { type: 'string', default: '200' },
    pollers: { type: 'string', default: '50' },
    'poll-seconds': { type: 'string', default: '10' },
    stitch: { type: 'boolean', default: false },
  },
});
if (values.stitch) {
  // Stitching needs no cluster: bench/stitch.ts generates its catalog and Services in memory.
  const { printStitchReport, runStitchBench, stitchBenchOptions } = await import('./stitch.ts');
  printStitchReport(await runStitchBench(stitchBenchOptions([])));
  process.exit(0);
}
const clusterCount = Number(values.clusters);
const stages = String(values.stages).split(',').map(Number);
const modes = String(values.modes).split(',') as FetchMode[];
const queries = Number(values.queries);
const pollers = Number(values.pollers);
const pollSeconds = Number(values['poll-seconds']);
const dir = join(ROOT, '.state/bench');
mkdirSync(dir, { recursive: true });

console.error(`[bench] starting ${clusterCount} clusters`);
const clusters = await benchClusters(ROOT, clusterCount);
writeCatalog();
const scenarios: Scenario[] = [];

for (const podsPerCluster of stages) {
  const seeded = await Promise.all(clusters.map((c) => seedCluster(c, podsPerCluster / COMPONENTS)));
  console.error(
    `[bench] ${podsPerCluster} pods per cluster (created ${seeded.map((s) => `${s.created} in ${s.ms} ms`).join(', ')})`,
  );
  for (const n of [...new Set([1, clusterCount])]) {
    for (const mode of modes) {
      scenarios.push(await measure(clusters.slice(0, n), podsPerCluster, mode));
    }
  }
}

const report = { date: new Date().toISOString(), machine: machine(), scenarios };
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(report, null, 2)}\n`);
printReport(report);
for (const c of clusters) c.admin.close();

async function measure(used: BenchCluster[], podsPerCluster: number, mode: FetchMode): Promise<Scenario> {
  const label = `${used.length} cluster(s), ${podsPerCluster} pods each, ${mode}`;
  console.error(`[bench] ${label}`);
  const configFile = writeConfig(used, mode);
  const env = Object.fromEntries(used.map((c, i) => [`BENCH_TOKEN_${i}`, c.info.adminToken]));
  const { config } = await loadConfig([configFile], { env });
  const app = await createApp(config, { logger: silentLogger(), env });
  const address = await app.server.listen({ host: '127.0.0.1', port: 0 });
  const pool = new Pool(address, { connections: pollers + 1 });
  const query = async (i: number) => {
    const name = componentName(i % COMPONENTS);
    const started = performance.now();
    const res = await pool.request({
      method: 'POST',
      path: `/api/kubernetes/services/${name}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entity: { kind: 'Component', metadata: { name, namespace: 'default' } } }),
    });
    const body = (await res.body.json()) as { items: { errors: unknown[] }[] };
    if (res.statusCode !== 200 || body.items.some((item) => item.errors.length > 0)) {
      throw new Error(`query for ${name} failed: ${res.statusCode} ${JSON.stringify(body).slice(0, 300)}`);
    }
    return performance.now() - started;
  };
  try {
    for (let i = 0; i < 10; i++) await query(i * 7); // warm connections; in watch mode this starts the informers
    if (mode === 'watch') await waitForSync(app.watch, used.length * 13);
    const requestsBefore = await totalRequests(used);
    const sequential: number[] = [];
    for (let i = 0; i < queries; i++) sequential.push(await query(i * 37));
    const sequentialRequests = (await totalRequests(used)) - requestsBefore;

    const pollBefore = await totalRequests(used);
    const deadline = performance.now() + pollSeconds * 1000;
    const concurrent: number[] = [];
    await Promise.all(
      Array.from({ length: pollers }, async (_, p) => {
        for (let i = p; performance.now() < deadline; i += pollers) concurrent.push(await query(i * 13));
      }),
    );
    const pollRequests = (await totalRequests(used)) - pollBefore;
    return {
      clusters: used.length,
      podsPerCluster,
      mode,
      queries,
      p50: percentile(sequential, 50),
      p99: percentile(sequential, 99),
      apiRequestsPerQuery: sequentialRequests / queries,
      pollers,
      pollQueries: concurrent.length,
      pollQueriesPerSecond: concurrent.length / pollSeconds,
      pollP50: percentile(concurrent, 50),
      pollP99: percentile(concurrent, 99),
      pollApiRequestsPerQuery: pollRequests / concurrent.length,
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      ...(mode === 'watch'
        ? { cacheKiBPer1000Pods: cacheKiBPer1000Pods(app, used.length * podsPerCluster) }
        : {}),
    };
  } finally {
    await pool.close();
    await app.close();
  }
}

/** Queries answered while informers still list would be live answers reported as watch ones: wait them out. */
async function waitForSync(watch: App['watch'], informers: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const stats = watch.cacheStats();
    if (stats.length >= informers && stats.every((s) => s.synced)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `watch caches not synced after 120 s: ${JSON.stringify(stats.filter((s) => !s.synced))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The pods informers' approximate retained size, per 1,000 pods. */
function cacheKiBPer1000Pods(app: App, pods: number): number {
  const bytes = app.watch
    .cacheStats()
    .filter((s) => s.resource === 'core/v1/pods')
    .reduce((total, s) => total + s.approxBytes, 0);
  return Math.round(bytes / 1024 / (pods / 1000));
}

async function totalRequests(used: BenchCluster[]): Promise<number> {
  const counts = await Promise.all(used.map(apiserverRequests));
  return counts.reduce((a, b) => a + b, 0);
}

function writeCatalog(): void {
  const docs = Array.from({ length: COMPONENTS }, (_, i) =>
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      `metadata: { name: ${componentName(i)}, annotations: { backstage.io/kubernetes-id: ${componentName(i)} } }`,
      'spec: { type: service, lifecycle: production, owner: team-bench }',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'catalog.yaml'), `${docs.join('\n---\n')}\n`);
}

function writeConfig(used: BenchCluster[], mode: FetchMode): string {
  const clustersYaml = used
    .map(
      (c, i) => `        - name: ${c.info.name}
          url: ${c.info.url}
          authProvider: serviceAccount
          serviceAccountToken: \${BENCH_TOKEN_${i}}
          caData: ${c.info.caData}
          skipMetricsLookup: true`,
    )
    .join('\n');
  const file = join(dir, `app-config.${mode}.${used.length}.yaml`);
  writeFileSync(
    file,
    `stitchboard:
  dataDir: ${join(dir, 'data')}
  catalog: [{ type: file, path: ${join(dir, 'catalog.yaml')} }]
  kubernetes: { mode: ${mode}, timeout: 30s }
kubernetes:
  serviceLocatorMethod: { type: multiTenant }
  clusterLocatorMethods:
    - type: config
      clusters:
${clustersYaml}
  apiVersionOverrides: { cronjobs: v1beta1, horizontalpodautoscalers: v2beta2 }
`,
  );
  return file;
}

function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}
