import type { Credential } from '../../auth/types.ts';
import type { ClusterDetails, ClusterSupplier } from '../../clusters/types.ts';
import type { KubernetesFetchError, KubernetesRequestAuth } from '../../contract/kubernetes.ts';
import { messageOf, notFound } from '../../errors/errors.ts';
import type { ClusterAnswer, ClusterConnections } from '../../fetch/connection.ts';

/**
 * GETs against one named cluster with Stitchboard's own (server-side) credentials, for what the UI
 * reads beyond an entity's objects: an object's Events, a pod looked up by name, a namespace's Services.
 * A cluster whose auth needs the caller's own token (google, oidc, aks) answers with an error entry.
 */
export interface ClusterReader {
  clusterNames(): Promise<string[]>;
  getJson<T>(cluster: string, path: string, query?: Record<string, string>): Promise<ClusterAnswer<T>>;
}

export interface ClusterReaderDeps {
  clusters: ClusterSupplier;
  auth: { getCredential(cluster: ClusterDetails, auth: KubernetesRequestAuth): Promise<Credential> };
  connections: Pick<ClusterConnections, 'getJson'>;
}

export function createClusterReader(deps: ClusterReaderDeps): ClusterReader {
  const find = async (name: string) => {
    const cluster = (await deps.clusters.getClusters()).find((c) => c.name === name);
    if (!cluster) throw notFound(`No cluster named '${name}'`);
    return cluster;
  };
  return {
    async clusterNames() {
      return (await deps.clusters.getClusters()).map((c) => c.name);
    },
    async getJson<T>(name: string, path: string, query?: Record<string, string>) {
      const cluster = await find(name);
      let credential: Credential;
      try {
        credential = await deps.auth.getCredential(cluster, {});
      } catch (error) {
        const failure: KubernetesFetchError = { errorType: 'FETCH_ERROR', message: messageOf(error) };
        return { ok: false, error: failure };
      }
      return deps.connections.getJson<T>(cluster, path, {
        credential,
        timeoutMs: cluster.timeoutMs,
        ...(query ? { query } : {}),
      });
    },
  };
}
