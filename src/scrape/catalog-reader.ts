import { CatalogClient } from '@backstage/catalog-client';
import type { Entity } from '@backstage/catalog-model';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { toCatalogError } from '../catalog/catalog-error.ts';
import type { Logger } from '../shared/logger.ts';
import { componentFields, OWNER_FIELDS } from './catalog-fields.ts';
import { safeEndpoint } from './secret-instance.ts';
import type { BackstageInstance } from './types.ts';

export interface CatalogRead {
  components: Entity[];
  groups: Entity[];
  users: Entity[];
  /** Catalog API requests made (pages). */
  requests: number;
}

export interface CatalogReadOptions {
  /** Bound on each request. */
  timeoutMs: number;
  /** Entities per page (default 500). */
  pageSize?: number;
  signal?: AbortSignal;
  logger: Logger;
  /** Called after every page with the running total of that query; the next page waits for its promise. */
  onPage?: (kind: 'components' | 'owners', entities: number) => void | Promise<void>;
}

/**
 * Reads what stitching needs from one Backstage: every Component, Group and User, through
 * `GET /api/catalog/entities/by-query` with cursor paging and a `fields=` projection, so only the
 * fields stitching reads travel. All or nothing: a failure on any page (catalog down mid-paging, a
 * rejected token, a slow answer) throws a CATALOG_UNAVAILABLE error naming the endpoint, never the token.
 */
export async function readCatalog(
  instance: BackstageInstance,
  options: CatalogReadOptions,
): Promise<CatalogRead> {
  const endpoint = safeEndpoint(instance.endpoint);
  const context = {
    endpoint,
    timeoutMs: options.timeoutMs,
    ...(instance.token ? { token: instance.token } : {}),
  };
  const dispatcher = instance.insecureSkipVerify
    ? new Agent({ connect: { rejectUnauthorized: false } })
    : undefined;
  const client = new CatalogClient({
    discoveryApi: { getBaseUrl: async () => `${instance.endpoint}/api/catalog` },
    fetchApi: { fetch: boundedFetch(instance.token, options, dispatcher) },
  });
  let requests = 0;
  const query = async (kind: 'components' | 'owners', filter: Record<string, string>[], fields: string[]) => {
    const limit = options.pageSize ?? 500;
    const items: Entity[] = [];
    let cursor: string | undefined;
    do {
      options.signal?.throwIfAborted();
      const request = cursor ? { cursor, limit, fields } : { filter, limit, fields };
      requests += 1;
      const page = await client.queryEntities(request);
      items.push(...page.items);
      await options.onPage?.(kind, items.length);
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return items;
  };

  try {
    const components = await query('components', [{ kind: 'component' }], componentFields(instance.labelMap));
    const owners = await query('owners', [{ kind: 'group' }, { kind: 'user' }], [...OWNER_FIELDS]);
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
    throw toCatalogError(error, context);
  } finally {
    await dispatcher?.close();
  }
}

/** fetch for the catalog client: the token as a bearer header, a per-request deadline, the TLS choice. */
function boundedFetch(
  token: string | undefined,
  options: CatalogReadOptions,
  dispatcher: Dispatcher | undefined,
): typeof fetch {
  const impl = async (input: string | URL | Request, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    const deadline = AbortSignal.timeout(options.timeoutMs);
    return undiciFetch(input instanceof Request ? input.url : String(input), {
      method: init.method,
      body: init.body as never,
      headers: Object.fromEntries(headers),
      signal: options.signal ? AbortSignal.any([options.signal, deadline]) : deadline,
      ...(dispatcher ? { dispatcher } : {}),
    });
  };
  return impl as unknown as typeof fetch;
}
