import type { IncomingHttpHeaders } from 'node:http';
import type { KubernetesRequestAuth } from '../../contract/kubernetes.ts';

/** Backstage's proxy headers (`HEADER_KUBERNETES_CLUSTER`, `HEADER_KUBERNETES_AUTH`), lower-cased as Node gives them. */
export const CLUSTER_HEADER = 'backstage-kubernetes-cluster';
export const AUTH_HEADER = 'backstage-kubernetes-authorization';

/** A header's one value; a repeated header is ambiguous and counts as absent. */
export function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The caller's tokens from `Backstage-Kubernetes-Authorization-<framework>[-<provider>]` headers, in the
 * shape the query routes get in their body: `…-google: T` → `{ google: T }`, `…-oidc-okta: T` →
 * `{ oidc: { okta: T } }`. Names are lower-cased (Node already did), as Backstage matches them.
 *
 * @example
 * requestAuthFromHeaders({ 'backstage-kubernetes-authorization-oidc-okta': 'T' }); // { oidc: { okta: 'T' } }
 */
export function requestAuthFromHeaders(headers: IncomingHttpHeaders): KubernetesRequestAuth {
  const auth: KubernetesRequestAuth = {};
  const prefix = `${AUTH_HEADER}-`;
  for (const name of Object.keys(headers)) {
    if (!name.startsWith(prefix)) continue;
    const value = singleHeader(headers, name);
    const [framework, ...rest] = name.slice(prefix.length).split('-');
    if (value === undefined || !framework) continue;
    if (rest.length === 0) {
      auth[framework] = value;
      continue;
    }
    const existing = auth[framework];
    const providers = typeof existing === 'object' ? existing : {};
    auth[framework] = { ...providers, [rest.join('-')]: value };
  }
  return auth;
}
