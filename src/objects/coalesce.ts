/**
 * Identical concurrent calls share one in-flight promise: ten browser tabs polling the same component
 * every 10 seconds cost the clusters one fan-out, not ten. Nothing is cached once the call settles.
 */
export class Coalescer<T> {
  readonly #inFlight = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.#inFlight.get(key);
    if (existing) return existing;
    const promise = work().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return promise;
  }

  get size(): number {
    return this.#inFlight.size;
  }
}
