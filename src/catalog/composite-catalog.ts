import type { Entity } from '@backstage/catalog-model';
import type { CatalogSource, EntityFilter, EntityProblem, ListOptions } from './types.ts';

/**
 * Several sources read as one, in configuration order: the first source that knows a ref answers it,
 * lists and problems are concatenated. A failing source fails the call rather than silently hiding
 * its entities.
 */
export class CompositeCatalogSource implements CatalogSource {
  readonly description: string;
  readonly #sources: readonly CatalogSource[];

  constructor(sources: readonly CatalogSource[]) {
    this.#sources = [...sources];
    this.description = this.#sources.map((s) => s.description).join(' + ');
  }

  async getEntityByRef(ref: string, options: { signal?: AbortSignal } = {}): Promise<Entity | undefined> {
    for (const source of this.#sources) {
      const entity = await source.getEntityByRef(ref, options);
      if (entity) return entity;
    }
    return undefined;
  }

  async listEntities(filter: EntityFilter, options: ListOptions = {}): Promise<Entity[]> {
    // Sources page side by side, so no single running total exists: progress is not passed on.
    const { onPage: _progress, ...each } = options;
    const lists = await Promise.all(this.#sources.map((s) => s.listEntities(filter, each)));
    return lists.flat();
  }

  problems(): EntityProblem[] {
    return this.#sources.flatMap((s) => s.problems());
  }

  async reload(): Promise<void> {
    await Promise.all(this.#sources.map((s) => s.reload?.()));
  }
}
