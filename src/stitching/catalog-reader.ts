import type { Entity } from '@backstage/catalog-model';
import { BackstageCatalogSource } from '../catalog/backstage-catalog.ts';
import type { CatalogSource } from '../catalog/types.ts';
import { isStitchboardError, messageOf, StitchboardError } from '../errors/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { componentFields, OWNER_FIELDS } from './catalog-fields.ts';
import { isCatalogInstance, type ResolvedInstance } from './types.ts';

export interface CatalogRead {
  components: Entity[];
  groups: Entity[];
  users: Entity[];
  /** Catalog requests made: Catalog API pages, or one per query for a source that answers at once. */
  requests: number;
}

export interface CatalogReadOptions {
  /** Bound on each Catalog API request. */
  timeoutMs: number;
  /** Entities per Catalog API page (default 500). */
  pageSize?: number;
  signal?: AbortSignal;
  logger: Logger;
  /** Called after every page with the running total of that query; the next page waits for its promise. */
  onPage?: (kind: 'components' | 'owners', entities: number) => void | Promise<void>;
}

/**
 * Reads what stitching needs from one instance: every Component, Group and User, projected to the
 * fields stitching reads. A Backstage instance is read over its Catalog API (a `BackstageCatalogSource`
 * with the instance's endpoint, token and TLS choice, for this read only); `scrapers.catalog` reads the
 * app's own source, reloaded first so edited catalog files are stitched without a restart. All or
 * nothing: a failure on any page (catalog down mid-paging, a rejected token, a slow answer) throws a
 * CATALOG_UNAVAILABLE error naming the endpoint, never the token.
 */
export async function readCatalog(
  instance: ResolvedInstance,
  options: CatalogReadOptions,
): Promise<CatalogRead> {
  if (isCatalogInstance(instance)) return readSource(instance.catalog, instance, options);
  const source = new BackstageCatalogSource({
    endpoint: instance.endpoint,
    ...(instance.token ? { token: instance.token } : {}),
    insecureSkipVerify: instance.insecureSkipVerify,
    timeoutMs: options.timeoutMs,
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    logger: options.logger,
  });
  try {
    return await readSource(source, instance, options);
  } finally {
    await source.close();
  }
}

async function readSource(
  source: CatalogSource,
  instance: ResolvedInstance,
  options: CatalogReadOptions,
): Promise<CatalogRead> {
  let requests = 0;
  const query = async (kind: 'components' | 'owners', kinds: string[], fields: readonly string[]) => {
    options.signal?.throwIfAborted();
    let pages = 0;
    const entities = await source.listEntities(
      { kinds },
      {
        fields,
        ...(options.signal ? { signal: options.signal } : {}),
        onPage: async (total) => {
          pages += 1;
          await options.onPage?.(kind, total);
        },
      },
    );
    // A source that answers at once (files) reports no pages: that answer is its one request.
    if (pages === 0) await options.onPage?.(kind, entities.length);
    requests += Math.max(pages, 1);
    return entities;
  };
  try {
    await source.reload?.();
    const components = await query('components', ['Component'], componentFields(instance.labelMap));
    const owners = await query('owners', ['Group', 'User'], OWNER_FIELDS);
    const groups = owners.filter((e) => e.kind.toLowerCase() === 'group');
    const users = owners.filter((e) => e.kind.toLowerCase() === 'user');
    options.logger.debug(
      {
        instance: instance.name,
        components: components.length,
        groups: groups.length,
        users: users.length,
        requests,
      },
      'catalog read',
    );
    return { components, groups, users, requests };
  } catch (error) {
    // The caller gave up (shutdown, lost leadership): not the catalog's failure.
    if (options.signal?.aborted) throw options.signal.reason;
    if (isStitchboardError(error)) throw error;
    throw new StitchboardError(
      'CATALOG_UNAVAILABLE',
      `the configured catalog (${source.description}) could not be read: ${messageOf(error)}`,
      { cause: error },
    );
  }
}
