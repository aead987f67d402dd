import { encodedNames, lowerKind, requireUrl, withTrailingSlash, type Formatter } from './link-target.ts';

// Links into dashboards served at a `dashboardUrl`, as Backstage's kubernetes-react formatters build them.

const STANDARD_KINDS: Record<string, string> = {
  deployment: 'deployment',
  pod: 'pod',
  ingress: 'ingress',
  service: 'service',
  horizontalpodautoscaler: 'deployment',
  statefulset: 'statefulset',
};

/** Kubernetes Dashboard: an Angular app, so the whole route, query included, lives in the hash. */
export const standard: Formatter = (target) => {
  const url = withTrailingSlash(requireUrl(target));
  const { name, namespace } = encodedNames(target);
  const kind = STANDARD_KINDS[lowerKind(target)];
  if (kind && name && namespace) url.hash = `/${kind}/${namespace}/${name}`;
  else if (namespace) url.hash = '/workloads';
  if (namespace) url.hash += `?namespace=${namespace}`;
  return url.toString();
};

const RANCHER_KINDS: Record<string, string> = {
  deployment: 'apps.deployment',
  ingress: 'networking.k8s.io.ingress',
  service: 'service',
  horizontalpodautoscaler: 'autoscaling.horizontalpodautoscaler',
};

/** Rancher's cluster explorer. */
export const rancher: Formatter = (target) => {
  const base = withTrailingSlash(requireUrl(target));
  const { name, namespace } = encodedNames(target);
  const kind = RANCHER_KINDS[lowerKind(target)];
  let path = '';
  if (kind && name && namespace) path = `explorer/${kind}/${namespace}/${name}`;
  else if (namespace) path = 'explorer/workload';
  return new URL(path, base).toString();
};

const OPENSHIFT_KINDS: Record<string, string> = {
  deployment: 'deployments',
  ingress: 'ingresses',
  service: 'services',
  horizontalpodautoscaler: 'horizontalpodautoscalers',
  persistentvolume: 'persistentvolumes',
};

/** The OpenShift web console: namespaced objects under `k8s/ns`, the rest under `k8s/cluster`. */
export const openshift: Formatter = (target) => {
  const base = withTrailingSlash(requireUrl(target));
  const { name, namespace } = encodedNames(target);
  const kind = OPENSHIFT_KINDS[lowerKind(target)];
  let path = '';
  if (namespace) {
    path = name && kind ? `k8s/ns/${namespace}/${kind}/${name}` : `k8s/cluster/projects/${namespace}`;
  } else if (kind) {
    path = name ? `k8s/cluster/${kind}/${name}` : `k8s/cluster/${kind}`;
  }
  return new URL(path, base).toString();
};
