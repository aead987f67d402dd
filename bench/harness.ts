import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { App } from '../src/app.ts';
import type { FetchMode } from '../src/clusters/types.ts';
import { apiserverRequests, type BenchCluster } from './clusters.ts';

setFlagsFromString('--expose-gc');
/** A full garbage collection, so heap figures count only what is retained. */
export const gc = runInNewContext('gc') as () => void;

export function heapAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed;
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
