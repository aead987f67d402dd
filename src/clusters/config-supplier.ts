import type { ConfigClusterConfig } from '../config/types.ts';
import {
  AUTH_PROVIDER_KEY,
  OIDC_TOKEN_PROVIDER_KEY,
  type ClusterDetails,
  type ClusterSupplier,
} from './types.ts';
import type { ClusterSettings } from './cluster-settings.ts';

/**
 * Backstage's `config` locator: a static list read once. The auth metadata is derived from the
 * dedicated keys first, then `authMetadata` is merged last so it can override them, as in Backstage.
 */
export function toClusterDetails(c: ConfigClusterConfig, settings: ClusterSettings): ClusterDetails {
  const derived: Record<string, string> = {};
  if (c.authProvider) derived[AUTH_PROVIDER_KEY] = c.authProvider;
  if (c.serviceAccountToken) derived.serviceAccountToken = c.serviceAccountToken;
  if (c.oidcTokenProvider) derived[OIDC_TOKEN_PROVIDER_KEY] = c.oidcTokenProvider;
  if (c.assumeRole) derived['kubernetes.io/aws-assume-role'] = c.assumeRole;
  if (c.externalId) derived['kubernetes.io/aws-external-id'] = c.externalId;
  const details: ClusterDetails = {
    name: c.name,
    url: c.url,
    authMetadata: { ...derived, ...c.authMetadata },
    skipTLSVerify: c.skipTLSVerify,
    skipMetricsLookup: c.skipMetricsLookup,
    ...settings,
  };
  if (c.title !== undefined) details.title = c.title;
  if (c.caData !== undefined) details.caData = c.caData;
  if (c.caFile !== undefined) details.caFile = c.caFile;
  if (c.customResources !== undefined) details.customResources = c.customResources;
  if (c.dashboardUrl !== undefined) details.dashboardUrl = c.dashboardUrl;
  if (c.dashboardApp !== undefined) details.dashboardApp = c.dashboardApp;
  if (c.dashboardParameters !== undefined) details.dashboardParameters = c.dashboardParameters;
  return details;
}

export class StaticClusterSupplier implements ClusterSupplier {
  readonly #clusters: readonly ClusterDetails[];

  constructor(clusters: readonly ClusterDetails[]) {
    this.#clusters = clusters;
  }

  async getClusters(): Promise<ClusterDetails[]> {
    return [...this.#clusters];
  }
}
