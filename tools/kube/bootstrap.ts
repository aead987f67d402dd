/**
 * What a fresh API server needs before tests use it, done on every start (all idempotent): the
 * read-only user's role and binding, the aggregated ClusterRoles filled, and the kubeconfig files.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { aggregateClusterRoles } from './aggregate-roles.ts';
import type { ClusterRoleLike } from './aggregate-roles.ts';
import type { KubeClient, KubeList } from './client.ts';

const RBAC = 'rbac.authorization.k8s.io/v1';
const CLUSTER_ROLES = `/apis/${RBAC}/clusterroles`;

export async function bootstrapRbac(kube: KubeClient): Promise<void> {
  await kube.apply({
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: { name: 'readonly' },
    rules: [
      { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
      { nonResourceURLs: ['*'], verbs: ['get'] },
    ],
  });
  await kube.apply({
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'readonly' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'readonly' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'readonly' }],
  });
  await fillAggregatedRoles(kube);
}

/**
 * view/edit/admin get their rules from a controller that does not run here. Filled once per start
 * from the roles their selectors match at that moment; roles added later are not aggregated.
 */
export async function fillAggregatedRoles(kube: KubeClient): Promise<number> {
  const roles = await kube.get<KubeList<ClusterRoleLike>>(CLUSTER_ROLES);
  const updates = aggregateClusterRoles(roles.items);
  for (const [name, rules] of updates) {
    await kube.call('PATCH', `${CLUSTER_ROLES}/${encodeURIComponent(name)}`, [200], {
      body: { rules },
      contentType: 'application/merge-patch+json',
    });
  }
  return updates.size;
}

export interface KubeconfigInput {
  cluster: string;
  url: string;
  caData: string;
  user: string;
  token: string;
}

/** A kubeconfig with the CA embedded and a bearer token; mode 0600, replaced atomically. */
export function writeKubeconfig(file: string, k: KubeconfigInput): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: k.cluster, cluster: { server: k.url, 'certificate-authority-data': k.caData } }],
    users: [{ name: k.user, user: { token: k.token } }],
    contexts: [{ name: k.cluster, context: { cluster: k.cluster, user: k.user } }],
    'current-context': k.cluster,
  };
  writeFileSync(`${file}.tmp`, stringify(config), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
