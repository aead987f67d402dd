import type { KubeObject } from '../../contract/kubernetes.ts';
import { inputError } from '../../errors/errors.ts';
import type { ChainStep, ServiceDetail, WhoOwnsResult } from '../../contract/stitchboard.ts';
import type { ClusterReader } from './components-cluster-reader.ts';

export interface WhoOwnsDeps {
  reader: ClusterReader;
  /** The stitched view of a Service (TopologyStore.getService); absent until stitching runs. */
  getService: (key: { cluster: string; namespace: string; service: string }) => Promise<ServiceDetail[]>;
}

type Selector = Record<string, string>;
const list = <T>(body: unknown) => ((body as { items?: T[] }).items ?? []) as T[];

/** A Service selects a pod when its (non-empty) selector is a subset of the pod's labels. */
export function selects(selector: Selector | undefined, labels: Record<string, string> = {}): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

const CONTROLLER_PATHS: Record<string, string> = {
  ReplicaSet: '/apis/apps/v1/namespaces/{ns}/replicasets/{name}',
  Job: '/apis/batch/v1/namespaces/{ns}/jobs/{name}',
};

/** The pod's controllers, up two levels (Pod → ReplicaSet → Deployment, Pod → Job → CronJob). */
async function controllerSteps(
  pod: KubeObject,
  cluster: string,
  reader: ClusterReader,
): Promise<ChainStep[]> {
  const namespace = pod.metadata?.namespace ?? '';
  const steps: ChainStep[] = [];
  let object: KubeObject | undefined = pod;
  for (let depth = 0; object && depth < 2; depth++) {
    const owners: NonNullable<KubeObject['metadata']>['ownerReferences'] = object.metadata?.ownerReferences;
    const owner = owners?.find((r) => r.controller);
    if (!owner) break;
    steps.push({ kind: owner.kind, name: owner.name, cluster, namespace, via: 'ownerReference' });
    const template: string | undefined = CONTROLLER_PATHS[owner.kind];
    if (!template) break;
    const path: string = template
      .replace('{ns}', encodeURIComponent(namespace))
      .replace('{name}', encodeURIComponent(owner.name));
    const answer: { ok: true; body: KubeObject } | { ok: false } = await reader.getJson<KubeObject>(
      cluster,
      path,
    );
    object = answer.ok ? answer.body : undefined;
  }
  return steps;
}

function stitchedSteps(details: ServiceDetail[]): ChainStep[] {
  return details.flatMap((d) => [
    {
      kind: 'Component',
      name: d.link.componentRef,
      via: `stitched by ${d.link.instance} (${d.link.match.kubernetesId.path})`,
    },
    ...(d.link.ownerRef
      ? [{ kind: 'Owner', name: d.link.ownerRef, via: d.link.match.owner?.path ?? 'spec.owner' }]
      : []),
  ]);
}

/**
 * "Who owns this?": `cluster/namespace/name` is a Service; anything else is a pod name, searched in
 * every cluster, then the Services whose selector matches the pod's labels, then what stitched them.
 */
export async function whoOwns(query: string, deps: WhoOwnsDeps): Promise<WhoOwnsResult> {
  const q = query.trim();
  if (!q) throw inputError('q: give a Service as cluster/namespace/name, or a pod name');
  const parts = q.split('/');
  if (parts.length === 3 && parts.every(Boolean)) {
    const [cluster, namespace, name] = parts as [string, string, string];
    const stitched = await deps.getService({ cluster, namespace, service: name });
    const chain: ChainStep[] = [
      { kind: 'Service', name, cluster, namespace, via: 'asked' },
      ...stitchedSteps(stitched),
    ];
    return {
      query: q,
      as: 'service',
      pods: [],
      answers: [{ service: { cluster, namespace, name }, stitched, chain }],
      clusterErrors: [],
    };
  }
  if (parts.length !== 1 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(q)) {
    throw inputError(`q: '${q}' is neither cluster/namespace/name nor a pod name`);
  }
  const result: WhoOwnsResult = { query: q, as: 'pod', pods: [], answers: [], clusterErrors: [] };
  const clusters = await deps.reader.clusterNames();
  const found = await Promise.all(
    clusters.map((c) => deps.reader.getJson(c, '/api/v1/pods', { fieldSelector: `metadata.name=${q}` })),
  );
  for (const [i, pods] of found.entries()) {
    const cluster = clusters[i] as string;
    if (!pods.ok) {
      result.clusterErrors.push({ cluster, error: pods.error });
      continue;
    }
    for (const pod of list<KubeObject>(pods.body)) {
      const namespace = pod.metadata?.namespace ?? '';
      result.pods.push({ cluster, namespace, name: q });
      const services = await deps.reader.getJson(
        cluster,
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/services`,
      );
      if (!services.ok) {
        result.clusterErrors.push({ cluster, error: services.error });
        continue;
      }
      const podSteps: ChainStep[] = [
        { kind: 'Pod', name: q, cluster, namespace, via: 'asked' },
        ...(await controllerSteps(pod, cluster, deps.reader)),
      ];
      for (const svc of list<KubeObject>(services.body)) {
        if (!selects((svc.spec as { selector?: Selector } | undefined)?.selector, pod.metadata?.labels)) {
          continue;
        }
        const name = svc.metadata?.name ?? '';
        const stitched = await deps.getService({ cluster, namespace, service: name });
        result.answers.push({
          service: { cluster, namespace, name },
          stitched,
          chain: [
            ...podSteps,
            { kind: 'Service', name, cluster, namespace, via: 'selector matches the pod’s labels' },
            ...stitchedSteps(stitched),
          ],
        });
      }
    }
  }
  return result;
}
