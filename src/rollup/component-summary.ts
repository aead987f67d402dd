import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { ObjectsByEntityResponse } from '../contract/kubernetes.ts';
import type { ComponentStatus, ComponentSummary } from '../contract/stitchboard.ts';
import { healthOf } from '../objects/detect-errors.ts';
import { parseOwnerRef } from '../topology/owner.ts';

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);

export function summarize(entity: Entity): ComponentSummary {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const summary: ComponentSummary = {
    ref: stringifyEntityRef(entity),
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  };
  const optional = {
    title: str(entity.metadata.title),
    description: str(entity.metadata.description),
    type: str(spec.type),
    owner: str(spec.owner),
    system: str(spec.system),
    lifecycle: str(spec.lifecycle),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) Object.assign(summary, { [k]: v });
  // Backstage's reading of spec.owner, as stitching does; an owner that cannot own is shown, linked to nothing.
  const owner = optional.owner ? parseOwnerRef(optional.owner, summary.namespace) : undefined;
  if (owner?.ok) summary.ownerRef = owner.ref.toLowerCase();
  return summary;
}

/** Case-insensitive match of every word of `q` against name, title, owner, system, type and lifecycle. */
export function matchesQuery(summary: ComponentSummary, q: string): boolean {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const hay = [summary.ref, summary.title, summary.owner, summary.system, summary.type, summary.lifecycle]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  return words.every((w) => hay.includes(w));
}

export function statusOf(
  response: ObjectsByEntityResponse,
  detectedErrors: number,
  now: number = Date.now(),
): ComponentStatus {
  const clusters = response.items
    .filter((i) => i.resources.some((r) => r.resources.length > 0))
    .map((i) => i.cluster.name);
  const clusterErrors = response.items.filter((i) => i.errors.length > 0).map((i) => i.cluster.name);
  const health = clusters.length === 0 && clusterErrors.length === 0 ? 'none' : healthOf(response, now);
  return { clusters, clusterErrors, health, detectedErrors };
}

/**
 * Computes statuses for a list of components: at most `concurrency` fan-outs at once, each result
 * kept `ttlMs` so paging back and forth, several people on one page, and the team and system
 * rollups (which ask for every component) reuse it.
 */
export class StatusCache<T = ComponentStatus> {
  readonly #ttlMs: number;
  readonly #concurrency: number;
  readonly #entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(options: { ttlMs: number; concurrency: number }) {
    this.#ttlMs = options.ttlMs;
    this.#concurrency = options.concurrency;
  }

  async statuses(refs: string[], compute: (ref: string) => Promise<T>): Promise<T[]> {
    const now = Date.now();
    for (const [ref, entry] of this.#entries) if (now - entry.at > this.#ttlMs) this.#entries.delete(ref);
    const results: Promise<T>[] = new Array(refs.length);
    let next = 0;
    const worker = async () => {
      while (next < refs.length) {
        const i = next++;
        const ref = refs[i] as string;
        let entry = this.#entries.get(ref);
        if (!entry) {
          entry = { at: Date.now(), value: compute(ref) };
          this.#entries.set(ref, entry);
          // A failed computation is not cached: the next view retries it.
          entry.value.catch(() => this.#entries.delete(ref));
        }
        results[i] = entry.value;
        await entry.value.catch(() => undefined);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, refs.length) }, worker));
    return Promise.all(results);
  }
}
