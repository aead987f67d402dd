/**
 * A map with a size bound (least recently used goes first) and an age bound (an entry older than
 * `ttlMs` since it was made is rebuilt), Backstage's `proxy.middlewareCache` `maxSize` and `ttl`.
 * `onEvict` hears about every entry that leaves, so it can release what the entry holds.
 *
 * @example
 * const agents = new BoundedCache<string, Agent>({ maxSize: 100, ttlMs: 60_000, onEvict: (a) => a.destroy() });
 * const agent = agents.getOrCreate(key, () => new Agent());
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, { value: V; createdAt: number }>();
  readonly #maxSize: number;
  readonly #ttlMs: number;
  readonly #onEvict: (value: V) => void;
  readonly #now: () => number;

  constructor(options: { maxSize: number; ttlMs: number; onEvict?: (value: V) => void; now?: () => number }) {
    this.#maxSize = Math.max(1, options.maxSize);
    this.#ttlMs = options.ttlMs;
    this.#onEvict = options.onEvict ?? (() => {});
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  getOrCreate(key: K, create: () => V): V {
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (entry && now - entry.createdAt < this.#ttlMs) {
      // Re-inserting moves it to the end: Map order is the recency order.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return entry.value;
    }
    if (entry) this.#remove(key, entry.value);
    const value = create();
    this.#entries.set(key, { value, createdAt: now });
    while (this.#entries.size > this.#maxSize) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [K, { value: V }];
      this.#remove(oldestKey, oldest.value);
    }
    return value;
  }

  /** Empties the cache; `release` replaces `onEvict` for these entries when given. */
  clear(release: (value: V) => void = this.#onEvict): void {
    const values = [...this.#entries.values()].map((entry) => entry.value);
    this.#entries.clear();
    values.forEach(release);
  }

  #remove(key: K, value: V): void {
    this.#entries.delete(key);
    this.#onEvict(value);
  }
}
