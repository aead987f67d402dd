/**
 * ServiceAccount tokens for tests, the way a real cluster hands them to Backstage: a
 * ServiceAccount, a (Cluster)Role with the given rules and its binding, then a token from the
 * TokenRequest API. There is no token controller and no `default` ServiceAccount on these clusters.
 */
import type { PolicyRule } from './aggregate-roles.ts';
import type { KubeClient } from './client.ts';

export type { PolicyRule } from './aggregate-roles.ts';

export interface ServiceAccountTokenOptions {
  /** Rules granted to the account; none means a token that authenticates but may do nothing. */
  rules?: PolicyRule[];
  /** Grant `rules` in every namespace (ClusterRole + ClusterRoleBinding) instead of only its own. */
  clusterWide?: boolean;
  /** Default one year; the server accepts no less than 600. */
  expirationSeconds?: number;
}

const RBAC = 'rbac.authorization.k8s.io/v1';

/** Returns the token. Idempotent: calling it again updates the rules and issues a new token. */
export async function serviceAccountToken(
  kube: KubeClient,
  namespace: string,
  name: string,
  options: ServiceAccountTokenOptions = {},
): Promise<string> {
  const { rules, clusterWide = false, expirationSeconds = 365 * 24 * 3600 } = options;
  await kube.ensureNamespace(namespace);
  await kube.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
  if (rules) {
    // ClusterRoles share one namespace-less space: the account's namespace keeps the names apart.
    const roleName = clusterWide ? `stitchboard:${namespace}:${name}` : name;
    const scope = clusterWide ? {} : { namespace };
    await kube.apply({
      apiVersion: RBAC,
      kind: clusterWide ? 'ClusterRole' : 'Role',
      metadata: { name: roleName, ...scope },
      rules,
    });
    await kube.apply({
      apiVersion: RBAC,
      kind: clusterWide ? 'ClusterRoleBinding' : 'RoleBinding',
      metadata: { name: roleName, ...scope },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: clusterWide ? 'ClusterRole' : 'Role',
        name: roleName,
      },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });
    await waitUntilAllowed(
      kube,
      `system:serviceaccount:${namespace}:${name}`,
      rules,
      clusterWide ? undefined : namespace,
    );
  }
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(name)}/token`;
  const res = await kube.call<{ status?: { token?: string } }>('POST', path, [200, 201], {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds } },
  });
  const token = res.status?.token;
  if (!token) {
    throw new Error(`TokenRequest for ${namespace}/${name} on ${kube.cluster.name} returned no token`);
  }
  return token;
}

/**
 * The RBAC authorizer reads through an informer cache, so a fresh binding takes a moment to count.
 * Asks a SubjectAccessReview for the first rule until it is allowed, so callers never see a stray 403.
 */
async function waitUntilAllowed(kube: KubeClient, user: string, rules: PolicyRule[], namespace?: string) {
  const rule = rules[0];
  if (!rule) return;
  const verb = rule.verbs[0] ?? 'get';
  const spec: Record<string, unknown> = { user };
  if (rule.nonResourceURLs?.length) {
    spec.nonResourceAttributes = { path: rule.nonResourceURLs[0], verb };
  } else {
    const [resource = '*', subresource] = (rule.resources?.[0] ?? '*').split('/');
    const group = rule.apiGroups?.[0] ?? '';
    spec.resourceAttributes = {
      namespace,
      verb,
      group: group === '*' ? '' : group,
      resource,
      subresource,
      name: rule.resourceNames?.[0],
    };
  }
  const review = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec };
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await kube.call<{ status?: { allowed?: boolean } }>(
      'POST',
      '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      [201],
      { body: review },
    );
    if (res.status?.allowed) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${user} on ${kube.cluster.name}: the new role binding did not take effect within 5 s`);
}
