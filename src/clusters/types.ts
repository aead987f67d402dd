import type { ClusterAttributes, CustomResourceMatcher } from '../contract/kubernetes.ts';

import type { FetchMode } from '../config/types.ts';
import { AUTH_PROVIDER_KEY } from '../config/auth-metadata.ts';

export type { FetchMode };
export { AUTH_PROVIDER_KEY, OIDC_TOKEN_PROVIDER_KEY } from '../config/auth-metadata.ts';

/**
 * Everything needed to talk to one cluster, after its locator has run. Mirrors Backstage's
 * ClusterDetails; `authMetadata` keeps Backstage's keys (`kubernetes.io/auth-provider`,
 * `serviceAccountToken`, `kubernetes.io/oidc-token-provider`, ...).
 */
export interface ClusterDetails extends ClusterAttributes {
  url: string;
  authMetadata: Record<string, string>;
  skipTLSVerify: boolean;
  skipMetricsLookup: boolean;
  /** Base64-encoded PEM bundle. Secret: never logged or returned. */
  caData?: string;
  /** Path to a PEM bundle on this host. */
  caFile?: string;
  customResources?: CustomResourceMatcher[];
  /** Stitchboard extensions, from `stitchboard.kubernetes`: how long one cluster may take, and how it is read. */
  timeoutMs: number;
  mode: FetchMode;
}

export function authProviderOf(cluster: Pick<ClusterDetails, 'authMetadata'>): string {
  return cluster.authMetadata[AUTH_PROVIDER_KEY] ?? '';
}

/** Anything that yields the clusters Stitchboard knows: config, catalog, GKE, kubectl proxy, or a custom module. */
export interface ClusterSupplier {
  getClusters(options?: { signal?: AbortSignal }): Promise<ClusterDetails[]>;
}
