import { typeName } from '../config/path.ts';
import { kindRoute } from '../contract/kinds.ts';
import { dashboardError, type Formatter, type LinkTarget } from './link-target.ts';

// Headlamp (headlamp.dev), as Backstage's HeadlampClusterLinksFormatter links into it: the route goes
// in a `to` query parameter, `/c/<cluster>/<resource path>`; the path per kind is in the kind table.

/**
 * `dashboardUrl` is Headlamp's address; or `dashboardParameters.internal: true` means Headlamp is served
 * by the UI itself, at `origin` + `headlampRoute` (default `/headlamp`). `clusterName` is the cluster's
 * name in Headlamp (default `default`).
 */
export const headlamp: Formatter = (target) => {
  const parameters = target.parameters ?? {};
  const internal = parameters.internal === true || parameters.internal === 'true';
  if (!target.dashboardUrl && !internal) {
    throw dashboardError(target, 'dashboardUrl', 'is required unless dashboardParameters.internal is true');
  }
  const base = internal
    ? internalBase(target, parameters.headlampRoute)
    : new URL(target.dashboardUrl?.href ?? '');
  if (!target.object) return base.toString();
  const clusterName = parameters.clusterName ?? 'default';
  if (typeof clusterName !== 'string' || clusterName === '') {
    throw dashboardError(
      target,
      'dashboardParameters.clusterName',
      `must be a non-empty string, not ${typeName(clusterName)}`,
    );
  }
  base.searchParams.set('to', `/c/${clusterName}/${resourcePath(target)}`);
  return base.toString();
};

function resourcePath(target: LinkTarget): string {
  const { name, namespace } = target.object?.metadata ?? {};
  if (!name) {
    throw dashboardError(
      target,
      `the ${target.kind || 'object'}'s metadata.name`,
      'is required for a Headlamp link',
    );
  }
  const page = kindRoute('headlamp', target.kind);
  if (page?.namespaced) {
    if (!namespace) {
      throw dashboardError(
        target,
        `the ${target.kind}'s metadata.namespace`,
        'is required for a Headlamp link',
      );
    }
    return `${page.route}/${namespace}/${name}`;
  }
  if (page) return `${page.route}/${name}`;
  throw dashboardError(target, `kind "${target.kind}"`, 'has no Headlamp page Stitchboard knows');
}

function internalBase(target: LinkTarget, route: unknown): URL {
  if (!target.origin) {
    throw dashboardError(
      target,
      'dashboardParameters.internal',
      'needs the address the UI is served from, and none was given',
    );
  }
  if (route !== undefined && (typeof route !== 'string' || !route.startsWith('/'))) {
    throw dashboardError(target, 'dashboardParameters.headlampRoute', 'must be a path starting with "/"');
  }
  const base = new URL(target.origin);
  base.pathname = typeof route === 'string' && route !== '' ? route : '/headlamp';
  return base;
}
