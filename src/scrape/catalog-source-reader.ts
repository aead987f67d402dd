import { isStitchboardError, messageOf, StitchboardError } from '../errors/errors.ts';
import type { CatalogRead, CatalogReadOptions } from './catalog-reader.ts';
import type { CatalogInstance } from './types.ts';

/**
 * `readCatalog` for `scrapers.catalog`: the same Components, Groups and Users, taken from the app's own
 * catalog source (files, or a Backstage it already reads) instead of the Catalog API. Whole entities
 * come back: the source holds them already, so there is nothing to project. All or nothing, like
 * `readCatalog`: a source that fails (or fails to reload) throws, and the run writes nothing. `requests` counts the two
 * queries, so a run that read its catalog never shows the `0` of a re-stitch.
 */
export async function readCatalogSource(
  instance: CatalogInstance,
  options: CatalogReadOptions,
): Promise<CatalogRead> {
  const { catalog } = instance;
  const signal = options.signal ? { signal: options.signal } : {};
  try {
    // Files are a snapshot: each run reads them again, so an edited catalog is stitched without a restart.
    await catalog.reload?.();
    options.signal?.throwIfAborted();
    const components = await catalog.listEntities({ kinds: ['Component'] }, signal);
    await options.onPage?.('components', components.length);
    options.signal?.throwIfAborted();
    const owners = await catalog.listEntities({ kinds: ['Group', 'User'] }, signal);
    await options.onPage?.('owners', owners.length);
    const groups = owners.filter((e) => e.kind.toLowerCase() === 'group');
    const users = owners.filter((e) => e.kind.toLowerCase() === 'user');
    options.logger.debug(
      { instance: instance.name, components: components.length, groups: groups.length, users: users.length },
      'catalog read',
    );
    return { components, groups, users, requests: 2 };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (isStitchboardError(error)) throw error;
    throw new StitchboardError(
      'CATALOG_UNAVAILABLE',
      `the configured catalog (${catalog.description}) could not be read: ${messageOf(error)}`,
      { cause: error },
    );
  }
}
