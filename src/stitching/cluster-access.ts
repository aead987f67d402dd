import type { AuthDispatcher } from '../auth/dispatch.ts';
import { inClusterEnvironment } from '../auth/in-cluster.ts';
import type { Credential } from '../auth/types.ts';
import { AUTH_PROVIDER_KEY, type ClusterDetails, type ClusterSupplier } from '../clusters/types.ts';
import { isStitchboardError, messageOf, StitchboardError } from '../errors/errors.ts';
import { IN_CLUSTER } from './types.ts';

/** A cluster and the server-side credential Stitchboard uses for it. The credential is secret. */
export interface ClusterTarget {
  cluster: ClusterDetails;
  credential: Credential;
}

export interface ClusterAccessDeps {
  clusters: ClusterSupplier;
  auth: AuthDispatcher;
  env: NodeJS.ProcessEnv;
  /** Bound on each request to a Secret-holding cluster. */
  timeoutMs: number;
}

/**
 * Finds the cluster that holds Backstage Secrets: one named in the `kubernetes:` config, or the pod's own
 * (`in-cluster`, the mounted ServiceAccount). Only server-side credentials are used: no caller is asking.
 */
export class ClusterAccess {
  readonly #deps: ClusterAccessDeps;

  constructor(deps: ClusterAccessDeps) {
    this.#deps = deps;
  }

  /** True when `in-cluster` can be used: the pod's API server and ServiceAccount token are there. */
  inClusterAvailable(): boolean {
    return inClusterEnvironment(this.#deps.env) !== undefined;
  }

  /** Resolves `name` (undefined: in-cluster). Throws CLUSTER_UNAVAILABLE with what to fix. */
  async target(name: string | undefined): Promise<ClusterTarget> {
    const cluster = name === undefined || name === IN_CLUSTER ? this.#inCluster() : await this.#named(name);
    try {
      const credential = await this.#deps.auth.getCredential(cluster, {});
      return { cluster, credential };
    } catch (error) {
      const reason = isStitchboardError(error) ? error.message : messageOf(error);
      throw new StitchboardError(
        'CLUSTER_UNAVAILABLE',
        `no server-side credential for cluster ${cluster.name}: ${reason}`,
      );
    }
  }

  async #named(name: string): Promise<ClusterDetails> {
    const clusters = await this.#deps.clusters.getClusters();
    const found = clusters.find((c) => c.name === name);
    if (!found) {
      const known = clusters.map((c) => c.name).join(', ') || 'none';
      throw new StitchboardError(
        'CLUSTER_UNAVAILABLE',
        `no cluster named "${name}" in kubernetes.clusterLocatorMethods (known: ${known})`,
      );
    }
    return found;
  }

  #inCluster(): ClusterDetails {
    const env = inClusterEnvironment(this.#deps.env);
    if (!env) {
      throw new StitchboardError(
        'CLUSTER_UNAVAILABLE',
        'not running in Kubernetes (no KUBERNETES_SERVICE_HOST or mounted ServiceAccount token): name a cluster with scrapers.backstage.cluster',
      );
    }
    return {
      name: IN_CLUSTER,
      url: env.url,
      caFile: env.caFile,
      authMetadata: { [AUTH_PROVIDER_KEY]: 'serviceAccount' },
      skipTLSVerify: false,
      skipMetricsLookup: true,
      timeoutMs: this.#deps.timeoutMs,
      mode: 'live',
    };
  }
}
