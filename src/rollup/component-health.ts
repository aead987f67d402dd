import type { KubeObject, ObjectsByEntityResponse } from '../contract/kubernetes.ts';
import type { ComponentHealth } from '../contract/stitchboard.ts';
import { statusOf } from './component-summary.ts';
import { detectClusterErrors } from '../objects/detect-errors.ts';

/** Ready as `kubectl get pods` reads it: the pod's `Ready` condition is `True`. */
export function podReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: { type?: string; status?: string }[] } | undefined)
    ?.conditions;
  return (conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/**
 * One component's health from its objects across clusters (the fan-out's answer, served from the
 * watch cache or read live): the health rule is the Components page's (`statusOf`, Backstage's
 * detected errors), and the pod and error counts come from the same objects. Pure.
 */
export function componentHealth(
  response: ObjectsByEntityResponse,
  now: number = Date.now(),
): ComponentHealth {
  const detected = response.items.flatMap((item) => detectClusterErrors(item, now));
  const pods = response.items.flatMap(
    (item) => item.resources.find((r) => r.type === 'pods')?.resources ?? [],
  );
  const byKind: Record<string, number> = {};
  for (const e of detected) byKind[e.type] = (byKind[e.type] ?? 0) + 1;
  return {
    ...statusOf(response, detected.length),
    pods: { ready: pods.filter(podReady).length, total: pods.length },
    errors: { total: detected.length, byKind },
  };
}
