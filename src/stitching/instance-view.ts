import type { InstanceProblem } from '../contract/instance-problems.ts';
import type { InstanceView, RunRecord } from '../contract/stitchboard.ts';
import { safeEndpoint } from './secret-instance.ts';
import { isCatalogInstance, type DiscoveredInstance } from './types.ts';

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
