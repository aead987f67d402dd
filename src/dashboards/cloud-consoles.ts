import { kindRoute } from '../contract/kinds.ts';
import { dashboardError, encodedNames, requireParameter, type Formatter } from './link-target.ts';

// Links into the cloud providers' consoles, built from `dashboardParameters` alone; each console's page per
// kind is in the kind table (contract/kinds.ts).

/**
 * Google Cloud console (Backstage's GKE formatter; the gke locator's `exposeDashboard` sets these
 * parameters). Backstage adds `authuser=<Google e-mail>` from the browser's sign-in; a server has none.
 */
export const gke: Formatter = (target) => {
  const projectId = requireParameter(target, 'projectId');
  const region = encodeURIComponent(requireParameter(target, 'region'));
  const clusterName = encodeURIComponent(requireParameter(target, 'clusterName'));
  const { name, namespace } = encodedNames(target);
  const kind = kindRoute('gke', target.kind)?.route;
  const path =
    kind && name && namespace
      ? `kubernetes/${kind}/${region}/${clusterName}/${namespace}/${name}/${kind === 'pod' || kind === 'ingress' ? 'details' : 'overview'}`
      : `kubernetes/clusters/details/${region}/${clusterName}/details`;
  const url = new URL(path, 'https://console.cloud.google.com/');
  url.searchParams.set('project', projectId);
  return url.toString();
};

const AKS_BLADE =
  'https://portal.azure.com/#blade/Microsoft_Azure_ContainerService/AksK8ResourceMenuBlade/overview-Deployment/aksClusterId';

/**
 * Azure portal (Backstage's AKS formatter): the AKS resource blade takes the cluster's resource id and
 * the object as JSON. Without an object, the cluster's own portal page.
 */
export const aks: Formatter = (target) => {
  const subscriptionId = requireParameter(target, 'subscriptionId');
  const resourceGroup = requireParameter(target, 'resourceGroup');
  const clusterName = requireParameter(target, 'clusterName');
  const clusterId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${clusterName}`;
  if (!target.object) return `https://portal.azure.com/#resource${clusterId}/overview`;
  const { name, namespace, uid } = target.object.metadata ?? {};
  const spec = target.object.spec as { selector?: unknown } | undefined;
  const resource = {
    kind: target.kind,
    metadata: { name, namespace, uid },
    spec: { selector: spec?.selector },
  };
  return `${AKS_BLADE}/${encodeURIComponent(clusterId)}/resource/${encodeURIComponent(JSON.stringify(resource))}`;
};

/** `eu-west-1`, `us-gov-east-1`, `ap-southeast-3`: the region becomes part of the host name, so it is checked. */
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * AWS console (Backstage leaves EKS unimplemented). URL forms as the EKS console serves them:
 * - cluster: `https://<region>.console.aws.amazon.com/eks/clusters/<cluster>?region=<region>`
 * - resources tab: the same with `&selectedTab=cluster-resources-tab&selectedResourceId=<plural>`
 * - one object: `/eks/clusters/<cluster>/<plural>/<name>?namespace=<ns>&region=<region>`
 * docs/dashboards.md says where each form was seen. Only the commercial partition's console host.
 */
export const eks: Formatter = (target) => {
  const region = requireParameter(target, 'region');
  if (!AWS_REGION.test(region)) {
    throw dashboardError(target, 'dashboardParameters.region', 'is not an AWS region name (e.g. eu-west-1)');
  }
  const clusterName = requireParameter(target, 'clusterName');
  const base = `https://${region}.console.aws.amazon.com/eks/clusters/${encodeURIComponent(clusterName)}`;
  const page = kindRoute('eks', target.kind);
  const plural = page?.route;
  const { name, namespace } = target.object?.metadata ?? {};
  const scoped = page ? !page.namespaced : false;
  const query = new URLSearchParams();
  if (plural && name && (namespace || scoped)) {
    if (!scoped && namespace) query.set('namespace', namespace);
    query.set('region', region);
    return `${base}/${plural}/${encodeURIComponent(name)}?${query.toString()}`;
  }
  query.set('region', region);
  if (target.object) {
    query.set('selectedTab', 'cluster-resources-tab');
    if (plural) query.set('selectedResourceId', plural);
  }
  return `${base}?${query.toString()}`;
};
