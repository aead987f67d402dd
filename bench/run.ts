/**
 * `npm run bench`: entity-query latency and API-server load against real clusters.
 *
 *   npm run bench -- [--clusters 3] [--stages 1000,5000] [--modes live,watch] [--queries 200]
 *                    [--watch-queries 1000] [--warm-up 1000] [--pollers 50] [--poll-seconds 10]
 *                    [--accept-encoding 'gzip, deflate, br, zstd'] [--no-dice] [--profile DIR]
 *   npm run bench -- --stitch   (stitching only: bench/stitch.ts)
 *   npm run bench -- --catalog  (Catalog API reads only: bench/catalog.ts)
 *   npm run bench -- --scaling [--target-clusters 1000] [--target-pods 5000] [--budgets 2048,4096,8192]
 *                               (cache cost per cluster and per 1,000 pods, and a fleet's needs: bench/scaling.ts)
 *
 * First the dice-roller component (19 objects, about 42 KB) on 2 clusters; then for each stage (pods per
 * cluster, spread over 100 components with their Deployments, ReplicaSets and Services) and for 1 and N
 * clusters, each mode answers sequential entity queries over HTTP, `--queries` in live mode and
 * `--watch-queries` in watch mode, where each costs a millisecond and a p99 needs more than two hundred
 * samples (p50/p99, API-server requests per query, counted by the API servers themselves); watch mode first
 * answers `--warm-up` untimed queries, as a server up a while has, so V8 has optimized the answer path. Then
 * `--pollers` concurrent pollers (in a worker thread) for `--poll-seconds`. The clients send
 * `--accept-encoding` as a browser does (`identity`: none). Watch mode also reports its startup sync time,
 * the heap its caches retain, and its floor: the same queries and pollers against a bare `node:http` server
 * sending the same bytes (bench/floor.ts), so every run shows what the machine itself gives. `--profile DIR`
 * writes a CPU profile of each watch scenario's query phase. Clusters live under .state/bench and are kept
 * between runs; prints a Markdown report and writes bench/results/latest.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config/load.ts';
import type { FetchMode } from '../src/clusters/types.ts';
import { silentLogger } from '../src/shared/logger.ts';
import { benchCluster, benchClusters, type BenchCluster } from './clusters.ts';
import { startFloor } from './floor.ts';
import { heapAfterGc, settle, totalRequests, waitForSync, writeConfig } from './harness.ts';
import { DICE, seedDiceRoller } from './dice.ts';
import type { PollRequest, PollResult } from './pollers.ts';
import { COMPONENTS, componentName, seedCluster } from './seed.ts';
import { percentile, printReport, printScenario, type Floor, type Scenario } from './report.ts';
import { BROWSER_ACCEPT_ENCODING } from './query.ts';
import { SequentialClient, warmUpName, type WireBody } from './sequential.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const cpuAtStart = cpuCounters();
const { values } = parseArgs({
  allowNegative: true,
  options: {
    clusters: { type: 'string', default: '3' },
    stages: { type: 'string', default: '1000,5000' },
    modes: { type: 'string', default: 'live,watch' },
    queries: { type: 'string', default: '200' },
    'watch-queries': { type: 'string', default: '1000' },
    'warm-up': { type: 'string', default: '1000' },
    pollers: { type: 'string', default: '50' },
    'poll-seconds': { type: 'string', default: '10' },
    'accept-encoding': { type: 'string', default: BROWSER_ACCEPT_ENCODING },
    stitch: { type: 'boolean', default: false },
    dice: { type: 'boolean', default: true },
    profile: { type: 'string' },
    catalog: { type: 'boolean', default: false },
    // --catalog's own (bench/catalog.ts reads them).
    entities: { type: 'string' },
    rounds: { type: 'string' },
    'page-size': { type: 'string' },
    scaling: { type: 'boolean', default: false },
    'target-clusters': { type: 'string', default: '1000' },
    'target-pods': { type: 'string', default: '5000' },
    budgets: { type: 'string', default: '2048,4096,8192,16384' },
  },
});
if (values.catalog) {
  // Catalog reads need no cluster: bench/catalog.ts serves a generated catalog over loopback.
  const { printCatalogReport, runCatalogBench } = await import('./catalog.ts');
  printCatalogReport(await runCatalogBench(process.argv.slice(2).filter((a) => a !== '--catalog')));
  process.exit(0);
}
if (values.stitch) {
  // Stitching needs no cluster: bench/stitch.ts generates its catalog and Services in memory.
  const { printStitchReport, runStitchBench, stitchBenchOptions } = await import('./stitch.ts');
  printStitchReport(await runStitchBench(stitchBenchOptions([])));
  process.exit(0);
}
const clusterCount = Number(values.clusters);
const stages = String(values.stages).split(',').filter(Boolean).map(Number);
const modes = String(values.modes).split(',') as FetchMode[];
const liveQueries = Number(values.queries);
const watchQueries = Number(values['watch-queries']);
const watchWarmUp = Number(values['warm-up']);
const pollers = Number(values.pollers);
const pollSeconds = Number(values['poll-seconds']);
const acceptEncoding = String(values['accept-encoding']);
const dir = join(ROOT, '.state/bench');
mkdirSync(dir, { recursive: true });
const benchNames = Array.from({ length: COMPONENTS }, (_, i) => componentName(i));

console.error(`[bench] starting ${clusterCount} clusters`);
const clusters = await benchClusters(ROOT, clusterCount);
writeCatalog();
if (values.scaling) {
  const { measureScaling, printScaling } = await import('./scaling.ts');
  const podsPerCluster = Math.max(...stages);
  await Promise.all(clusters.map((c) => seedCluster(c, podsPerCluster / COMPONENTS)));
  const idle = await benchCluster(ROOT, 'bench-idle');
  const figures = await measureScaling(dir, idle, clusters);
  printScaling(figures, {
    clusters: Number(values['target-clusters']),
    podsPerCluster: Number(values['target-pods']),
    budgetsMiB: String(values.budgets).split(',').filter(Boolean).map(Number),
  });
  for (const c of [...clusters, idle]) c.admin.close();
  process.exit(0);
}
const scenarios: Scenario[] = [];
const record = (scenario: Scenario) => {
  scenarios.push(scenario);
  printScenario(scenario);
};

if (values.dice) {
  const used = clusters.slice(0, Math.min(2, clusters.length));
  await Promise.all(used.map((c, i) => seedDiceRoller(c, i)));
  const podsPerCluster = (await Promise.all(used.map(podCount))).reduce((a, b) => Math.max(a, b), 0);
  for (const mode of modes) record(await measure(used, podsPerCluster, mode, [DICE]));
}
for (const podsPerCluster of stages) {
  const seeded = await Promise.all(clusters.map((c) => seedCluster(c, podsPerCluster / COMPONENTS)));
  console.error(
    `[bench] ${podsPerCluster} pods per cluster (created ${seeded.map((s) => `${s.created} in ${s.ms} ms`).join(', ')})`,
  );
  for (const n of [...new Set([1, clusterCount])]) {
    for (const mode of modes) {
      record(await measure(clusters.slice(0, n), podsPerCluster, mode, benchNames));
    }
  }
}

const report = { date: new Date().toISOString(), machine: machine(), scenarios };
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(report, null, 2)}\n`);
printReport(report);
for (const c of clusters) c.admin.close();

async function measure(
  used: BenchCluster[],
  podsPerCluster: number,
  mode: FetchMode,
  names: string[],
): Promise<Scenario> {
  const component = names.length === 1 ? (names[0] as string) : `${names.length} components`;
  const settledMs = await settle(clusters);
  console.error(
    `[bench] ${used.length} cluster(s), ${podsPerCluster} pods each, ${component}, ${mode} (API servers settled in ${settledMs} ms)`,
  );
  const configFile = writeConfig(dir, used, mode);
  const env = Object.fromEntries(used.map((c, i) => [`BENCH_TOKEN_${i}`, c.info.adminToken]));
  const { config } = await loadConfig([configFile], { env });
  const app = await createApp(config, { logger: silentLogger(), env });
  const address = await app.server.listen({ host: '127.0.0.1', port: 0 });
  const client = new SequentialClient(address, acceptEncoding);
  try {
    const syncStarted = performance.now();
    for (let i = 0; i < 10; i++) await client.query(warmUpName(names, i)); // warm connections; in watch mode this starts the informers
    if (mode === 'watch') await waitForSync(app.watch, used.length * 13);
    const syncMs = performance.now() - syncStarted;
    // A live answer takes 0.1-0.3 s: 50 warm-ups there.
    await client.warmUp(names, mode === 'watch' ? watchWarmUp : 50);
    // The informers' LISTs leave the API servers busy (Go's GC) after the sync, on the cores the timed answers
    // need: settling took 1.0-9.0 s here, where a second means they were already quiet.
    if (mode === 'watch') {
      console.error(`[bench] API servers settled after the sync in ${await settle(clusters)} ms`);
    }
    const profile = mode === 'watch' && values.profile ? await startProfile() : undefined;
    const requestsBefore = await totalRequests(used);
    const queries = mode === 'watch' ? watchQueries : liveQueries;
    const { repeated, first, tail } = await client.timed(names, queries);
    const sequentialRequests = (await totalRequests(used)) - requestsBefore;

    const pollBefore = await totalRequests(used);
    const polled = await poll({ address, acceptEncoding, names, pollers, seconds: pollSeconds });
    const pollRequests = (await totalRequests(used)) - pollBefore;
    if (profile) {
      await stopProfile(
        profile,
        join(String(values.profile), `watch-${used.length}x${podsPerCluster}-${names.length}.cpuprofile`),
      );
    }
    if (client.firstError ?? polled.firstError) {
      console.error(`[bench] first error: ${client.firstError ?? polled.firstError}`);
    }
    // Watch answers come from memory: the floor shows what the same answers cost this machine, now.
    const floor = mode === 'watch' ? await measureFloor(client.bodies, names, queries) : undefined;
    const { sample } = client;
    const answer = sample ? (JSON.parse(sample.json.toString('utf8')) as AnswerShape) : undefined;
    const pollQueries = polled.latencies.length + polled.errors;
    return {
      clusters: used.length,
      podsPerCluster,
      component,
      mode,
      queries,
      answerKiB: sample ? sample.json.length / 1024 : Number.NaN,
      wireKiB: sample ? sample.wireBytes / 1024 : Number.NaN,
      objectsPerAnswer: answer ? countObjects(answer) : Number.NaN,
      p50: percentile(repeated, 50),
      p99: percentile(repeated, 99),
      tail,
      firstP50: percentile(first, 50),
      errors: client.errors,
      apiRequestsPerQuery: sequentialRequests / queries,
      pollers,
      pollQueries,
      pollQueriesPerSecond: polled.latencies.length / pollSeconds,
      pollP50: percentile(polled.latencies, 50),
      pollP99: percentile(polled.latencies, 99),
      pollErrors: polled.errors,
      pollCpuUsPerAnswer: polled.cpuUsPerAnswer,
      pollApiRequestsPerQuery: pollRequests / Math.max(1, pollQueries),
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      ...(mode === 'watch'
        ? { syncMs, heapKiBPer1000Pods: await retainedKiBPer1000Pods(app, used, podsPerCluster) }
        : {}),
      ...(floor ? { floor } : {}),
    };
  } finally {
    await client.close();
    await app.close();
  }
}

interface AnswerShape {
  items: { resources: { resources: unknown[] }[] }[];
}

function countObjects(answer: AnswerShape): number {
  return answer.items.reduce((n, item) => n + item.resources.reduce((m, r) => m + r.resources.length, 0), 0);
}

/** The pollers, in a worker thread, with the CPU time this thread (the server's) spent per good answer. */
async function poll(request: PollRequest): Promise<PollResult & { cpuUsPerAnswer: number }> {
  const cpuBefore = process.threadCpuUsage();
  const result = await new Promise<PollResult>((resolve, reject) => {
    const worker = new Worker(new URL('./pollers.ts', import.meta.url), { workerData: request });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const cpu = process.threadCpuUsage(cpuBefore);
  return { ...result, cpuUsPerAnswer: (cpu.user + cpu.system) / Math.max(1, result.latencies.length) };
}

/**
 * The same sequential queries and pollers against a bare server holding the bodies Stitchboard gave (see
 * bench/floor.ts), in this process, with Stitchboard still up and its informers open.
 */
async function measureFloor(
  bodies: ReadonlyMap<string, WireBody>,
  names: string[],
  queries: number,
): Promise<Floor> {
  const floor = await startFloor(new Map(bodies));
  const client = new SequentialClient(floor.address, acceptEncoding);
  try {
    await client.warmUp(names, 10 + watchWarmUp);
    const { repeated, tail } = await client.timed(names, queries);
    const polled = await poll({
      address: floor.address,
      acceptEncoding,
      names,
      pollers,
      seconds: pollSeconds,
    });
    const errors = client.errors + polled.errors;
    if (errors > 0) {
      console.error(`[bench] the floor answered ${errors} errors: ${client.firstError ?? polled.firstError}`);
    }
    return {
      p50: percentile(repeated, 50),
      p99: percentile(repeated, 99),
      tail,
      pollQueriesPerSecond: polled.latencies.length / pollSeconds,
      pollP99: percentile(polled.latencies, 99),
      pollCpuUsPerAnswer: polled.cpuUsPerAnswer,
    };
  } finally {
    await client.close();
    await floor.close();
  }
}

/**
 * What the watch caches retain: the heap's data (after a full GC, without code: see `heapAfterGc`) with
 * every cluster's informers, minus the same once they are forgotten. Per 1,000 pods, so it includes the
 * Deployments, ReplicaSets and Services too.
 */
async function retainedKiBPer1000Pods(
  app: App,
  used: BenchCluster[],
  podsPerCluster: number,
): Promise<number> {
  const withCaches = heapAfterGc();
  for (const c of used) await app.watch.forget(c.info.name);
  const without = heapAfterGc();
  return Math.round((withCaches - without) / 1024 / ((used.length * podsPerCluster) / 1000));
}

async function startProfile(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return session;
}

async function stopProfile(session: Session, file: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  console.error(`[bench] CPU profile written to ${file}`);
}

async function podCount(cluster: BenchCluster): Promise<number> {
  const pods = await cluster.admin.get<{ items: unknown[] }>('/api/v1/pods');
  return pods.items.length;
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
  docs.push(
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      `metadata: { name: ${DICE}, annotations: { backstage.io/kubernetes-id: ${DICE} } }`,
      'spec: { type: service, lifecycle: production, owner: team-dice }',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'catalog.yaml'), `${docs.join('\n---\n')}\n`);
}

function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    /** 1-minute load average at the end of the run: other work on the machine skews the figures. */
    load: loadavg()[0]?.toFixed(2),
    /** Share of CPU time the hypervisor gave to other guests during the run (`steal` in /proc/stat). */
    steal: `${(100 * stolenShare(cpuAtStart)).toFixed(1)}%`,
  };
}

/** The aggregate `cpu` line of /proc/stat: every counter, in clock ticks; empty off Linux. */
function cpuCounters(): number[] {
  try {
    return readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  } catch {
    return [];
  }
}

function stolenShare(before: readonly number[]): number {
  const after = cpuCounters();
  const delta = after.map((v, i) => v - (before[i] ?? 0));
  const total = delta.reduce((a, b) => a + b, 0);
  // user nice system idle iowait irq softirq steal: steal is the eighth.
  return total > 0 ? (delta[7] ?? 0) / total : 0;
}
