/**
 * `npm run bench -- --stitch` (or `node bench/stitch.ts`): stitching at scale, 10,000 catalog components
 * against 50,000 Services in 5 clusters, with 200 groups and 1,000 users as owners.
 *
 * What is measured is Stitchboard's own work: the pure `stitch()` (matching, owners, conflicts, report)
 * and writing its result to the store in one transaction, on SQLite (a file) and PostgreSQL (a fresh
 * schema on 127.0.0.1:5432, skipped when unreachable). The catalog and the Services are generated in
 * memory, so neither Backstage's paging nor the API servers' LIST time is in these numbers.
 *
 *   node bench/stitch.ts [--components 10000] [--clusters 5] [--services-per-cluster 10000] [--rounds 3]
 */
import type { Entity } from '@backstage/catalog-model';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { DatabaseConfig } from '../src/config/types.ts';
import { silentLogger } from '../src/shared/logger.ts';
import { openStore } from '../src/store/index.ts';
import { DEFAULT_LABEL_MAP } from '../src/topology/label-map.ts';
import { stitch } from '../src/topology/stitch.ts';
import type { ClusterService, StitchInput } from '../src/topology/types.ts';
import { PgSchemas } from '../test/helpers/pg.ts';
import { numberOptions } from './options.ts';
import { percentile } from './report.ts';

export interface StitchBenchOptions {
  components: number;
  clusters: number;
  servicesPerCluster: number;
  rounds: number;
}

export interface StitchScenario {
  dialect: 'sqlite' | 'pg';
  components: number;
  services: number;
  clusters: number;
  links: number;
  stitchP50Ms: number;
  firstWriteMs: number;
  replaceP50Ms: number;
  readAllLinksMs: number;
  rssMiB: number;
}

const NAMESPACES = 50;
const GROUPS = 200;
const USERS = 1000;

/** A catalog and a fleet shaped like a real one: most components namespaced, some not, a few broken. */
export function generateInput(o: StitchBenchOptions): StitchInput {
  const groups: Entity[] = Array.from({ length: GROUPS }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: `team-${i}` },
    spec: {
      type: 'team',
      children: [],
      profile: { displayName: `Team ${i}`, email: `team-${i}@example.com` },
    },
  }));
  const users: Entity[] = Array.from({ length: USERS }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: `user-${i}` },
    spec: { memberOf: [`team-${i % GROUPS}`], profile: { displayName: `User ${i}` } },
  }));
  const components: Entity[] = Array.from({ length: o.components }, (_, i) => {
    const annotations: Record<string, string> = {};
    // 1 in 50 has no id (no-id-value); 1 in 50 names a Service nobody runs.
    if (i % 50 !== 0) annotations['backstage.io/kubernetes-id'] = i % 50 === 1 ? `gone-${i}` : `svc-${i}`;
    // 7 in 10 give the namespace; the rest are looked up by name alone.
    if (i % 10 < 7) annotations['backstage.io/kubernetes-namespace'] = `ns-${i % NAMESPACES}`;
    const owner = i % 20 === 0 ? `user:user-${i % USERS}` : i % 97 === 0 ? 'team-gone' : `team-${i % GROUPS}`;
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: `comp-${i}`, annotations },
      spec: { type: 'service', lifecycle: 'production', owner, system: `system-${i % 100}` },
    };
  });
  const services: ClusterService[] = [];
  const clusters = Array.from({ length: o.clusters }, (_, c) => `cluster-${c}`);
  for (const cluster of clusters) {
    for (let i = 0; i < o.servicesPerCluster; i++) {
      // 1 in 100 is a second `svc-<n>` in another namespace: name-only lookups of those are ambiguous.
      const duplicate = i % 100 === 99;
      const n = duplicate ? i - 96 : i;
      const namespace = duplicate ? 'ns-extra' : `ns-${i % NAMESPACES}`;
      services.push({
        cluster,
        namespace,
        name: `svc-${n}`,
        uid: `${cluster}-${i}`,
        labels: { app: `svc-${n}` },
      });
    }
  }
  return { instance: 'bench', components, groups, users, services, labelMap: DEFAULT_LABEL_MAP, clusters };
}

