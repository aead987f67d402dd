import type { Credential } from '../../auth/types.ts';
import type { ClusterDetails, ClusterSupplier } from '../../clusters/types.ts';
import type { CustomResourceMatcher, KubernetesRequestAuth } from '../../contract/kubernetes.ts';
import { isStitchboardError } from '../../errors/errors.ts';
import {
  customResourcesToFetch,
  selectObjectTypes,
  type ObjectTypeSettings,
} from '../../kube/object-types.ts';
import type { Logger } from '../../shared/logger.ts';
import type { WatchFetcher } from './watch-fetcher.ts';

/** How long readiness waits for one cluster's first sync before it stops holding the pod back. */
export const WARM_UP_DEADLINE_MS = 60_000;

/** Per watched cluster: its informers listed (or were refused), still listing, or given up on. */
export type WarmUpState = 'synced' | 'syncing' | 'timed out' | 'failed';

export interface ReadyReport {
  ready: boolean;
  /** Names and states only: never an error text, which could hold anything. */
  clusters: Record<string, WarmUpState>;
  message?: string;
}

export interface Readiness {
  report(): ReadyReport;
}

/** Nothing to wait for (the CLI, tests, or a config with no watched cluster). */
export const ALWAYS_READY: Readiness = { report: () => ({ ready: true, clusters: {} }) };

export interface WarmUpDeps extends ObjectTypeSettings {
  clusters: ClusterSupplier;
  auth: { getCredential(cluster: ClusterDetails, auth: KubernetesRequestAuth): Promise<Credential> };
  watch: Pick<WatchFetcher, 'canWatch' | 'warm'>;
  customResources: readonly CustomResourceMatcher[];
  logger: Logger;
  deadlineMs?: number;
  /** Settles once the clusters this process watches are known (a replica's first share); warming starts then. */
  after?: Promise<unknown>;
}

/**
 * Starts the informers of every watched cluster at once, instead of at the first query, and reports
 * readiness for `GET /readyz`: ready once each such cluster has settled (listed, or refused) or passed
 * the deadline. Once ready it stays ready: one cluster going down later must not take every replica out
 * of its Service (its queries are answered live meanwhile; `/healthz` reports it).
 */
export function startWarmUp(deps: WarmUpDeps): Readiness {
  const deadlineMs = deps.deadlineMs ?? WARM_UP_DEADLINE_MS;
  const states = new Map<string, WarmUpState>();
  let listed = false;
  let listFailed = false;
  const log = deps.logger.child({ component: 'warm-up' });
  const warmOne = async (cluster: ClusterDetails) => {
    states.set(cluster.name, 'syncing');
    const signal = AbortSignal.timeout(deadlineMs);
    try {
      const credential = await deps.auth.getCredential(cluster, {});
      const objectTypes = [
        ...selectObjectTypes(deps),
        ...customResourcesToFetch(cluster.customResources ?? deps.customResources),
      ];
      await deps.watch.warm({ cluster, credential, objectTypes, signal });
      states.set(cluster.name, signal.aborted ? 'timed out' : 'synced');
    } catch (error) {
      const code = isStitchboardError(error) ? error.code : 'UNKNOWN';
      log.warn({ cluster: cluster.name, code }, 'cannot warm the watch cache of this cluster');
      states.set(cluster.name, 'failed');
    }
  };
  void (deps.after ?? Promise.resolve())
    .then(() => deps.clusters.getClusters())
    .then(
      async (clusters) => {
        listed = true;
        await Promise.all(clusters.filter((c) => deps.watch.canWatch(c)).map(warmOne));
        log.info({ clusters: Object.fromEntries(states) }, 'watch caches warmed');
      },
      () => {
        listed = true;
        listFailed = true;
      },
    );
  return {
    report() {
      const clusters = Object.fromEntries(states);
      if (!listed) return { ready: false, clusters, message: 'listing clusters' };
      const syncing = [...states].filter(([, s]) => s === 'syncing').map(([name]) => name);
      if (syncing.length > 0) {
        return { ready: false, clusters, message: `watch caches syncing: ${syncing.join(', ')}` };
      }
      return listFailed
        ? { ready: true, clusters, message: 'the cluster locators failed; nothing was warmed' }
        : { ready: true, clusters };
    },
  };
}
