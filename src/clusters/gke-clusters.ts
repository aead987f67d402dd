import type { ClusterLocatorMethodConfig } from '../config/types.ts';
import type { ClusterSettings } from './cluster-settings.ts';
import { AUTH_PROVIDER_KEY, type ClusterDetails } from './types.ts';

export type GkeLocatorConfig = Extract<ClusterLocatorMethodConfig, { type: 'gke' }>;

/** The fields of a GKE `Cluster` (container.v1) this locator reads. */
export interface GkeClusterResource {
  name?: string | null;
  location?: string | null;
  endpoint?: string | null;
  resourceLabels?: Record<string, string> | null;
  controlPlaneEndpointsConfig?: { dnsEndpointConfig?: { endpoint?: string | null } | null } | null;
  masterAuth?: { clusterCaCertificate?: string | null } | null;
}

export interface GkeMapping {
  clusters: ClusterDetails[];
  /** Clusters dropped because they have no name or no endpoint of the configured type. */
  skipped: { name: string; reason: string }[];
}

/**
 * GKE clusters → ClusterDetails, as Backstage's GkeClusterLocator does: every `matchingResourceLabels`
 * entry must match; the URL is `https://<endpoint>` (`endpointType: public`) or `https://<DNS endpoint>`
 * (`dns`); `exposeDashboard` sets the `gke` dashboard and its parameters. Unlike Backstage, a cluster with
 * no endpoint is skipped rather than given `https://`, and a public endpoint carries the cluster's own CA
 * (`masterAuth.clusterCaCertificate`, base64 PEM as `caData` wants it): GKE's IP endpoints are not signed
 * by a public CA, which is why Backstage users end up with `skipTLSVerify`. DNS endpoints use public CAs.
 */
export function gkeClusterDetails(
  resources: readonly GkeClusterResource[],
  locator: GkeLocatorConfig,
  settingsFor: (name: string) => ClusterSettings,
): GkeMapping {
  const out: GkeMapping = { clusters: [], skipped: [] };
  for (const r of resources) {
    const labels = r.resourceLabels ?? {};
    if (!locator.matchingResourceLabels.every((m) => labels[m.key] === m.value)) continue;
    const name = r.name ?? '';
    if (!name) {
      out.skipped.push({ name: '(unnamed)', reason: 'the GKE API returned a cluster without a name' });
      continue;
    }
    const host =
      locator.endpointType === 'dns'
        ? r.controlPlaneEndpointsConfig?.dnsEndpointConfig?.endpoint
        : r.endpoint;
    if (!host) {
      const what = locator.endpointType === 'dns' ? 'DNS endpoint (controlPlaneEndpointsConfig)' : 'endpoint';
      out.skipped.push({ name, reason: `no ${what}; the cluster may still be provisioning` });
      continue;
    }
    const details: ClusterDetails = {
      name,
      url: `https://${host}`,
      authMetadata: { [AUTH_PROVIDER_KEY]: locator.authProvider },
      skipTLSVerify: locator.skipTLSVerify,
      skipMetricsLookup: locator.skipMetricsLookup,
      ...settingsFor(name),
    };
    const ca = r.masterAuth?.clusterCaCertificate;
    if (locator.endpointType === 'public' && ca) details.caData = ca;
    if (locator.exposeDashboard) {
      details.dashboardApp = 'gke';
      details.dashboardParameters = {
        projectId: locator.projectId,
        region: locator.region,
        clusterName: name,
      };
    }
    out.clusters.push(details);
  }
  return out;
}
