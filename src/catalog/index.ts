import type { CatalogSourceConfig } from '../config/types.ts';
import type { Logger } from '../shared/logger.ts';
import { BackstageCatalogSource } from './backstage-catalog.ts';
import { CompositeCatalogSource } from './composite-catalog.ts';
import { FileCatalogSource } from './file-catalog.ts';
import type { CatalogSource } from './types.ts';

export { BackstageCatalogSource } from './backstage-catalog.ts';
export { CompositeCatalogSource } from './composite-catalog.ts';
export { FileCatalogSource } from './file-catalog.ts';
export { normalizeRef } from './entity-ref.ts';
export type { CatalogSource, EntityFilter, EntityProblem } from './types.ts';

/**
 * The catalog described by `stitchboard.catalog`: one source per entry, combined in order when there
 * are several. File sources are read now, so a missing path fails startup.
 */
export async function buildCatalogSource(
  configs: readonly CatalogSourceConfig[],
  deps: { logger: Logger },
): Promise<CatalogSource> {
  const sources: CatalogSource[] = [];
  for (const config of configs) {
    if (config.type === 'file') {
      sources.push(await FileCatalogSource.load({ paths: config.paths, logger: deps.logger }));
    } else {
      sources.push(
        new BackstageCatalogSource({
          endpoint: config.endpoint,
          ...(config.token === undefined ? {} : { token: config.token }),
          insecureSkipVerify: config.insecureSkipVerify,
          logger: deps.logger,
        }),
      );
    }
  }
  const [only] = sources;
  return sources.length === 1 && only ? only : new CompositeCatalogSource(sources);
}
