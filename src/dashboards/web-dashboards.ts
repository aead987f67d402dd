import { kindRoute } from '../contract/kinds.ts';
import { encodedNames, requireUrl, withTrailingSlash, type Formatter } from './link-target.ts';

// Links into dashboards served at a `dashboardUrl`, as Backstage's kubernetes-react formatters build them.
// Each app's page per kind is in the kind table (contract/kinds.ts).

/** Kubernetes Dashboard: an Angular app, so the whole route, query included, lives in the hash. */
export const standard: Formatter = (target) => {
  const url = withTrailingSlash(requireUrl(target));
  const { name, namespace } = encodedNames(target);
  const kind = kindRoute('standard', target.kind)?.route;
  if (kind && name && namespace) url.hash = `/${kind}/${namespace}/${name}`;
  else if (namespace) url.hash = '/workloads';
  if (namespace) url.hash += `?namespace=${namespace}`;
  return url.toString();
};

/** Rancher's cluster explorer. */
export const rancher: Formatter = (target) => {
  const base = withTrailingSlash(requireUrl(target));
  const { name, namespace } = encodedNames(target);
  const kind = kindRoute('rancher', target.kind)?.route;
  let path = '';
  if (kind && name && namespace) path = `explorer/${kind}/${namespace}/${name}`;
  else if (namespace) path = 'explorer/workload';
  return new URL(path, base).toString();
};

/** The OpenShift web console: namespaced objects under `k8s/ns`, the rest under `k8s/cluster`. */
export const openshift: Formatter = (target) => {
  const base = withTrailingSlash(requireUrl(target));
  const { name, namespace } = encodedNames(target);
  const kind = kindRoute('openshift', target.kind)?.route;
  let path = '';
  if (namespace) {
    path = name && kind ? `k8s/ns/${namespace}/${kind}/${name}` : `k8s/cluster/projects/${namespace}`;
  } else if (kind) {
    path = name ? `k8s/cluster/${kind}/${name}` : `k8s/cluster/${kind}`;
  }
  return new URL(path, base).toString();
};
