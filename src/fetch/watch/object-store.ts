import type { KubeObject } from '../../contract/kubernetes.ts';
import { matchesLabels, type Requirement } from '../../kube/label-selector.ts';
import { compareListOrder } from './slim-object.ts';
import { SubtreePool } from './subtree-pool.ts';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change to the store; `previous` is the object it replaced or removed. */
export interface StoreChange {
  type: ChangeType;
  object: KubeObject;
  previous?: KubeObject;
}

type Labels = Readonly<Record<string, string>>;

/** The group of objects without labels (a `Map` key needs an identity). */
const NO_LABELS: Labels = Object.freeze({});

/** One pool for every store: the same templates recur across resources' informers and across clusters. */
const SHARED_POOL = new SubtreePool();

/**
 * One resource's objects, by namespace and name, grouped by their `labels` object: the pool gives the 50 pods
 * of a ReplicaSet one `labels` instance, so they form one group, and the label index (`key → value → labels`)
 * points at groups, not objects. A label selector is answered from the index sets of its positive requirements
 * (`=`, `in`, exists); every requirement is checked once per candidate group, and the group's objects are taken
 * whole. An object costs two map entries whatever its labels (it is its own key: nothing is built per object),
 * where a key string and an index entry per label cost about five times that. Objects (frozen by the caller)
 * are stored with their equal subtrees shared through a `SubtreePool`, and returned as stored: nothing is
 * copied on read. The stored instance is what `StoreChange.object` carries.
 */
export class ObjectStore {
  /** Namespace (`''` for cluster-scoped objects) → name → object. */
  readonly #byNamespace = new Map<string, Map<string, KubeObject>>();
  readonly #byLabels = new Map<Labels, Set<KubeObject>>();
  readonly #byLabel = new Map<string, Map<string, Set<Labels>>>();
  readonly #pool: SubtreePool;
  #size = 0;
  #bytes = 0;
  #generation = 0;

  constructor(pool: SubtreePool = SHARED_POOL) {
    this.#pool = pool;
  }

  get size(): number {
    return this.#size;
  }

