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

/** kubectl's copy of the whole object as last applied: often as big as the object, never shown. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The object without the bulk no response needs: `metadata.managedFields` (about 40% of a small pod) and the
 * last-applied annotation. Live and watch answers both go through it, so the two modes return identical
 * objects. Copies only what it changes; `raw` is not modified.
 */
export function withoutBulk(raw: KubeObject): KubeObject {
  if (!raw.metadata) return raw;
  // Rest spreads rather than `delete`, which would leave V8 objects in slower, larger dictionary mode.
  const { managedFields: _managedFields, ...metadata } = raw.metadata;
  const annotations = metadata.annotations;
  if (!annotations || !Object.hasOwn(annotations, LAST_APPLIED_ANNOTATION)) return { ...raw, metadata };
  const { [LAST_APPLIED_ANNOTATION]: _lastApplied, ...kept } = annotations;
  if (Object.keys(kept).length > 0) return { ...raw, metadata: { ...metadata, annotations: kept } };
  const { annotations: _annotations, ...withoutAnnotations } = metadata;
  return { ...raw, metadata: withoutAnnotations };
}
