import type { ClusterAttributes, KubeObject } from '../contract/kubernetes.ts';
import { aks, eks, gke } from './cloud-consoles.ts';
import { headlamp } from './headlamp.ts';
import { dashboardError, type Formatter, type LinkTarget } from './link-target.ts';
import { openshift, rancher, standard } from './web-dashboards.ts';

/** Every `dashboardApp` Stitchboard links into; Backstage's frontend knows the same names. */
export const DASHBOARD_FORMATTERS: Readonly<Record<string, Formatter>> = {
  standard,
  rancher,
  openshift,
  gke,
  aks,
  eks,
  headlamp,
};

export interface DashboardLinkRequest {
  /** The cluster's name and dashboard settings (`dashboardUrl`, `dashboardApp`, `dashboardParameters`). */
  cluster: ClusterAttributes;
  /** The object to link to; without one, the link is to the cluster. */
  object?: KubeObject;
  /** The object's kind when the object does not say (list items carry none). */
  kind?: string;
  /** Where Stitchboard's UI is served, for Headlamp embedded in it. */
  origin?: string;
}

/**
 * The dashboard link of a cluster or of one object in it, as Backstage's frontend builds it
 * (`KubernetesClusterLinkFormatter`): none without `dashboardUrl` and `dashboardParameters`; the
 * `dashboardUrl` itself for the cluster; otherwise the `dashboardApp` formatter (`standard` when unset).
 * A setting that cannot make a link throws a CONFIG_INVALID StitchboardError naming the cluster, the
 * app and the parameter.
 *
 * @example
 * formatDashboardLink({
 *   cluster: { name: 'prod', dashboardApp: 'gke', dashboardParameters: { projectId: 'p', region: 'europe-west1', clusterName: 'prod' } },
 *   object: { metadata: { name: 'web', namespace: 'shop' } },
 *   kind: 'Deployment',
 * });
 * // → 'https://console.cloud.google.com/kubernetes/deployment/europe-west1/prod/shop/web/overview?project=p'
 */
export function formatDashboardLink(request: DashboardLinkRequest): string | undefined {
  const { cluster, object } = request;
  if (!cluster.dashboardUrl && !cluster.dashboardParameters) return undefined;
  const app = cluster.dashboardApp ?? 'standard';
  const target: LinkTarget = {
    cluster: cluster.name,
    app,
    kind: request.kind ?? object?.kind ?? '',
    ...(cluster.dashboardParameters ? { parameters: cluster.dashboardParameters } : {}),
    ...(object ? { object } : {}),
    ...(request.origin ? { origin: request.origin } : {}),
  };
  if (cluster.dashboardUrl) {
    const url = parseHttpUrl(cluster.dashboardUrl);
    if (!url) throw dashboardError(target, 'dashboardUrl', 'is not an http(s) URL');
    if (!object) return cluster.dashboardUrl;
    target.dashboardUrl = url;
  }
  const formatter = Object.hasOwn(DASHBOARD_FORMATTERS, app) ? DASHBOARD_FORMATTERS[app] : undefined;
  if (!formatter) {
    throw dashboardError(
      target,
      'dashboardApp',
      `names no known dashboard app (expected one of: ${Object.keys(DASHBOARD_FORMATTERS).join(', ')})`,
    );
  }
  return formatter(target);
}

function parseHttpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}
