import type { KubeClient } from '../../tools/kube/client.ts';

/** A namespaced custom resource type: the parts of a CustomResourceDefinition that differ between tests. */
export interface CrdSpec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  /** `metadata.annotations` of the CRD (e.g. `api-approved.kubernetes.io` for a `*.k8s.io` group). */
  annotations?: Record<string, string>;
  /** Serve a `/status` subresource, so `patchStatus` works on its objects. */
  status?: boolean;
}

/**
 * Argo's Rollout, as the fan-out and lab tests use it on `alpha`. One declaration for both: they apply
 * the same CRD to the same cluster, and whichever applies last decides what it serves.
 */
export const ROLLOUTS: CrdSpec = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  kind: 'Rollout',
  plural: 'rollouts',
  status: true,
};

/**
 * Applies the CRD of `spec` (objects of any shape: `x-kubernetes-preserve-unknown-fields`) and resolves
 * once the API server serves its list, which comes a moment after the CRD is Established.
 *
 * @example
 *   await applyCrd(alpha.client, { group: 'example.dev', version: 'v1', kind: 'Widget', plural: 'widgets' });
 */
export async function applyCrd(client: KubeClient, spec: CrdSpec, timeoutMs = 20_000): Promise<void> {
  const name = `${spec.plural}.${spec.group}`;
  await client.apply({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name, ...(spec.annotations ? { annotations: spec.annotations } : {}) },
    spec: {
      group: spec.group,
      scope: 'Namespaced',
      names: {
        plural: spec.plural,
        singular: spec.kind.toLowerCase(),
        kind: spec.kind,
        listKind: `${spec.kind}List`,
      },
      versions: [
        {
          name: spec.version,
          served: true,
          storage: true,
          ...(spec.status ? { subresources: { status: {} } } : {}),
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  });
  const list = `/apis/${spec.group}/${spec.version}/${spec.plural}`;
  const deadline = Date.now() + timeoutMs;
  while ((await client.request('GET', list)).status !== 200) {
    if (Date.now() > deadline) {
      throw new Error(`CRD ${name} not served on ${client.cluster.name} after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
