import type { ClusterAttributes, ClusterObjects, ClusterSummary } from '../contract/kubernetes.ts';
import { OIDC_TOKEN_PROVIDER_KEY, authProviderOf, type ClusterDetails } from '../clusters/types.ts';

/** What a response may say about a cluster: each optional key only when set, and never a secret. */
export function clusterAttributes(c: ClusterDetails): ClusterAttributes {
  const attributes: ClusterAttributes = { name: c.name };
  if (c.title !== undefined) attributes.title = c.title;
  if (c.dashboardUrl !== undefined) attributes.dashboardUrl = c.dashboardUrl;
  if (c.dashboardApp !== undefined) attributes.dashboardApp = c.dashboardApp;
  if (c.dashboardParameters !== undefined) attributes.dashboardParameters = c.dashboardParameters;
  return attributes;
}

export function clusterSummary(c: ClusterDetails, presented: Record<string, unknown>): ClusterSummary {
  const summary: ClusterSummary = { name: c.name, authProvider: authProviderOf(c) };
  if (c.title !== undefined) summary.title = c.title;
  if (c.dashboardUrl !== undefined) summary.dashboardUrl = c.dashboardUrl;
  const oidc = c.authMetadata[OIDC_TOKEN_PROVIDER_KEY];
  if (oidc !== undefined) summary.oidcTokenProvider = oidc;
  if (Object.keys(presented).length > 0) summary.auth = presented;
  return summary;
}

/** Backstage omits clusters with nothing to show: no errors and only empty lists. */
export function hasSomethingToShow(item: ClusterObjects): boolean {
  return item.errors.length > 0 || item.resources.some((r) => r.resources.length > 0);
}
