import type { ClientContainerStatus, ClientPodStatus, KubeObject } from '../contract/kubernetes.ts';
import { parseQuantity } from '../kube/quantity.ts';

export interface PodMetricsList {
  items?: {
    metadata?: { name?: string };
    containers?: { name: string; usage?: { cpu?: string; memory?: string } }[];
  }[];
}

interface ContainerSpec {
  name: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

/**
 * Backstage's `podMetrics` shape: every listed pod appears (zero usage and no containers when it has no
 * metrics), matched by pod name. CPU is in cores (a number), memory in bytes (a decimal string, 0 when
 * zero). Unlike @kubernetes/client-node's topPods, the pod's memory request total is the sum of requests.
 */
export function podMetricsFor(pods: readonly KubeObject[], metrics: PodMetricsList): ClientPodStatus[] {
  const byName = new Map((metrics.items ?? []).map((m) => [m.metadata?.name, m]));
  return pods.map((pod) => {
    const specs = ((pod.spec as { containers?: ContainerSpec[] } | undefined)?.containers ??
      []) as ContainerSpec[];
    const usage = byName.get(pod.metadata?.name)?.containers ?? [];
    const containers: ClientContainerStatus[] = usage.map((c) => {
      const spec = specs.find((s) => s.name === c.name);
      return {
        container: c.name,
        cpuUsage: {
          currentUsage: cores(c.usage?.cpu),
          requestTotal: cores(spec?.resources?.requests?.cpu),
          limitTotal: cores(spec?.resources?.limits?.cpu),
        },
        memoryUsage: {
          currentUsage: bytes(parseQuantity(c.usage?.memory)),
          requestTotal: bytes(parseQuantity(spec?.resources?.requests?.memory)),
          limitTotal: bytes(parseQuantity(spec?.resources?.limits?.memory)),
        },
      };
    });
    const sum = (pick: (s: ContainerSpec) => string | undefined) =>
      specs.reduce((total, s) => total + (parseQuantity(pick(s)) ?? 0), 0);
    return {
      pod,
      cpu: {
        currentUsage: round(usage.reduce((t, c) => t + (parseQuantity(c.usage?.cpu) ?? 0), 0)),
        requestTotal: round(sum((s) => s.resources?.requests?.cpu)),
        limitTotal: round(sum((s) => s.resources?.limits?.cpu)),
      },
      memory: {
        currentUsage: bytes(usage.reduce((t, c) => t + (parseQuantity(c.usage?.memory) ?? 0), 0)),
        requestTotal: bytes(sum((s) => s.resources?.requests?.memory)),
        limitTotal: bytes(sum((s) => s.resources?.limits?.memory)),
      },
      containers,
    };
  });
}

const cores = (q: string | undefined) => round(parseQuantity(q) ?? 0);
/** Float noise from `m`/`n` suffixes would show as 0.30000000000000004 cores. */
const round = (n: number) => Math.round(n * 1e9) / 1e9;
const bytes = (n: number | undefined) => (n ? String(Math.round(n)) : 0);
