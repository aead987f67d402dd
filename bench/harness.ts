import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { App } from '../src/app.ts';
import type { FetchMode } from '../src/clusters/types.ts';
import { apiserverRequests, type BenchCluster } from './clusters.ts';

setFlagsFromString('--expose-gc');
/** A full garbage collection, so heap figures count only what is retained. */
export const gc = runInNewContext('gc') as () => void;

/**
 * The heap's data after a full GC: every space but V8's code and trusted spaces (compiled code, bytecode),
 * which a GC empties of functions not run for a while whatever else is freed. Measuring a cache as the heap
 * with it minus the heap without it counted that code too: dropping 100 cached answers on 1 × 5,000 pods
 * freed 251 KiB of old space and 379 KiB of code and bytecode.
 */
export function heapAfterGc(): number {
  gc();
  let used = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (!/code|trusted|read_only/.test(space.space_name)) used += space.space_used_size;
  }
  return used;
}

/** Queries answered while informers still list would be live answers reported as watch ones: wait them out. */
export async function waitForSync(watch: App['watch'], informers: number): Promise<void> {
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

/**
 * Waits (up to `maxMs`) until the clusters' API servers and etcds use less than a tenth of a core together,
 * measured over one second: a live scenario leaves them busy (queued LISTs, Go's GC) well after its last
 * answer, and on a 2-core machine that time would be taken from the next scenario. Returns the wait in ms.
 */
export async function settle(clusters: readonly BenchCluster[], maxMs = 30_000): Promise<number> {
  const pids = clusters.flatMap((c) => [c.info.apiserverPid, c.info.etcdPid]);
  const started = performance.now();
  let before = cpuTicks(pids);
  while (performance.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuTicks(pids);
    if (now - before < CLOCK_TICKS_PER_SECOND / 10) break;
    before = now;
  }
  return Math.round(performance.now() - started);
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times. */
const CLOCK_TICKS_PER_SECOND = 100;

/** User and system CPU time of `pids` so far, in clock ticks (a process that is gone counts 0). */
function cpuTicks(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name (which may hold spaces) start at state; utime and stime are 14 and 15.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += Number(fields[11]) + Number(fields[12]);
    } catch {
      // not running: nothing to wait for
    }
  }
  return total;
}

export async function totalRequests(used: BenchCluster[]): Promise<number> {
  const counts = await Promise.all(used.map(apiserverRequests));
  return counts.reduce((a, b) => a + b, 0);
}

/** An app-config for these clusters in `mode`, with the bench catalog, written under `dir`. */
export function writeConfig(dir: string, used: BenchCluster[], mode: FetchMode): string {
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
