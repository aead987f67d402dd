import type { KubernetesRequestAuth } from '../contract/kubernetes.ts';
import type { ClusterDetails } from '../clusters/types.ts';

/** How a request to a cluster is authenticated (kubernetes-node's credential union). */
export type Credential =
  | { type: 'bearer token'; token: string }
  | { type: 'x509 client certificate'; cert: string; key: string }
  | { type: 'anonymous' };

/**
 * One `authProvider`. `getCredential` may use server-side secrets or the caller's tokens from
 * the request (`auth` in the body, `Backstage-Kubernetes-Authorization-*` headers on the proxy).
 * A missing or unusable credential rejects with a StitchboardError; the fan-out turns that into
 * an error entry for that one cluster.
 */
export interface AuthStrategy {
  getCredential(cluster: ClusterDetails, requestAuth: KubernetesRequestAuth): Promise<Credential>;
  /** Extra metadata safe to show in `GET /clusters` (`auth`). Never a secret. */
  presentAuthMetadata(authMetadata: Record<string, string>): Record<string, unknown>;
}
