import type { KubeObject } from '../../contract/kubernetes.ts';
import { LAST_APPLIED_ANNOTATION, maskSecret, withoutBulk } from '../../kube/transform.ts';
import { deepFreeze } from '../../shared/deep-freeze.ts';

export { LAST_APPLIED_ANNOTATION };

export interface SlimOptions {
  /**
   * Built-in types list their items without `kind`/`apiVersion`, but watch events carry them: drop them so a
   * cached object is exactly a LIST item. Custom resources keep them in both.
   */
  stripTypeMeta: boolean;
  /** Secrets are masked before they are stored, so the cache never holds a secret value. */
  maskSecrets: boolean;
}

/**
 * A cached object: `metadata.managedFields` (about 40% of a small pod) and the last-applied annotation
 * removed, then deep-frozen so responses can share it without copying. Takes ownership of `raw`: its nested
 * objects are frozen in place, so pass a freshly parsed object.
 */
export function slimObject(raw: KubeObject, options: SlimOptions): KubeObject {
  let obj = withoutBulk(raw);
  if (options.stripTypeMeta && ('kind' in obj || 'apiVersion' in obj)) {
    const { kind: _kind, apiVersion: _apiVersion, ...rest } = obj;
    obj = rest;
  }
  if (options.maskSecrets) obj = maskSecret(obj);
  return deepFreeze(obj);
}

/**
 * The object's storage key as the API server orders LIST results: etcd keys `<namespace>/<name>` compared
 * byte by byte. Sorting these strings (not `(namespace, name)` pairs) matters: `a/x` sorts after `a-b/y`.
 */
export function objectKey(obj: KubeObject): string {
  const name = obj.metadata?.name ?? '';
  const namespace = obj.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

/** Byte order of UTF-8 keys; names and namespaces are ASCII, where UTF-16 code-unit order is the same. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
