import type { KubeObject } from '../../src/contract/kubernetes.ts';

/** A bare Pod (no controller, no kubelet here to run it) with `labels`, as the fan-out tests seed them. */
export function podObject(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  image = 'shop:1',
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'app', image }] },
  };
}
