import type { ClusterDetails } from '../../clusters/types.ts';
import { inputError, notFound } from '../../errors/errors.ts';

/**
 * The cluster a proxy request goes to, by Backstage's rules: the `Backstage-Kubernetes-Cluster`
 * header names it; without the header, the only cluster there is. Only configured clusters are
 * reachable: the name picks one of them, it is never a URL.
 */
export function chooseCluster(clusters: readonly ClusterDetails[], name: string | undefined): ClusterDetails {
  if (clusters.length === 0) throw notFound('No Clusters configured');
  const cluster = name
    ? clusters.find((c) => c.name === name)
    : clusters.length === 1
      ? clusters[0]
      : undefined;
  if (!cluster) throw notFound(`Cluster '${name ?? ''}' not found`);
  return cluster;
}

/**
 * The path and query to request from the cluster: the part of `rawUrl` after the proxy's mount
 * `prefix`, under the cluster URL's own path (Rancher's `/k8s/clusters/<id>`, a kubectl proxy
 * under a sub-path). Bytes are kept as sent, query string included. `.` and `..` segments are
 * refused: behind a sub-path they could climb out of it, to another cluster of the same gateway.
 *
 * @example
 * proxyPath('/api/kubernetes/proxy/api/v1/pods?limit=1', '/api/kubernetes/proxy', 'https://rancher/k8s/clusters/c-1');
 * // '/k8s/clusters/c-1/api/v1/pods?limit=1'
 */
export function proxyPath(rawUrl: string, prefix: string, clusterUrl: string): string {
  if (!rawUrl.startsWith(prefix)) throw inputError(`Proxy request path must start with ${prefix}`);
  let rest = rawUrl.slice(prefix.length);
  if (rest === '' || rest.startsWith('?')) rest = `/${rest}`;
  const queryAt = rest.indexOf('?');
  const path = queryAt === -1 ? rest : rest.slice(0, queryAt);
  if (path.split('/').some(isDotSegment)) {
    throw inputError("Proxy request path must not contain '.' or '..' segments");
  }
  const base = new URL(clusterUrl).pathname.replace(/\/+$/, '');
  return `${base}${rest}`;
}

function isDotSegment(segment: string): boolean {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A malformed escape is not a dot segment; the cluster rejects it itself.
  }
  return decoded === '.' || decoded === '..';
}
