import type { KubeObject } from '../../contract/kubernetes.ts';
import { matchesLabels, type Requirement } from '../../kube/label-selector.ts';
import { compareKeys, objectKey } from './slim-object.ts';
import { SubtreePool } from './subtree-pool.ts';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change to the store; `previous` is the object it replaced or removed. */
export interface StoreChange {
  type: ChangeType;
  object: KubeObject;
  previous?: KubeObject;
}

/** A read-only view of a set of object keys: one index entry, or the disjoint union of several. */
interface KeySet {
  readonly size: number;
  has(key: string): boolean;
  [Symbol.iterator](): Iterator<string>;
}

const EMPTY: KeySet = new Set<string>();

/** One pool for every store: the same templates recur across resources' informers and across clusters. */
const SHARED_POOL = new SubtreePool();

interface Entry {
  object: KubeObject;
  bytes: number;
}

/**
 * One resource's objects, indexed by namespace and by label (`key → value → object keys`), so a label
 * selector is answered from the index sets of its positive requirements (`=`, `in`, exists) and only the
 * candidates are checked against the rest (`!=`, `notin`, not exists). Objects (frozen by the caller) are
 * stored with their equal subtrees shared through a `SubtreePool`, and returned as stored: nothing is copied
 * on read. The stored instance is what `StoreChange.object` carries.
 */
export class ObjectStore {
  readonly #entries = new Map<string, Entry>();
  readonly #byNamespace = new Map<string, Set<string>>();
  readonly #byLabel = new Map<string, Map<string, Set<string>>>();
  readonly #pool: SubtreePool;
  #bytes = 0;
  #generation = 0;

  constructor(pool: SubtreePool = SHARED_POOL) {
    this.#pool = pool;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Approximate JSON size of the stored objects (what the caller passed as `bytes`). */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * A counter raised by every change to the stored objects (an upsert, even of an equal object, a removal):
   * while it stays the same, `select` gives the same instances for the same arguments.
   */
  get generation(): number {
    return this.#generation;
  }

  get(key: string): KubeObject | undefined {
    return this.#entries.get(key)?.object;
  }

  upsert(given: KubeObject, bytes: number): StoreChange {
    const key = objectKey(given);
    const object = this.#pool.intern(given);
    const old = this.#entries.get(key);
    if (old) this.#unindex(key, old);
    this.#index(key, { object, bytes });
    return old ? { type: 'MODIFIED', object, previous: old.object } : { type: 'ADDED', object };
  }

  remove(object: KubeObject): StoreChange | undefined {
    const key = objectKey(object);
    const old = this.#entries.get(key);
    if (!old) return undefined;
    this.#unindex(key, old);
    return { type: 'DELETED', object: old.object, previous: old.object };
  }

  /**
   * Makes the store hold exactly `objects` (a fresh LIST) and returns what changed. An object whose
   * resourceVersion did not change keeps its stored instance, so a relist costs no churn for it.
   */
  replaceAll(objects: readonly { object: KubeObject; bytes: number }[]): StoreChange[] {
    const changes: StoreChange[] = [];
    const seen = new Set<string>();
    for (const next of objects) {
      const key = objectKey(next.object);
      seen.add(key);
      const old = this.#entries.get(key);
      if (old && old.object.metadata?.resourceVersion === next.object.metadata?.resourceVersion) continue;
      changes.push(this.upsert(next.object, next.bytes));
    }
    for (const [key, old] of [...this.#entries]) {
      if (seen.has(key)) continue;
      this.#unindex(key, old);
      changes.push({ type: 'DELETED', object: old.object, previous: old.object });
    }
    return changes;
  }

  /**
   * Objects matching every requirement (and `namespace`, when given), in the API server's LIST order.
   * Cost: the smallest candidate set among the namespace and the positive requirements, not the store size.
   */
  select(requirements: readonly Requirement[], namespace?: string): KubeObject[] {
    const candidates: KeySet[] = [];
    if (namespace !== undefined) candidates.push(this.#byNamespace.get(namespace) ?? EMPTY);
    for (const r of requirements) {
      if (r.op === 'in') candidates.push(this.#valuesOf(r.key, r.values));
      else if (r.op === 'exists') candidates.push(this.#valuesOf(r.key));
    }
    const keys: string[] = [];
    if (candidates.length === 0) {
      for (const [key, entry] of this.#entries) {
        if (matchesLabels(requirements, entry.object.metadata?.labels)) keys.push(key);
      }
    } else {
      candidates.sort((a, b) => a.size - b.size);
      const [smallest, ...others] = candidates as [KeySet, ...KeySet[]];
      for (const key of smallest) {
        if (!others.every((set) => set.has(key))) continue;
        const entry = this.#entries.get(key) as Entry;
        if (matchesLabels(requirements, entry.object.metadata?.labels)) keys.push(key);
      }
    }
    keys.sort(compareKeys);
    return keys.map((key) => (this.#entries.get(key) as Entry).object);
  }

  /** Every stored object, in LIST order. */
  all(): KubeObject[] {
    return this.select([]);
  }

  /** Keys of objects whose label `key` has one of `values` (any value when omitted). */
  #valuesOf(key: string, values?: readonly string[]): KeySet {
    const byValue = this.#byLabel.get(key);
    if (!byValue) return EMPTY;
    const sets = values
      ? [...new Set(values)].map((v) => byValue.get(v)).filter((s) => s !== undefined)
      : [...byValue.values()];
    if (sets.length === 1) return sets[0] as Set<string>;
    return unionOf(sets);
  }

  #index(key: string, entry: Entry): void {
    this.#generation++;
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
    const namespace = entry.object.metadata?.namespace;
    if (namespace !== undefined) addTo(this.#byNamespace, namespace, key);
    for (const [label, value] of Object.entries(entry.object.metadata?.labels ?? {})) {
      let byValue = this.#byLabel.get(label);
      if (!byValue) this.#byLabel.set(label, (byValue = new Map()));
      addTo(byValue, value, key);
    }
  }

  #unindex(key: string, entry: Entry): void {
    this.#generation++;
    this.#pool.release(entry.object);
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
    const namespace = entry.object.metadata?.namespace;
    if (namespace !== undefined) removeFrom(this.#byNamespace, namespace, key);
    for (const [label, value] of Object.entries(entry.object.metadata?.labels ?? {})) {
      const byValue = this.#byLabel.get(label);
      if (!byValue) continue;
      removeFrom(byValue, value, key);
      if (byValue.size === 0) this.#byLabel.delete(label);
    }
  }
}

function addTo(index: Map<string, Set<string>>, value: string, key: string): void {
  let set = index.get(value);
  if (!set) index.set(value, (set = new Set()));
  set.add(key);
}

function removeFrom(index: Map<string, Set<string>>, value: string, key: string): void {
  const set = index.get(value);
  if (!set) return;
  set.delete(key);
  if (set.size === 0) index.delete(value);
}

/** An object has one value per label key, so the value sets of one key are disjoint: sizes add up. */
function unionOf(sets: readonly Set<string>[]): KeySet {
  return {
    size: sets.reduce((n, s) => n + s.size, 0),
    has: (key) => sets.some((s) => s.has(key)),
    *[Symbol.iterator]() {
      for (const s of sets) yield* s;
    },
  };
}
