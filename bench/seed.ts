import type { KubeObject } from '../src/contract/kubernetes.ts';
import type { BenchCluster } from './clusters.ts';

export const NAMESPACE = 'bench';
export const COMPONENTS = 100;
export const componentName = (i: number) => `svc-${String(i).padStart(3, '0')}`;

/**
 * Brings a cluster to `podsPerComponent` pods for each of the 100 components, each with its
 * Deployment, ReplicaSet and Service, all labelled `backstage.io/kubernetes-id=<component>`.
 * Idempotent and incremental: a second call with a larger number only adds the missing pods.
 */
export async function seedCluster(
  cluster: BenchCluster,
  podsPerComponent: number,
): Promise<{ created: number; ms: number }> {
  const started = performance.now();
  const { admin } = cluster;
  await admin.ensureNamespace(NAMESPACE);
  const existing = await admin.get<{ items: unknown[]; metadata?: { remainingItemCount?: number } }>(
    `/api/v1/namespaces/${NAMESPACE}/pods`,
    { limit: '1' },
  );
  const pods = existing.items.length + (existing.metadata?.remainingItemCount ?? 0);
  // Seeded already (one POST per object otherwise, each answered 409): nothing to do.
  if (pods >= COMPONENTS * podsPerComponent) {
    return { created: 0, ms: Math.round(performance.now() - started) };
  }
  const objects: KubeObject[] = [];
  for (let i = 0; i < COMPONENTS; i++) {
    const name = componentName(i);
    const labels = { 'backstage.io/kubernetes-id': name, app: name };
    const template = {
      metadata: { labels },
      spec: { containers: [{ name: 'app', image: `registry.example.com/${name}:1` }] },
    };
    if (existing.items.length === 0) {
      objects.push(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name, namespace: NAMESPACE, labels },
          spec: { replicas: podsPerComponent, selector: { matchLabels: labels }, template },
        },
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name: `${name}-rs`, namespace: NAMESPACE, labels },
          spec: { replicas: podsPerComponent, selector: { matchLabels: labels }, template },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, namespace: NAMESPACE, labels },
          spec: { selector: labels, ports: [{ port: 80 }] },
        },
      );
    }
    for (let p = 0; p < podsPerComponent; p++) {
      objects.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${name}-${String(p).padStart(3, '0')}`,
          namespace: NAMESPACE,
          labels,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: `${name}-rs`,
              uid: '00000000-0000-0000-0000-000000000000',
            },
          ],
        },
        spec: template.spec,
      });
    }
  }
  const result = await admin.createMany(objects, 16);
  return { created: result.created, ms: Math.round(performance.now() - started) };
}
