import type { KubeObject } from '../src/contract/kubernetes.ts';
import type { BenchCluster } from './clusters.ts';

export const DICE = 'dice-roller';
const NAMESPACE = 'dice';

/**
 * A dice-roller-sized component, as the demo clusters hold it: per cluster a Deployment, its current and
 * previous ReplicaSet, a Service, a ConfigMap and 4 Pods with a realistic container (env, resources, probes,
 * mounts), plus an Ingress on the first cluster: 19 objects and about 42 KB of answer on 2 clusters.
 * Idempotent: objects that exist are left alone.
 */
export async function seedDiceRoller(cluster: BenchCluster, index: number): Promise<void> {
  const { admin } = cluster;
  await admin.ensureNamespace(NAMESPACE);
  const labels = { 'backstage.io/kubernetes-id': DICE, app: DICE, 'app.kubernetes.io/part-of': 'demo' };
  const container = {
    name: DICE,
    image: 'ghcr.io/example/dice-roller:1.4.2',
    ports: [{ name: 'http', containerPort: 8080 }],
    env: Array.from({ length: 8 }, (_, i) => ({
      name: `DICE_SETTING_${i}`,
      value: `value-${i}-${'x'.repeat(12)}`,
    })),
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
    livenessProbe: { httpGet: { path: '/live', port: 'http' }, periodSeconds: 10 },
    volumeMounts: [{ name: 'config', mountPath: '/etc/dice' }],
  };
  const spec = { containers: [container], volumes: [{ name: 'config', configMap: { name: DICE } }] };
  const annotations = {
    'example.com/team': 'team-dice',
    'example.com/runbook': 'https://runbooks.example.com/dice',
  };
  const template = { metadata: { labels, annotations }, spec };
  const selector = { matchLabels: { app: DICE } };
  const replicaSet = (hash: string, replicas: number): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${DICE}-${hash}`,
      namespace: NAMESPACE,
      labels: { ...labels, 'pod-template-hash': hash },
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: DICE, 'pod-template-hash': hash } },
      template: {
        ...template,
        metadata: { ...template.metadata, labels: { ...labels, 'pod-template-hash': hash } },
      },
    },
  });
  const objects: KubeObject[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: DICE, namespace: NAMESPACE, labels, annotations },
      spec: { replicas: 4, selector, template },
    },
    replicaSet('7d9f8c6b5d', 4),
    replicaSet('5b6c7d8e9f', 0),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: DICE, namespace: NAMESPACE, labels },
      spec: { selector: { app: DICE }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: DICE, namespace: NAMESPACE, labels },
      data: { 'dice.yaml': `faces: [1, 2, 3, 4, 5, 6]\n${'# tuning\n'.repeat(40)}` },
    },
    ...Array.from({ length: 4 }, (_, p) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${DICE}-7d9f8c6b5d-${'abcd'[p]}x${index}q`,
        namespace: NAMESPACE,
        labels: { ...labels, 'pod-template-hash': '7d9f8c6b5d' },
        annotations,
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: `${DICE}-7d9f8c6b5d`,
            uid: '00000000-0000-0000-0000-000000000000',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec,
    })),
  ];
  if (index === 0) {
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: DICE, namespace: NAMESPACE, labels },
      spec: {
        rules: [
          {
            host: 'dice.example.com',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: DICE, port: { name: 'http' } } },
                },
              ],
            },
          },
        ],
      },
    });
  }
  await admin.createMany(objects, 4);
}