export async function runStitchBench(o: StitchBenchOptions): Promise<StitchScenario[]> {
  const input = generateInput(o);
  console.error(
    `[bench] stitching ${o.components} components against ${input.services.length} Services in ${o.clusters} clusters`,
  );
  const stitchTimes: number[] = [];
  let result = stitch(input); // warm-up: JIT and the first allocations are not what a run costs
  for (let r = 0; r < o.rounds; r++) {
    const started = performance.now();
    result = stitch(input);
    stitchTimes.push(performance.now() - started);
  }
  const stitchP50Ms = percentile(stitchTimes, 50);
  const scope = { complete: input.clusters.map((cluster) => ({ cluster })) };

  const scenarios: StitchScenario[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'stitchboard-bench-'));
  const pgSchema = await pgDatabase();
  const databases: [StitchScenario['dialect'], DatabaseConfig | undefined][] = [
    ['sqlite', { client: 'sqlite', path: join(dir, 'bench.sqlite') }],
    ['pg', pgSchema?.database],
  ];
  try {
    for (const [dialect, database] of databases) {
      if (!database) {
        console.error(`[bench] ${dialect}: skipped (no PostgreSQL at 127.0.0.1:5432)`);
        continue;
      }
      console.error(`[bench] ${dialect}: writing ${result.links.length} links`);
      const store = await openStore(database, { logger: silentLogger() });
      try {
        let started = performance.now();
        await store.replaceInstanceResults('bench', result, scope);
        const firstWriteMs = performance.now() - started;
        const replaceTimes: number[] = [];
        for (let r = 0; r < o.rounds; r++) {
          started = performance.now();
          await store.replaceInstanceResults('bench', result, scope);
          replaceTimes.push(performance.now() - started);
        }
        started = performance.now();
        let read = 0;
        for (let offset = 0; ; offset += 10_000) {
          const page = await store.listServices({ limit: 10_000, offset });
          read += page.length;
          if (page.length < 10_000) break;
        }
        const readAllLinksMs = performance.now() - started;
        if (read !== result.links.length) {
          throw new Error(`read ${read} links back, wrote ${result.links.length}`);
        }
        scenarios.push({
          dialect,
          components: o.components,
          services: input.services.length,
          clusters: o.clusters,
          links: result.links.length,
          stitchP50Ms,
          firstWriteMs,
          replaceP50Ms: percentile(replaceTimes, 50),
          readAllLinksMs,
          rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
        });
      } finally {
        await store.close();
      }
    }
  } finally {
    await pgSchema?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
  return scenarios;
}

/** A fresh schema on the local PostgreSQL, or undefined when there is none. */
async function pgDatabase(): Promise<{ database: DatabaseConfig; drop(): Promise<void> } | undefined> {
  const schemas = new PgSchemas('sb_bench');
  const database = await schemas.fresh().catch(() => undefined);
  return database && { database, drop: () => schemas.dropAll() };
}

const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(0));

export function printStitchReport(scenarios: readonly StitchScenario[]): void {
  console.log(
    `\n### Stitching — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
  );
  console.log(
    'Generated in memory: the stitch and the store write are measured, not Backstage or the API servers.\n',
  );
  console.log(
    '| store | components | Services | clusters | links | stitch p50 ms | first write ms | replace p50 ms | read all links ms | RSS MiB |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const s of scenarios) {
    console.log(
      `| ${s.dialect} | ${s.components} | ${s.services} | ${s.clusters} | ${s.links} | ${ms(s.stitchP50Ms)} | ${ms(s.firstWriteMs)} | ${ms(s.replaceP50Ms)} | ${ms(s.readAllLinksMs)} | ${s.rssMiB} |`,
    );
  }
}

export function stitchBenchOptions(args: readonly string[]): StitchBenchOptions {
  const { 'services-per-cluster': servicesPerCluster, ...rest } = numberOptions(args, {
    components: 10_000,
    clusters: 5,
    'services-per-cluster': 10_000,
    rounds: 3,
  });
  return { ...rest, servicesPerCluster };
}

if (import.meta.main) {
  printStitchReport(await runStitchBench(stitchBenchOptions(process.argv.slice(2))));
}
