import { readFile } from 'node:fs/promises';
import { unauthenticated } from '../errors/errors.ts';
import type { ClusterDetails } from '../clusters/types.ts';
import type { AuthStrategy, Credential } from './types.ts';
import { inClusterEnvironment } from './in-cluster.ts';

/**
 * `serviceAccount`: the configured `serviceAccountToken`, or, when it is omitted, the pod's own mounted
 * token (read on every call: kubelet rotates projected tokens). The in-cluster URL and CA replace the
 * configured ones in `withInClusterEndpoint`, as Backstage does.
 */
export class ServiceAccountStrategy implements AuthStrategy {
  readonly #env: NodeJS.ProcessEnv;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.#env = env;
  }

  async getCredential(cluster: ClusterDetails): Promise<Credential> {
    const token = cluster.authMetadata.serviceAccountToken;
    if (token) return { type: 'bearer token', token };
    const inCluster = inClusterEnvironment(this.#env);
    if (!inCluster) {
      throw unauthenticated(
        `no serviceAccountToken for cluster '${cluster.name}' and not running in Kubernetes (no mounted ServiceAccount token)`,
      );
    }
    const mounted = (await readFile(inCluster.tokenFile, 'utf8')).trim();
    return { type: 'bearer token', token: mounted };
  }

  presentAuthMetadata(): Record<string, unknown> {
    return {};
  }
}

/** A serviceAccount cluster without a token talks to the API server the pod runs in, with its CA. */
export function withInClusterEndpoint(
  cluster: ClusterDetails,
  env: NodeJS.ProcessEnv = process.env,
): ClusterDetails {
  if (cluster.authMetadata['kubernetes.io/auth-provider'] !== 'serviceAccount') return cluster;
  if (cluster.authMetadata.serviceAccountToken) return cluster;
  const inCluster = inClusterEnvironment(env);
  if (!inCluster) return cluster;
  const { caData: _dropped, ...rest } = cluster;
  return { ...rest, url: inCluster.url, caFile: inCluster.caFile };
}
