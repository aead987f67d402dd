import type { CatalogClient } from '@backstage/catalog-client';
import type { Entity } from '@backstage/catalog-model';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import type { Logger } from '../shared/logger.ts';
import { toCatalogError } from './catalog-error.ts';
import { normalizeRef } from './entity-ref.ts';
import type { CatalogSource, EntityFilter, EntityProblem, ListOptions } from './types.ts';

export interface BackstageCatalogOptions {
  /** Backend base URL, e.g. `https://backstage.example.com`; the Catalog API is `<endpoint>/api/catalog`. */
  endpoint: string;
  /** Static external-access token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Accept any TLS certificate from the endpoint (self-signed test installs only). */
  insecureSkipVerify?: boolean;
  logger: Logger;
  /** Bound on each HTTP request to the catalog (default 30 s). */
  timeoutMs?: number;
  /** Entities per `by-query` page (default 500). */
  pageSize?: number;
}

/**
 * Entities from a running Backstage through its Catalog API, with `@backstage/catalog-client`.
 * Backstage validates entities itself, so `problems()` is always empty. Every failure becomes a
 * CATALOG_UNAVAILABLE error naming the endpoint, and never the token.
 *
 * @example
 * const catalog = new BackstageCatalogSource({ endpoint: 'http://localhost:7007', token, logger });
 * const clusters = await catalog.listEntities({ kinds: ['Resource'], specType: 'kubernetes-cluster' });
 */
export class BackstageCatalogSource implements CatalogSource {
  readonly description: string;
  readonly #endpoint: string;
  readonly #token: string | undefined;
  readonly #dispatcher: Dispatcher | undefined;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #pageSize: number;

  constructor(options: BackstageCatalogOptions) {
    this.#endpoint = publicEndpoint(options.endpoint);
    this.#token = options.token || undefined;
    this.#dispatcher = options.insecureSkipVerify
      ? new Agent({ connect: { rejectUnauthorized: false } })
      : undefined;
    this.#logger = options.logger.child({ catalog: this.#endpoint });
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#pageSize = options.pageSize ?? 500;
    this.description = `backstage: ${this.#endpoint}`;
  }

  async getEntityByRef(ref: string, options: { signal?: AbortSignal } = {}): Promise<Entity | undefined> {
    const canonical = normalizeRef(ref);
    return this.#call(options.signal, (client) => client.getEntityByRef(canonical));
  }

  /**
   * Pages through `GET /api/catalog/entities/by-query` by cursor, with `fields=` when the caller names
   * the fields it reads. All or nothing: a failure on any page throws.
   */
  async listEntities(filter: EntityFilter, options: ListOptions = {}): Promise<Entity[]> {
    const query: Record<string, string | string[]> = {};
    if (filter.kinds && filter.kinds.length > 0) query.kind = filter.kinds;
    if (filter.specType !== undefined) query['spec.type'] = filter.specType;
    const fields = options.fields ? { fields: [...options.fields] } : {};

    const entities: Entity[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const request = cursor
        ? { cursor, limit: this.#pageSize, ...fields }
        : { filter: query, limit: this.#pageSize, ...fields };
      const page = await this.#call(options.signal, (c) => c.queryEntities(request));
      pages += 1;
      entities.push(...page.items);
      await options.onPage?.(entities.length);
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    this.#logger.debug({ filter, pages, entities: entities.length }, 'catalog entities listed');
    return entities;
  }

  problems(): EntityProblem[] {
    return [];
  }

  /** Closes the connections of `insecureSkipVerify`; the default (global) pool needs no closing. */
  async close(): Promise<void> {
    await this.#dispatcher?.close();
  }

  /**
   * One client per call, so its fetch carries this call's abort signal and timeout. The client library is
   * loaded by the first call: a file catalog never carries it.
   */
  async #call<T>(signal: AbortSignal | undefined, run: (client: CatalogClient) => Promise<T>): Promise<T> {
    signal?.throwIfAborted();
    const bounded = signal
      ? AbortSignal.any([signal, AbortSignal.timeout(this.#timeoutMs)])
      : AbortSignal.timeout(this.#timeoutMs);
    const { CatalogClient } = await import('@backstage/catalog-client');
    const client = new CatalogClient({
      discoveryApi: { getBaseUrl: async () => `${this.#endpoint}/api/catalog` },
      fetchApi: { fetch: this.#fetch(bounded) },
    });
    try {
      return await run(client);
    } catch (e) {
      // The caller gave up: that is not the catalog's failure, so it is not reported as one.
      if (signal?.aborted) throw signal.reason;
      throw toCatalogError(e, { endpoint: this.#endpoint, token: this.#token, timeoutMs: this.#timeoutMs });
    }
  }

  #fetch(signal: AbortSignal): typeof fetch {
    const impl = async (input: string | URL | Request, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      if (this.#token) headers.set('authorization', `Bearer ${this.#token}`);
      const url = input instanceof Request ? input.url : String(input);
      return undiciFetch(url, {
        method: init.method,
        body: init.body as never,
        headers: Object.fromEntries(headers),
        signal,
        ...(this.#dispatcher ? { dispatcher: this.#dispatcher } : {}),
      });
    };
    return impl as unknown as typeof fetch;
  }
}

/** The endpoint without a trailing slash or any user:password part, safe for logs and messages. */
function publicEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/+$/, '');
  } catch {
    return endpoint.replace(/\/+$/, '');
  }
}
