import { KIND_OF_TYPE } from '../../../src/contract/kinds.ts';
import type { FetchResponse, KubeObject } from '../types.ts';

/**
 * Groups one cluster's objects the way people think of them: each workload with the pods it runs
 * (through ownerReferences: Deployment → ReplicaSet → Pod, CronJob → Job → Pod, StatefulSet/DaemonSet
 * → Pod) and the HPAs that scale it (by `spec.scaleTargetRef`). Pure; the same join Backstage's tab makes.
 */
export interface PodSet {
  /** The ReplicaSet or Job the pods belong to; the workload itself for StatefulSets and DaemonSets. */
  owner: KubeObject;
  pods: KubeObject[];
}

export interface Workload {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob' | 'Job';
  object: KubeObject;
  sets: PodSet[];
  hpas: KubeObject[];
}

export interface GroupedObjects {
  workloads: Workload[];
  /** Pods no listed workload owns. */
  otherPods: KubeObject[];
  services: KubeObject[];
  ingresses: KubeObject[];
  configMaps: KubeObject[];
  customResources: KubeObject[];
  /** Every other list the cluster returned (secrets, PVCs, ...), by type. */
  others: FetchResponse[];
}

const SHOWN = new Set([
  'pods',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
  'cronjobs',
  'horizontalpodautoscalers',
  'services',
  'ingresses',
  'configmaps',
  'customresources',
]);

const byName = (a: KubeObject, b: KubeObject) =>
  (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
const uid = (o: KubeObject) => o.metadata?.uid ?? '';

function ownedBy(children: KubeObject[], parent: KubeObject): KubeObject[] {
  const id = uid(parent);
  return children
    .filter((c) => id !== '' && c.metadata?.ownerReferences?.some((r) => r.uid === id))
    .sort(byName);
}

export function groupObjects(resources: readonly FetchResponse[]): GroupedObjects {
  const of = (type: string) => resources.find((r) => r.type === type)?.resources ?? [];
  const pods = of('pods');
  const replicaSets = of('replicasets');
  const jobs = of('jobs');
  const hpas = of('horizontalpodautoscalers');
  const claimed = new Set<string>();
  const claim = (list: KubeObject[]) => {
    for (const o of list) claimed.add(uid(o));
    return list;
  };
  const hpasFor = (kind: string, object: KubeObject) =>
    hpas.filter((h) => {
      const target = (h.spec as { scaleTargetRef?: { kind?: string; name?: string } } | undefined)
        ?.scaleTargetRef;
      return target?.kind === kind && target.name === object.metadata?.name;
    });
  const viaSets = (kind: Workload['kind'], object: KubeObject, middle: KubeObject[]): Workload => ({
    kind,
    object,
    sets: ownedBy(middle, object)
      .map((set) => ({ owner: set, pods: claim(ownedBy(pods, set)) }))
      // Old ReplicaSets scaled to zero carry nothing worth a row.
      .filter((s) => s.pods.length > 0 || Number((s.owner.spec as { replicas?: number })?.replicas ?? 1) > 0),
    hpas: hpasFor(kind, object),
  });
  const direct = (kind: Workload['kind'], object: KubeObject): Workload => ({
    kind,
    object,
    sets: [{ owner: object, pods: claim(ownedBy(pods, object)) }],
    hpas: hpasFor(kind, object),
  });

  const workloads: Workload[] = [
    ...of('deployments')
      .slice()
      .sort(byName)
      .map((d) => viaSets('Deployment', d, replicaSets)),
    ...of('statefulsets')
      .slice()
      .sort(byName)
      .map((s) => direct('StatefulSet', s)),
    ...of('daemonsets')
      .slice()
      .sort(byName)
      .map((s) => direct('DaemonSet', s)),
    ...of('cronjobs')
      .slice()
      .sort(byName)
      .map((c) => {
        const workload = viaSets('CronJob', c, jobs);
        for (const s of workload.sets) claimed.add(uid(s.owner));
        return workload;
      }),
  ];
  for (const job of jobs.slice().sort(byName)) {
    if (!claimed.has(uid(job))) workloads.push(direct('Job', job));
  }
  return {
    workloads,
    otherPods: pods.filter((p) => !claimed.has(uid(p))).sort(byName),
    services: of('services').slice().sort(byName),
    ingresses: of('ingresses').slice().sort(byName),
    configMaps: of('configmaps').slice().sort(byName),
    customResources: of('customresources').slice().sort(byName),
    others: resources.filter((r) => !SHOWN.has(r.type) && r.resources.length > 0),
  };
}

const KINDS: Readonly<Record<string, string | undefined>> = KIND_OF_TYPE;

/** The kind of an object in a list of `type` (API server list items carry no kind). */
export function kindOf(type: string, object: KubeObject): string {
  return object.kind || (KINDS[type] ?? type);
}

/** The dashboard link of one object (by uid), when the cluster's dashboard can show it. */
export function dashboardLinkOf(
  cluster: { dashboard: { objects: { uid?: string; url: string }[] } } | undefined,
  object: KubeObject,
): string | undefined {
  const uid = object.metadata?.uid;
  return uid ? cluster?.dashboard.objects.find((l) => l.uid === uid)?.url : undefined;
}
