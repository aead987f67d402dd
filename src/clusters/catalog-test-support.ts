import type { Entity } from '@backstage/catalog-model';
import { stringify } from 'yaml';

/** A base64 PEM that passes the caData shape check; not a real certificate. */
export const TEST_CA = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n',
).toString('base64');

/** A `kubernetes-cluster` Resource with the three required annotations; `undefined` removes one. */
export function clusterResource(
  name: string,
  annotations: Record<string, string | undefined>,
  options: { namespace?: string; title?: string } = {},
): Entity {
  const base: Record<string, string> = {
    'kubernetes.io/api-server': 'https://kube.example.com:6443',
    'kubernetes.io/api-server-certificate-authority': TEST_CA,
    'kubernetes.io/auth-provider': 'google',
  };
  const merged = Object.fromEntries(
    Object.entries({ ...base, ...annotations }).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      ...(options.title ? { title: options.title } : {}),
      annotations: merged,
    },
    spec: { type: 'kubernetes-cluster', owner: 'team-a' },
  };
}

/** Entities as one multi-document catalog file. */
export function catalogYaml(entities: readonly Entity[]): string {
  return entities.map((e) => stringify(e)).join('---\n');
}
