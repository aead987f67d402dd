import type { Entity } from '@backstage/catalog-model';

/** A problem with one entity that was skipped while loading (file catalogs report file and line). */
export interface EntityProblem {
  location: string;
  message: string;
}

export interface EntityFilter {
  /** Entity kinds to keep, compared case-insensitively (`Component`, `Group`, `User`, `Resource`). */
  kinds?: string[];
  /** Keep entities with this `spec.type` (case-insensitive). */
  specType?: string;
}

export interface ListOptions {
  signal?: AbortSignal;
  /**
   * Dotted entity fields the caller reads (`metadata.name`, `spec.owner`): a source that asks a server
   * (the Catalog API's `fields=`) lets only those travel. Sources holding whole entities return them whole.
   */
  fields?: readonly string[];
  /**
   * Told after each page with the running total; the next page waits for its promise. Sources that
   * answer in one step (files) never call it.
   */
  onPage?: (entities: number) => void | Promise<void>;
}

/**
 * Where entities come from. Two implementations: the embedded file catalog and the Backstage
 * Catalog API. Both answer refs case-insensitively, as Backstage does.
 */
export interface CatalogSource {
  /** Human-readable origin for logs and status, never containing a token. */
  readonly description: string;
  getEntityByRef(ref: string, options?: { signal?: AbortSignal }): Promise<Entity | undefined>;
  /** All entities matching the filter, paging internally. */
  listEntities(filter: EntityFilter, options?: ListOptions): Promise<Entity[]>;
  /** Entities skipped as invalid on the last load (always empty for sources that validate upstream). */
  problems(): EntityProblem[];
  /**
   * Re-reads a source that holds a snapshot (files). Absent where every call is already fresh (the
   * Catalog API). A failed reload throws and keeps the previous entities.
   */
  reload?(): Promise<void>;
}
