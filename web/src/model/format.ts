import type { KubeObject } from '../types.ts';

/** "3m", "5h", "12d": how long ago `iso` was, as kubectl prints ages. */
export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (Number.isNaN(seconds)) return '—';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** CPU arrives in cores (Backstage's ClientPodStatus); shown in millicores. */
export function cpu(cores: number | string | undefined): string {
  const n = Number(cores ?? 0);
  if (!n) return '0m';
  return `${Math.round(n * 1000)}m`;
}

/** Memory arrives in bytes, as a number or a decimal string; shown in MiB. */
export function memory(bytes: number | string | undefined): string {
  const n = Number(bytes ?? 0);
  if (!n) return '0Mi';
  const mib = n / 1024 / 1024;
  return `${mib < 10 ? mib.toFixed(1) : Math.round(mib)}Mi`;
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
}

export interface PodFacts {
  phase: string;
  /** What is wrong, when something is: the first waiting/terminated reason. */
  reason?: string;
  ready: number;
  containers: number;
  restarts: number;
}

export function podFacts(pod: KubeObject): PodFacts {
  const status = (pod.status ?? {}) as { phase?: string; containerStatuses?: ContainerStatus[] };
  const spec = (pod.spec ?? {}) as { containers?: unknown[] };
  const statuses = status.containerStatuses ?? [];
  const reason = statuses.map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason).find(Boolean);
  return {
    phase: status.phase ?? 'Unknown',
    ...(reason ? { reason } : {}),
    ready: statuses.filter((c) => c.ready).length,
    containers: spec.containers?.length ?? statuses.length,
    restarts: statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0),
  };
}

/** "2/3" ready for Deployments, StatefulSets, DaemonSets and ReplicaSets. */
export function replicas(object: KubeObject): string | undefined {
  const spec = (object.spec ?? {}) as { replicas?: number };
  const status = (object.status ?? {}) as {
    readyReplicas?: number;
    replicas?: number;
    numberReady?: number;
    desiredNumberScheduled?: number;
  };
  if (status.desiredNumberScheduled !== undefined) {
    return `${status.numberReady ?? 0}/${status.desiredNumberScheduled}`;
  }
  // No status yet (no controller has looked at it): say nothing rather than a misleading 0/n.
  if (status.replicas === undefined && status.readyReplicas === undefined) return undefined;
  const want = spec.replicas ?? status.replicas;
  if (want === undefined) return undefined;
  return `${status.readyReplicas ?? 0}/${want}`;
}

export const objectName = (o: KubeObject) => o.metadata?.name ?? '(unnamed)';
