import type { KubeObject } from '../../src/contract/kubernetes.ts';
import type { KubeClient } from '../kube/client.ts';

/** A component's workload as a real cluster would hold it: Deployment → ReplicaSet → Pods, plus a Service. */
export interface WorkloadSpec {
  name: string;
  namespace: string;
  /** Labels on every object and in the pod template (selection happens on these). */
  labels: Record<string, string>;
  replicas: number;
  image?: string;
  /** Status written through `/status`, since no controller or kubelet runs here. Default: running and ready. */
  podState?: 'running' | 'crashloop' | 'pending';
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

const ownerRef = (kind: string, apiVersion: string, owner: KubeObject) => ({
  apiVersion,
  kind,
  name: owner.metadata?.name ?? '',
  uid: owner.metadata?.uid ?? '',
  controller: true,
  blockOwnerDeletion: true,
});

/**
 * Creates the objects with ownerReferences (uids from the server) and statuses, so the Backstage UI and
 * ours can group pods under their Deployment exactly as on a real cluster. Pods are created `concurrency`
 * at a time; returns the number of objects created.
 */
export async function seedWorkload(client: KubeClient, spec: WorkloadSpec, concurrency = 8): Promise<number> {
  const { name, namespace, labels, replicas } = spec;
  const image = spec.image ?? `registry.example.com/${name}:1.4.2`;
  const container = {
    name: 'app',
    image,
    ports: [{ containerPort: 8080 }],
    ...(spec.resources ? { resources: spec.resources } : {}),
  };
  const template = { metadata: { labels }, spec: { containers: [container] } };
  const deployment: KubeObject = await client.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: { replicas, selector: { matchLabels: labels }, template },
  });
  const hash = (deployment.metadata?.uid ?? '').slice(0, 8);
  const rsLabels = { ...labels, 'pod-template-hash': hash };
  const replicaSet: KubeObject = await client.apply({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${name}-${hash}`,
      namespace,
      labels: rsLabels,
      ownerReferences: [ownerRef('Deployment', 'apps/v1', deployment)],
    },
    spec: {
      replicas,
      selector: { matchLabels: rsLabels },
      template: { ...template, metadata: { labels: rsLabels } },
    },
  });
  await client.apply({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels },
    spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
  });
  const pods = Array.from({ length: replicas }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-${hash}-${i.toString(36).padStart(5, '0')}`,
      namespace,
      labels: rsLabels,
      ownerReferences: [ownerRef('ReplicaSet', 'apps/v1', replicaSet)],
    },
    spec: { containers: [container] },
  }));
  await client.createMany(pods, concurrency);
  const state = spec.podState ?? 'running';
  if (state !== 'pending') {
    const status = podStatus(state);
    await runLimited(pods, concurrency, (p) =>
      client.patchStatus(`/api/v1/namespaces/${namespace}/pods/${p.metadata.name}`, status),
    );
  }
  const ready = state === 'running' ? replicas : 0;
  const rsPath = `/apis/apps/v1/namespaces/${namespace}/replicasets/${replicaSet.metadata?.name ?? ''}`;
  await client.patchStatus(rsPath, {
    replicas,
    readyReplicas: ready,
    availableReplicas: ready,
    fullyLabeledReplicas: replicas,
  });
  await client.patchStatus(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`, {
    replicas,
    readyReplicas: ready,
    availableReplicas: ready,
    updatedReplicas: replicas,
    conditions: [
      {
        type: 'Available',
        status: ready === replicas ? 'True' : 'False',
        reason: ready === replicas ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
        message:
          ready === replicas
            ? 'Deployment has minimum availability.'
            : 'Deployment does not have minimum availability.',
      },
    ],
  });
  return 3 + replicas;
}

function podStatus(state: 'running' | 'crashloop') {
  const now = new Date().toISOString();
  const running = state === 'running';
  return {
    phase: 'Running',
    startTime: now,
    conditions: [{ type: 'Ready', status: running ? 'True' : 'False', lastTransitionTime: now }],
    containerStatuses: [
      {
        name: 'app',
        ready: running,
        restartCount: running ? 0 : 7,
        image: 'app',
        imageID: '',
        state: running
          ? { running: { startedAt: now } }
          : {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: 'back-off 5m0s restarting failed container=app',
              },
            },
        ...(running ? {} : { lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: now } } }),
      },
    ],
  };
}

async function runLimited<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}
