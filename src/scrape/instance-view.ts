import type { InstanceProblem } from '../contract/instance-problems.ts';
import type { RunRecord, RunStatus } from '../store/types.ts';
import { safeEndpoint } from './secret-instance.ts';
import { isCatalogInstance, type DiscoveredInstance, type InstanceSource } from './types.ts';

/** `invalid`: the instance cannot run (bad Secret, unreadable Secret); `pending`: it has not run yet. */
export type InstanceStatus = RunStatus | 'invalid' | 'pending';

/** One Backstage instance as `GET /api/stitchboard/instances` shows it. Never holds the token. */
export interface InstanceView {
  name: string;
  source: InstanceSource;
  /** Without any credentials; null when the Secret gives no usable one, and for the configured catalog. */
  endpoint: string | null;
  hasToken: boolean;
  insecureSkipVerify: boolean;
  status: InstanceStatus;
  lastRun: RunRecord | null;
  /** What keeps the instance from running, else the last run's errors; null when all is well. */
  lastError: string | null;
  /** `invalid` because its Secret lacks a required key: that key (e.g. `endpoint`), never a value. */
  missingKey?: string;
}

export function instanceView(instance: DiscoveredInstance, lastRun: RunRecord | undefined): InstanceView {
  const runError =
    lastRun && lastRun.errors.length > 0 ? lastRun.errors.map((e) => e.message).join('; ') : null;
  if (!instance.ok) {
    return {
      name: instance.name,
      source: instance.source,
      endpoint: instance.endpoint ?? null,
      hasToken: false,
      insecureSkipVerify: false,
      status: 'invalid',
      lastRun: lastRun ?? null,
      lastError: instance.problem,
      ...(instance.missingKey !== undefined && { missingKey: instance.missingKey }),
    };
  }
  const ready = instance.instance;
  // The configured catalog has no endpoint or token of its own to show (a Backstage it reads stays private).
  const reach = isCatalogInstance(ready)
    ? { endpoint: null, hasToken: false, insecureSkipVerify: false }
    : {
        endpoint: safeEndpoint(ready.endpoint),
        hasToken: ready.token !== undefined,
        insecureSkipVerify: ready.insecureSkipVerify,
      };
  return {
    name: ready.name,
    source: ready.source,
    ...reach,
    status: lastRun?.status ?? 'pending',
    lastRun: lastRun ?? null,
    lastError: runError,
  };
}

/** An instance that cannot run, as the report lists it. */
export function instanceProblem(instance: Extract<DiscoveredInstance, { ok: false }>): InstanceProblem {
  const { source } = instance;
  return {
    instance: instance.name,
    ...(source.type === 'secret' && {
      secret: { cluster: source.cluster, namespace: source.namespace, name: source.name },
    }),
    ...(instance.missingKey !== undefined && { missingKey: instance.missingKey }),
    problem: instance.problem,
  };
}