  /** Approximate size of the stored objects: the length of their JSON. */
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

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.#byNamespace.get(namespace ?? '')?.get(name);
  }

  upsert(given: KubeObject): StoreChange {
    // Interned before the old object is released, so the subtrees they share stay pooled.
    const object = this.#pool.intern(given);
    const old = this.#stored(given);
    if (old) this.#unindex(old);
    this.#index(object);
    return old ? { type: 'MODIFIED', object, previous: old } : { type: 'ADDED', object };
  }

  remove(object: KubeObject): StoreChange | undefined {
    const old = this.#stored(object);
    if (!old) return undefined;
    this.#unindex(old);
    return { type: 'DELETED', object: old, previous: old };
  }

  /**
   * Makes the store hold exactly `objects` (a fresh LIST) and returns what changed. An object whose
   * resourceVersion did not change keeps its stored instance, so a relist costs no churn for it.
   */
  replaceAll(objects: readonly KubeObject[]): StoreChange[] {
    const changes: StoreChange[] = [];
    const kept = new Set<KubeObject>();
    for (const next of objects) {
      const old = this.#stored(next);
      if (old && old.metadata?.resourceVersion === next.metadata?.resourceVersion) {
        kept.add(old);
        continue;
      }
      const change = this.upsert(next);
      kept.add(change.object);
      changes.push(change);
    }
    for (const byName of [...this.#byNamespace.values()]) {
      for (const old of [...byName.values()]) {
        if (kept.has(old)) continue;
        this.#unindex(old);
        changes.push({ type: 'DELETED', object: old, previous: old });
      }
    }
    return changes;
  }

  /**
   * Objects matching every requirement (and `namespace`, when given), in the API server's LIST order. Cost:
   * the candidate groups of the smallest positive requirement, or the namespace when it holds fewer objects.
   */
  select(requirements: readonly Requirement[], namespace?: string): KubeObject[] {
    const inNamespace = namespace === undefined ? undefined : this.#byNamespace.get(namespace);
    if (namespace !== undefined && !inNamespace) return [];
    const groups = this.#candidateGroups(requirements);
    const matches: KubeObject[] = [];
    if (inNamespace && inNamespace.size < (groups ? this.#objectsIn(groups) : this.#size)) {
      for (const object of inNamespace.values()) {
        if (matchesLabels(requirements, object.metadata?.labels)) matches.push(object);
      }
    } else {
      for (const labels of groups ?? this.#byLabels.keys()) {
        if (!matchesLabels(requirements, labels)) continue;
        for (const object of this.#byLabels.get(labels) as Set<KubeObject>) {
          if (namespace === undefined || object.metadata?.namespace === namespace) matches.push(object);
        }
      }
    }
    return matches.sort(compareListOrder);
  }

  /** Every stored object, in LIST order. */
  all(): KubeObject[] {
    return this.select([]);
  }

  #stored(object: KubeObject): KubeObject | undefined {
    return this.get(object.metadata?.namespace, object.metadata?.name ?? '');
  }

  /** The label groups to check: those of the positive requirement with the fewest; undefined for every group. */
  #candidateGroups(requirements: readonly Requirement[]): Labels[] | undefined {
    let smallest: Labels[] | undefined;
    for (const r of requirements) {
      if (r.op !== 'in' && r.op !== 'exists') continue;
      const byValue = this.#byLabel.get(r.key);
      const sets = !byValue ? [] : r.op === 'in' ? r.values.map((v) => byValue.get(v)) : byValue.values();
      const groups = new Set<Labels>();
      for (const set of sets) if (set) for (const labels of set) groups.add(labels);
      if (!smallest || groups.size < smallest.length) smallest = [...groups];
    }
    return smallest;
  }

  #objectsIn(groups: readonly Labels[]): number {
    return groups.reduce((n, labels) => n + (this.#byLabels.get(labels) as Set<KubeObject>).size, 0);
  }

  #index(object: KubeObject): void {
    this.#generation++;
    this.#size++;
    this.#bytes += JSON.stringify(object).length;
    const namespace = object.metadata?.namespace ?? '';
    let byName = this.#byNamespace.get(namespace);
    if (!byName) this.#byNamespace.set(namespace, (byName = new Map()));
    byName.set(object.metadata?.name ?? '', object);
    const labels = labelsOf(object);
    const group = this.#byLabels.get(labels);
    if (group) {
      group.add(object);
      return;
    }
    this.#byLabels.set(labels, new Set([object]));
    for (const [key, value] of Object.entries(labels)) {
      let byValue = this.#byLabel.get(key);
      if (!byValue) this.#byLabel.set(key, (byValue = new Map()));
      let set = byValue.get(value);
      if (!set) byValue.set(value, (set = new Set()));
      set.add(labels);
    }
  }

  #unindex(object: KubeObject): void {
    this.#generation++;
    this.#size--;
    this.#bytes -= JSON.stringify(object).length;
    this.#pool.release(object);
    const namespace = object.metadata?.namespace ?? '';
    const byName = this.#byNamespace.get(namespace) as Map<string, KubeObject>;
    byName.delete(object.metadata?.name ?? '');
    if (byName.size === 0) this.#byNamespace.delete(namespace);
    const labels = labelsOf(object);
    const group = this.#byLabels.get(labels) as Set<KubeObject>;
    group.delete(object);
    if (group.size > 0) return;
    this.#byLabels.delete(labels);
    for (const [key, value] of Object.entries(labels)) {
      const byValue = this.#byLabel.get(key) as Map<string, Set<Labels>>;
      const set = byValue.get(value) as Set<Labels>;
      set.delete(labels);
      if (set.size === 0) byValue.delete(value);
      if (byValue.size === 0) this.#byLabel.delete(key);
    }
  }
}

function labelsOf(object: KubeObject): Labels {
  return object.metadata?.labels ?? NO_LABELS;
}
