import type { AuthDispatcher } from '../auth/dispatch.ts';
import type { ClusterDetails, ClusterSupplier } from '../clusters/types.ts';
import type { KubeObject } from '../contract/kubernetes.ts';
import { isStitchboardError, messageOf } from '../errors/errors.ts';
import type { ObjectFetcher, ObjectToFetch } from '../fetch/types.ts';
import { raceAbort } from '../shared/abort.ts';
import type { ClusterService } from '../topology/types.ts';

export const SERVICES: Readonly<ObjectToFetch> = {
  objectType: 'services',
  group: '',
  apiVersion: 'v1',
  plural: 'services',
};

export interface ServicesRead {
  services: ClusterService[];
  /** Clusters listed completely, in supplier order. */
  read: string[];
  /** Clusters that could not be listed; their earlier links are kept. */
  failed: { cluster: string; message: string }[];
}

export interface ServicesDeps {
  clusters: ClusterSupplier;
  auth: AuthDispatcher;
  /** The fetcher each cluster's mode picks: in `watch` mode the cache answers and nothing is listed again. */
  fetcherFor: (cluster: ClusterDetails) => ObjectFetcher;
  /** At least this long per cluster, or the cluster's own timeout when longer. */
  timeoutMs: number;
  signal?: AbortSignal;
  onCluster?: (cluster: string, outcome: { services?: number; error?: string }) => void;
}

/**
 * Every Service in every cluster, with Stitchboard's server-side credentials (a cluster whose auth
 * provider needs the caller's token fails here, as there is no caller). One slow or broken cluster
 * is a `failed` entry; the others are read.
 */
export async function listClusterServices(deps: ServicesDeps): Promise<ServicesRead> {
  let clusters: ClusterDetails[];
  try {
    clusters = await deps.clusters.getClusters(deps.signal ? { signal: deps.signal } : {});
  } catch (error) {
    if (deps.signal?.aborted) throw deps.signal.reason;
    const message = `the cluster locators failed: ${isStitchboardError(error) ? error.message : messageOf(error)}`;
    return { services: [], read: [], failed: [{ cluster: '*', message }] };
  }
  const outcomes = await Promise.all(clusters.map((cluster) => listOne(cluster, deps)));
  const result: ServicesRead = { services: [], read: [], failed: [] };
  for (const [i, outcome] of outcomes.entries()) {
    const cluster = clusters[i]?.name ?? '';
    if ('error' in outcome) {
      result.failed.push({ cluster, message: outcome.error });
      deps.onCluster?.(cluster, { error: outcome.error });
    } else {
      result.read.push(cluster);
      for (const service of outcome.services) result.services.push(service);
      deps.onCluster?.(cluster, { services: outcome.services.length });
    }
  }
  return result;
}

async function listOne(
  cluster: ClusterDetails,
  deps: ServicesDeps,
): Promise<{ services: ClusterService[] } | { error: string }> {
  const timeoutMs = Math.max(deps.timeoutMs, cluster.timeoutMs);
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = deps.signal ? AbortSignal.any([deps.signal, deadline]) : deadline;
  try {
    const work = (async () => {
      const credential = await deps.auth.getCredential(cluster, {});
      return deps.fetcherFor(cluster).fetchObjects({
        cluster,
        credential,
        objectTypes: [{ ...SERVICES }],
        labelSelector: '',
        signal,
      });
    })();
    const fetched = await raceAbort(work, signal);
    const [error] = fetched.errors;
    if (error) {
      const message =
        error.errorType === 'FETCH_ERROR'
          ? error.message
          : `cluster '${cluster.name}' answered ${error.statusCode ?? error.errorType} for ${error.resourcePath ?? 'services'}${error.statusCode === 403 ? ' (RBAC: Stitchboard needs list on services)' : ''}`;
      return { error: message };
    }
    const objects = fetched.responses.find((r) => r.type === 'services')?.resources ?? [];
    return { services: objects.flatMap((o) => serviceOf(cluster.name, o)) };
  } catch (error) {
    if (deps.signal?.aborted) throw deps.signal.reason;
    if (deadline.aborted) {
      return { error: `cluster '${cluster.name}' did not list its Services within ${timeoutMs} ms` };
    }
    return { error: isStitchboardError(error) ? error.message : messageOf(error) };
  }
}

function serviceOf(cluster: string, object: KubeObject): ClusterService[] {
  const name = object.metadata?.name;
  const namespace = object.metadata?.namespace;
  if (!name || !namespace) return [];
  return [
    {
      cluster,
      namespace,
      name,
      ...(object.metadata?.uid ? { uid: object.metadata.uid } : {}),
      ...(object.metadata?.labels ? { labels: object.metadata.labels } : {}),
    },
  ];
}
