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
 * The API server's LIST order: its etcd keys `<namespace>/<name>` (the name alone for cluster-scoped objects)
 * compared byte by byte, without building them. That is not "by namespace, then name": `a/x` sorts after
 * `a-b/y`. Within a namespace it is the names' order; across namespaces, `<namespace>/`'s (a namespace holds
 * no `/`, so neither prefix can contain the other, and the names never decide). A resource is either
 * namespaced or not, so the two kinds of key are never compared.
 */
export function compareListOrder(a: KubeObject, b: KubeObject): number {
  const an = a.metadata?.namespace ?? '';
  const bn = b.metadata?.namespace ?? '';
  if (an === bn) return compareBytes(a.metadata?.name ?? '', b.metadata?.name ?? '');
  return compareBytes(`${an}/`, `${bn}/`);
}

/** Byte order of UTF-8 keys; names and namespaces are ASCII, where UTF-16 code-unit order is the same. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
