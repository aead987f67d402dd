import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { StatusCache } from './component-summary.ts';
import type { KubernetesObjectsService } from '../objects/types.ts';
import type { ComponentHealth } from '../contract/stitchboard.ts';
import { componentHealth } from './component-health.ts';

export interface HealthSourceOptions {
  /** How long a component's health is reused. */
  ttlMs: number;
  /** How many components' fan-outs run at once, per request. */
  concurrency: number;
}

export const DEFAULT_HEALTH_OPTIONS: HealthSourceOptions = { ttlMs: 15_000, concurrency: 4 };

/**
 * Components' health from the object source: the same fan-out Backstage's routes answer with, so a
 * watch-mode cluster is read from its informer cache and a live-mode cluster with one request per
 * object type. One instance is shared by the Components page and the rollups, so whichever asks
 * first pays for a component's fan-out and the others reuse it for `ttlMs`.
 */
export class ComponentHealthSource {
  readonly #objects: KubernetesObjectsService;
  readonly #cache: StatusCache<ComponentHealth>;

  constructor(objects: KubernetesObjectsService, options: HealthSourceOptions = DEFAULT_HEALTH_OPTIONS) {
    this.#objects = objects;
    this.#cache = new StatusCache<ComponentHealth>(options);
  }

  /** Each entity's health, in the order given; at most `concurrency` fan-outs at once. */
  async healthOf(entities: readonly Entity[]): Promise<ComponentHealth[]> {
    const byRef = new Map(entities.map((entity) => [stringifyEntityRef(entity), entity]));
    const health = await this.#cache.statuses([...byRef.keys()], async (ref) =>
      componentHealth(await this.#objects.getObjectsByEntity({ entity: byRef.get(ref) as Entity, auth: {} })),
    );
    const byRefHealth = new Map([...byRef.keys()].map((ref, i) => [ref, health[i] as ComponentHealth]));
    return entities.map((entity) => byRefHealth.get(stringifyEntityRef(entity)) as ComponentHealth);
  }
}
