import type { KubeObject } from '../../contract/kubernetes.ts';

interface Pooled {
  value: object;
  /** References from stored objects and from other pooled subtrees. */
  refs: number;
}

/**
 * What to pool of a subtree: it and its parts (`pool`), only its parts and its recurring strings
 * (`metadata`: it holds the name), or it as a whole (`whole`: a `status` is shared when equal, as Pending
 * pods' are, but its parts carry timestamps and IPs, so pooling them separately would cost more than it saves).
 */
type Place = 'pool' | 'metadata' | 'whole';

const placeOfTopLevel = (key: string): Place =>
  key === 'status' ? 'whole' : key === 'metadata' ? 'metadata' : 'pool';
const everywhere = (): Place => 'pool';

/**
 * `metadata` strings that recur: a namespace's objects share its name, a ReplicaSet's pods their
 * `generateName` and mostly their creation second. `JSON.parse` gives every object its own copy of each
 * (of any string over 10 characters), some 40 bytes apiece.
 */
const RECURRING_STRINGS: ReadonlySet<string> = new Set(['namespace', 'generateName', 'creationTimestamp']);

/**
 * Equal subtrees of cached objects stored once: the 50 pods of a ReplicaSet have one `spec`, one
 * `ownerReferences` and one `labels` between them, across every cluster, and the recurring strings of their
 * `metadata` (namespace, `generateName`, creation time) once, so a pod costs little more than its name, uid,
 * resourceVersion and status. Subtrees are frozen and compared by their JSON, so a shared one serializes
 * exactly as the original did; each is reference-counted and dropped with its last user. The object and its
 * `metadata` themselves are never pooled (they hold the name), and `status` only as a whole.
 */
export class SubtreePool {
  readonly #pooled = new Map<number, Pooled>();
  readonly #strings = new Map<string, { value: string; refs: number }>();

  /** How many distinct subtrees and recurring strings are held. */
  get size(): number {
    return this.#pooled.size + this.#strings.size;
  }

  /** `object` (frozen) with its poolable subtrees replaced by the pooled equal ones; counts the new references. */
  intern(object: KubeObject): KubeObject {
    return this.#children(object, placeOfTopLevel) as KubeObject;
  }

  /** Drops the references `intern` counted for `object` (the value `intern` returned). */
  release(object: KubeObject): void {
    this.#releaseChildren(object, placeOfTopLevel);
  }

  #intern(node: object, deep: boolean): object {
    const json = JSON.stringify(node);
    const hash = hashOf(json);
    const found = this.#pooled.get(hash);
    if (found && JSON.stringify(found.value) === json) {
      found.refs++;
      return found.value;
    }
    const value = deep ? this.#children(node, everywhere) : node;
    // A hash collision with a different subtree leaves this one unpooled (its children are pooled).
    if (!found) this.#pooled.set(hash, { value, refs: 1 });
    return value;
  }

  #release(node: object, deep: boolean): void {
    const hash = hashOf(JSON.stringify(node));
    const found = this.#pooled.get(hash);
    if (found?.value === node) {
      if (--found.refs > 0) return;
      this.#pooled.delete(hash);
    }
    if (deep) this.#releaseChildren(node, everywhere);
  }

  /**
   * `node` with each object child interned as `placeOf` says, and with `strings` its recurring strings; a
   * copy only when a child changed (an interned string is equal to the one it replaces, so it always does).
   */
  #children(node: object, placeOf: (key: string) => Place, strings = false): object {
    let copy: Record<string, unknown> | unknown[] | undefined;
    for (const [key, child] of Object.entries(node)) {
      let next: unknown;
      if (typeof child === 'string') {
        if (!strings || !RECURRING_STRINGS.has(key)) continue;
        next = this.#internString(child);
      } else if (child && typeof child === 'object') {
        const place = placeOf(key);
        next =
          place === 'metadata'
            ? this.#children(child, everywhere, true)
            : this.#intern(child, place === 'pool');
        if (next === child) continue;
      } else continue;
      copy ??= Array.isArray(node) ? [...node] : { ...node };
      (copy as Record<string, unknown>)[key] = next;
    }
    return copy ? Object.freeze(copy) : node;
  }

  #releaseChildren(node: object, placeOf: (key: string) => Place, strings = false): void {
    for (const [key, child] of Object.entries(node)) {
      if (typeof child === 'string') {
        if (strings && RECURRING_STRINGS.has(key)) this.#releaseString(child);
      } else if (child && typeof child === 'object') {
        const place = placeOf(key);
        if (place === 'metadata') this.#releaseChildren(child, everywhere, true);
        else this.#release(child, place === 'pool');
      }
    }
  }

  #internString(value: string): string {
    const found = this.#strings.get(value);
    if (found) {
      found.refs++;
      return found.value;
    }
    this.#strings.set(value, { value, refs: 1 });
    return value;
  }

  #releaseString(value: string): void {
    const found = this.#strings.get(value);
    if (found && --found.refs === 0) this.#strings.delete(value);
  }
}

/** FNV-1a over UTF-16 code units, kept in V8's small-integer range so the map keys need no boxing. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash & 0x3fffffff;
}
