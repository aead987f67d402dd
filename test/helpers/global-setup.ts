/**
 * Vitest globalSetup of the `integration` project (vitest.config.ts): real fixtures, started once
 * per run in the main vitest process and handed to test files with `project.provide` / `inject`.
 *
 * - Two Kubernetes 1.20 clusters, `alpha` and `beta` (etcd + kube-apiserver on 127.0.0.1), in a
 *   fresh `.state/test/run-<time>-<pid>`; stopped and deleted at teardown. Started in parallel:
 *   about 7 s on 2 cores (docs/test-clusters.md). Use them through test/helpers/clusters.ts.
 * - STITCHBOARD_KEEP_CLUSTERS=1 uses `.state/test/kept` instead and leaves the clusters running,
 *   so the next run starts in well under a second. Stop them with
 *   `npm run kube -- stop alpha --dir .state/test/kept/alpha --delete` (same for beta).
 * - A run killed before its teardown leaves its clusters running; the next run stops and deletes
 *   them (runs whose vitest process is gone), never those of a run still in progress.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { ensureKubeApiserver, startCluster, stopCluster } from '../../tools/kube/lab.ts';
import { runningFromPidFile, selfRef } from '../../tools/kube/processes.ts';
import type { ClusterInfo } from '../../tools/kube/types.ts';

export interface TestClusterInfos {
  alpha: ClusterInfo;
  beta: ClusterInfo;
}

declare module 'vitest' {
  export interface ProvidedContext {
    clusters: TestClusterInfos;
    // The Backstage catalog fixture's key goes here, e.g. `backstage: { url: string; token: string }`.
  }
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEST_STATE = join(ROOT, '.state', 'test');
const CLUSTER_NAMES = ['alpha', 'beta'] as const;
const OWNER = 'owner.pid';

type Teardown = () => Promise<void>;

export default async function setup(project: TestProject): Promise<Teardown> {
  const teardowns: Teardown[] = [];
  const teardown = async () => {
    // Last started, first stopped; one failing teardown does not keep the others from running.
    for (const fn of teardowns.reverse()) {
      await fn().catch((error: unknown) =>
        process.stderr.write(`[global-setup] teardown failed: ${String(error)}\n`),
      );
    }
  };
  try {
    const clusters = await startTestClusters();
    teardowns.push(clusters.stop);
    project.provide('clusters', clusters.infos);

    // --- Backstage catalog fixture (owned by test/helpers/backstage.ts) -------------------------
    // Start it here, in this same setup, and register its stop the same way, e.g.:
    //   const backstage = await startBackstage({ entities });
    //   teardowns.push(() => backstage.close());
    //   project.provide('backstage', { url: backstage.url, token: backstage.token });
    // and declare the `backstage` key in ProvidedContext above. To overlap the two start-ups,
    // run both in one Promise.all with startTestClusters().
    // ---------------------------------------------------------------------------------------------
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

async function startTestClusters(): Promise<{ infos: TestClusterInfos; stop: Teardown }> {
  const keep = process.env.STITCHBOARD_KEEP_CLUSTERS === '1';
  await sweepAbandonedRuns();
  // Builds on a fresh machine (minutes, output on stderr); returns at once when cached.
  await ensureKubeApiserver();
  const runDir = keep ? join(TEST_STATE, 'kept') : join(TEST_STATE, `run-${Date.now()}-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  if (!keep) {
    const me = selfRef();
    writeFileSync(join(runDir, OWNER), `${me.pid} ${me.startTime}\n`);
  }
  const stop = async () => {
    if (keep) return;
    await Promise.all(CLUSTER_NAMES.map((name) => stopCluster(join(runDir, name), { delete: true })));
    rmSync(runDir, { recursive: true, force: true });
  };
  try {
    const [alpha, beta] = await Promise.all(
      CLUSTER_NAMES.map((name) => startCluster({ name, stateDir: join(runDir, name) })),
    );
    return { infos: { alpha: alpha as ClusterInfo, beta: beta as ClusterInfo }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Stops and deletes clusters of earlier runs whose vitest process is gone (killed, crashed). */
async function sweepAbandonedRuns(): Promise<void> {
  if (!existsSync(TEST_STATE)) return;
  for (const entry of readdirSync(TEST_STATE)) {
    const runDir = join(TEST_STATE, entry);
    if (!entry.startsWith('run-') || runningFromPidFile(join(runDir, OWNER))) continue;
    // A run that has just made its dir may not have written its owner file yet.
    if (!existsSync(join(runDir, OWNER)) && Date.now() - statSync(runDir).mtimeMs < 10 * 60_000) continue;
    for (const name of CLUSTER_NAMES) {
      const dir = join(runDir, name);
      if (existsSync(dir)) await stopCluster(dir, { delete: true }).catch(() => {});
    }
    rmSync(runDir, { recursive: true, force: true });
  }
}
