import type { KubeObject } from '../contract/kubernetes.ts';

/**
 * Secrets are opt-in and never leave Stitchboard readable: every `data` and `stringData` value becomes
 * `***`, keeping the keys so a reader still sees which entries exist.
 */
export function maskSecret(secret: KubeObject): KubeObject {
  const masked: KubeObject = { ...secret };
  for (const field of ['data', 'stringData'] as const) {
    const values = secret[field];
    if (values && typeof values === 'object') {
      masked[field] = Object.fromEntries(Object.keys(values).map((k) => [k, '***']));
    }
  }
  return masked;
}

/** List items carry no `kind`; for custom resources Backstage stamps it from the list's kind. */
export function kindFromListKind(listKind: unknown): string | undefined {
  return typeof listKind === 'string' && listKind.endsWith('List')
    ? listKind.slice(0, -'List'.length)
    : undefined;
}
