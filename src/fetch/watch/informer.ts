import { setTimeout as sleep } from 'node:timers/promises';
import type { Credential } from '../../auth/types.ts';
import type { ClusterDetails } from '../../clusters/types.ts';
import type { KubeObject, KubernetesFetchError } from '../../contract/kubernetes.ts';
import { listPath } from '../../kube/object-types.ts';
import type { Logger } from '../../shared/logger.ts';
import type { ClusterConnections } from '../connection.ts';
import { fetchErrorFor } from '../error-type.ts';
import { REPEATABLE_FAILURES, type InformerView } from './answer-policy.ts';
import { backoffDelay, type BackoffSettings } from './backoff.ts';
import { applyWatchEvent } from './apply-event.ts';
import { ObjectStore, type StoreChange } from './object-store.ts';
import { slimObject } from './slim-object.ts';
import { parseWatchEvent } from './watch-event.ts';
import type { WatchStreams } from './watch-streams.ts';

/** One API resource: group ('' for core), version and plural. */
export interface ResourceRef {
  group: string;
  apiVersion: string;
  plural: string;
}

export interface InformerSettings {
  /** `limit` of each LIST page, so a 50,000-pod initial list arrives in bounded pieces. */
  pageSize: number;
  /** Each watch asks the server to end it after a random time in [t, 2t) s, so watches are renewed. */
  watchTimeoutSeconds: number;
  /** Reconnect delays after a broken watch or a failed LIST. */
  backoff: BackoffSettings;
  /** How long a refused LIST (401, 404) is trusted before it is tried again. */
  failedRetryMs: number;
  /**
   * A kind the credential may not LIST or WATCH (403) is dropped from watching for that cluster: no LIST,
   * no WATCH, queries for it go live (where a namespaced Role may still allow them), and it is probed again
   * only after this long, so a fixed RBAC rule is picked up without a restart.
   */
  forbiddenRetryMs: number;
  /**
   * A watch with no event and no bookmark for this long is restarted (a half-open socket, a proxy that
   * stopped forwarding). API servers send a bookmark about once a minute, so keep it above that.
   */
  idleTimeoutMs: number;
}

/**
 * How long one LIST page may take. Generous (a page is at most `pageSize` objects), but bounded: a page asked
 * on a connection that died quietly would otherwise wait for undici's 300 s header timeout.
 */
const LIST_PAGE_TIMEOUT_MS = 60_000;

export const DEFAULT_INFORMER_SETTINGS: InformerSettings = {
  pageSize: 500,
  watchTimeoutSeconds: 300,
  // The first reconnect waits 0.5-1 s, then the ceiling doubles to 30 s (see backoffDelay's jitter).
  backoff: { initialMs: 1_000, maxMs: 30_000 },
  failedRetryMs: 15_000,
  forbiddenRetryMs: 10 * 60_000,
  idleTimeoutMs: 180_000,
};

export interface InformerDeps {
  cluster: ClusterDetails;
  resource: ResourceRef;
  connections: ClusterConnections;
  streams: WatchStreams;
  /** The cluster's server-side credential as of the latest query (tokens rotate). */
  credential: () => Credential;
  logger: Logger;
  settings: InformerSettings;
  onChanges: (changes: readonly StoreChange[]) => void;
}

export interface InformerStats {
  objects: number;
  approxBytes: number;
  synced: boolean;
  watching: boolean;
  /** Status of the latest LIST when it was refused. */
  failureStatus?: number;
  /** The credential may not LIST or WATCH this kind (403): it is dropped from watching until the next probe. */
  forbidden: boolean;
  downSince?: number;
  /**
   * Watches that broke (cut, refused, ERROR event, silent past the idle limit) and were reconnected;
   * renewals by timeout do not count.
   */
  watchRestarts: number;
  /** Completed LISTs after the first: resyncs after `410 Gone`. */
  relists: number;
  /** Last watch event of any type, bookmarks included (epoch ms). */
  lastEventAt?: number;
  lastSyncAt?: number;
  /** Why the latest LIST or watch failed, and when. Never holds a credential. */
  lastError?: string;
  lastErrorAt?: number;
}

interface ListPage {
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

type ListOutcome = 'ok' | 'refused' | 'forbidden' | 'transient';
type WatchEnd = { end: 'expired' | 'gone' | 'broken' | 'forbidden'; healthy: boolean };

/** Groups whose LIST items carry no kind/apiVersion (typed lists), used until a LIST shows items. */
const BUILT_IN_GROUP = /^$|^[a-z0-9-]+$|\.k8s\.io$|\.kubernetes\.io$/;

/**
 * LIST (paged) then WATCH for one resource of one cluster, cluster-wide, keeping an indexed store current:
 * bookmarks move the resourceVersion on, `410 Gone` (HTTP or ERROR event) relists, a broken watch
 * reconnects after a jittered exponential backoff, and every watch is renewed by its `timeoutSeconds`.
 * Failures are state (`view()`, `stats()`), never rejections; `stop()` ends requests and timers.
 */
export class Informer {
  readonly store = new ObjectStore();
  readonly resource: ResourceRef;
  readonly #d: InformerDeps;
  readonly #abort = new AbortController();
  readonly #log: Logger;
  #running: Promise<void> | undefined;
  #settled: (() => void)[] = [];
  #rv: string | undefined;
  #listKind: string | undefined;
  #typed: boolean | undefined;
  #namespaced: boolean | undefined;
  #synced = false;
  #everSynced = false;
  #watching = false;
  #failure: { statusCode: number; at: number } | undefined;
  #downSince: number | undefined;
  #watchRestarts = 0;
  #relists = 0;
  #lastEventAt: number | undefined;
  #lastSyncAt: number | undefined;
  #lastError: { reason: string; at: number } | undefined;
  #view: InformerView = Object.freeze({ synced: false });

  constructor(deps: InformerDeps) {
    this.#d = deps;
    this.resource = deps.resource;
    this.#log = deps.logger.child({ resource: resourceId(deps.resource) });
  }

  /** The list's kind (`PodList`, `RolloutList`), which custom-resource responses stamp their items from. */
  get listKind(): string | undefined {
    return this.#listKind;
  }

  start(): void {
    // #run handles its own failures; this only guards against a bug becoming an unhandled rejection.
    this.#running ??= this.#run().catch((error: unknown) =>
      this.#log.error({ err: error }, 'informer stopped by a bug'),
    );
  }

  async stop(): Promise<void> {
    this.#abort.abort(new Error('informer stopped'));
    await this.#running;
    this.#settle();
  }

  /** Resolves once the first LIST has succeeded or been refused, or when `signal` aborts. */
  whenSettled(signal?: AbortSignal): Promise<void> {
    if (this.#synced || this.#failure || this.#abort.signal.aborted || signal?.aborted) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      signal?.addEventListener('abort', done, { once: true });
      this.#settled.push(done);
    });
  }

  /** The same object while nothing in it changed: every query asks, for each of its types. */
  view(): InformerView {
    const v = this.#view;
    if (
      v.synced === this.#synced &&
      v.failure === this.#failure &&
      v.downSince === this.#downSince &&
      v.namespaced === this.#namespaced
    ) {
      return v;
    }
    return (this.#view = Object.freeze({
      synced: this.#synced,
      ...(this.#failure ? { failure: this.#failure } : {}),
      ...(this.#downSince !== undefined ? { downSince: this.#downSince } : {}),
      ...(this.#namespaced !== undefined ? { namespaced: this.#namespaced } : {}),
    }));
  }

  stats(): InformerStats {
    return {
      objects: this.store.size,
      approxBytes: this.store.bytes,
      synced: this.#synced,
      watching: this.#watching,
      ...(this.#failure ? { failureStatus: this.#failure.statusCode } : {}),
      forbidden: this.#failure?.statusCode === 403,
      ...(this.#downSince !== undefined ? { downSince: this.#downSince } : {}),
      watchRestarts: this.#watchRestarts,
      relists: this.#relists,
      ...(this.#lastEventAt !== undefined ? { lastEventAt: this.#lastEventAt } : {}),
      ...(this.#lastSyncAt !== undefined ? { lastSyncAt: this.#lastSyncAt } : {}),
      ...(this.#lastError ? { lastError: this.#lastError.reason, lastErrorAt: this.#lastError.at } : {}),
    };
  }

  async #run(): Promise<void> {
    const { settings } = this.#d;
    const signal = this.#abort.signal;
    let attempt = 0;
    let goneInARow = 0;
    while (!signal.aborted) {
      try {
        if (this.#rv === undefined) {
          const listed = await this.#list();
          if (listed === 'refused' || listed === 'forbidden') {
            await this.#sleep(listed === 'forbidden' ? settings.forbiddenRetryMs : settings.failedRetryMs);
            continue;
          }
          if (listed === 'transient') {
            await this.#sleep(backoffDelay(attempt++, settings.backoff));
            continue;
          }
          attempt = 0;
        }
        const { end, healthy } = await this.#watch();
        if (healthy) attempt = 0;
        goneInARow = end === 'gone' && !healthy ? goneInARow + 1 : 0;
        if (end === 'expired') continue;
        if (end === 'forbidden') {
          this.#rv = undefined;
          await this.#sleep(settings.forbiddenRetryMs);
          continue;
        }
        if (end === 'gone') {
          this.#rv = undefined;
          // Relist at once; but a fresh LIST's resourceVersion refused again means the server is unwell.
          if (goneInARow > 1) await this.#sleep(backoffDelay(attempt++, settings.backoff));
          continue;
        }
        this.#watchRestarts++;
        await this.#sleep(backoffDelay(attempt++, settings.backoff));
      } catch (error) {
        if (signal.aborted) break;
        this.#log.error({ err: error }, 'informer step failed unexpectedly; retrying');
        await this.#sleep(backoffDelay(attempt++, settings.backoff));
      }
    }
    this.#watching = false;
  }

  async #list(): Promise<ListOutcome> {
    const { cluster, connections, settings } = this.#d;
    if (this.#namespaced === undefined) await this.#discover();
    const path = listPath(this.resource);
    const raw: KubeObject[] = [];
    let page: ListPage | undefined;
    let token: string | undefined;
    for (let expiredRestarts = 0; ;) {
      const answer = await connections.getJson<ListPage>(cluster, path, {
        credential: this.#d.credential(),
        query: { limit: String(settings.pageSize), ...(token ? { continue: token } : {}) },
        signal: this.#abort.signal,
        timeoutMs: LIST_PAGE_TIMEOUT_MS,
      });
      if (!answer.ok) {
        const status = statusOf(answer.error);
        // The snapshot behind a continue token was compacted away: start the LIST over.
        if (status === 410 && token && expiredRestarts++ < 3) {
          raw.length = 0;
          token = undefined;
          continue;
        }
        return this.#listFailed(answer.error, status);
      }
      page = answer.body;
      raw.push(...(page.items ?? []));
      token = page.metadata?.continue || undefined;
      if (!token) break;
    }
    if (raw.length > 0) this.#typed = !('kind' in (raw[0] as KubeObject));
    const objects = raw.map((o) => this.#ingest(o));
    const changes = this.store.replaceAll(objects);
    if (this.#everSynced) this.#relists++;
    this.#rv = page?.metadata?.resourceVersion;
    this.#listKind = page?.kind;
    this.#synced = this.#everSynced = true;
    this.#failure = undefined;
    this.#downSince = undefined;
    this.#lastSyncAt = Date.now();
    this.#log.debug(
      { objects: objects.length, changes: changes.length, resourceVersion: this.#rv },
      'listed',
    );
    this.#emit(changes);
    this.#settle();
    return 'ok';
  }

  #listFailed(error: KubernetesFetchError, status: number | undefined): ListOutcome {
    const reason = this.#failed(describe(error));
    if (status === undefined || !REPEATABLE_FAILURES.has(status)) {
      this.#log.debug({ error: reason }, 'LIST failed; retrying with backoff');
      return 'transient';
    }
    this.#refuse(status);
    return status === 403 ? 'forbidden' : 'refused';
  }

  /** The LIST or WATCH was refused for good (401, 403, 404): empty the store and answer that refusal. */
  #refuse(status: number): void {
    this.#log.warn(
      { statusCode: status },
      status === 403
        ? 'kind forbidden to this credential; dropped from watching for this cluster until the next probe'
        : 'LIST refused; answering with this error until a retry succeeds',
    );
    this.#failure = { statusCode: status, at: Date.now() };
    this.#synced = false;
    this.#downSince = undefined;
    this.#emit(this.store.replaceAll([]));
    this.#settle();
  }

  /** Whether the resource is namespaced, from discovery; a failure leaves it unknown and is retried. */
  async #discover(): Promise<void> {
    const { group, apiVersion, plural } = this.resource;
    const path = group
      ? `/apis/${encodeURIComponent(group)}/${encodeURIComponent(apiVersion)}`
      : `/api/${encodeURIComponent(apiVersion)}`;
    const answer = await this.#d.connections.getJson<{
      resources?: { name?: string; namespaced?: boolean }[];
    }>(this.#d.cluster, path, { credential: this.#d.credential(), signal: this.#abort.signal });
    if (!answer.ok) return;
    const found = answer.body.resources?.find((r) => r.name === plural);
    if (found) this.#namespaced = found.namespaced !== false;
  }

  async #watch(): Promise<WatchEnd> {
    const { cluster, streams, settings } = this.#d;
    const timeoutSeconds =
      settings.watchTimeoutSeconds + Math.floor(Math.random() * settings.watchTimeoutSeconds);
    const answer = await streams.open(cluster, listPath(this.resource), {
      credential: this.#d.credential(),
      query: {
        watch: '1',
        resourceVersion: this.#rv ?? '',
        allowWatchBookmarks: 'true',
        timeoutSeconds: String(timeoutSeconds),
      },
      signal: this.#abort.signal,
      idleTimeoutMs: settings.idleTimeoutMs,
    });
    if (!answer.ok) {
      const reason = this.#failed(describe(answer.error));
      if (answer.statusCode === 403) {
        this.#refuse(403);
        return { end: 'forbidden', healthy: false };
      }
      this.#markDown(reason);
      return { end: answer.statusCode === 410 ? 'gone' : 'broken', healthy: false };
    }
    this.#downSince = undefined;
    this.#watching = true;
    let healthy = false;
    try {
      for await (const line of answer.lines) {
        const outcome = applyWatchEvent(this.store, parseWatchEvent(line), (raw) => this.#ingest(raw));
        this.#lastEventAt = Date.now();
        this.#emit(outcome.changes);
        this.#rv = outcome.resourceVersion ?? this.#rv;
        if (outcome.end) {
          this.#markDown(outcome.detail ?? 'watch ended');
          if (outcome.end === 'gone') {
            this.#log.info({ resourceVersion: this.#rv }, 'resourceVersion expired; relisting');
          }
          return { end: outcome.end, healthy };
        }
        healthy = true;
      }
      return { end: 'expired', healthy: true };
    } catch (error) {
      if (this.#abort.signal.aborted) throw error;
      if (isIdleTimeout(error)) {
        // The server did answer; only this socket went quiet. Reconnect at the first backoff step, so
        // idle restarts of a quiet watch never climb the backoff towards its 30 s ceiling, and on fresh
        // connections: the kept-alive ones opened before the silence may sit on the same dead path, and a
        // LIST (after a 410) on one of them would wait for its own timeout.
        const since = Date.now() - settings.idleTimeoutMs;
        streams.renew(cluster, this.#d.credential(), since);
        this.#d.connections.renew(cluster, this.#d.credential(), since);
        this.#markDown(
          `watch silent for ${settings.idleTimeoutMs / 1000} s (no event, no bookmark); restarted`,
        );
        return { end: 'broken', healthy: true };
      }
      this.#markDown(fetchErrorFor(error, cluster).message);
      return { end: 'broken', healthy };
    } finally {
      this.#watching = false;
    }
  }

  #ingest(raw: KubeObject): KubeObject {
    const typed = this.#typed ?? BUILT_IN_GROUP.test(this.resource.group);
    const maskSecrets = this.resource.group === '' && this.resource.plural === 'secrets';
    return slimObject(raw, { stripTypeMeta: typed, maskSecrets });
  }

  #markDown(reason: string): void {
    if (this.#downSince === undefined) this.#log.warn({ reason }, 'watch lost; reconnecting');
    this.#downSince ??= Date.now();
    this.#failed(reason);
  }

  #failed(reason: string): string {
    this.#lastError = { reason, at: Date.now() };
    return reason;
  }

  #emit(changes: readonly StoreChange[]): void {
    if (changes.length === 0) return;
    try {
      this.#d.onChanges(changes);
    } catch (error) {
      this.#log.error({ err: error }, 'a change listener threw; the cache is unaffected');
    }
  }

  #settle(): void {
    const waiting = this.#settled;
    this.#settled = [];
    for (const resolve of waiting) resolve();
  }

  async #sleep(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.#abort.signal }).catch(() => {});
  }
}

export function resourceId(r: ResourceRef): string {
  return `${r.group || 'core'}/${r.apiVersion}/${r.plural}`;
}

/** undici's bodyTimeout: no byte of the watch body within the idle limit. */
function isIdleTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'UND_ERR_BODY_TIMEOUT';
}

function statusOf(error: KubernetesFetchError): number | undefined {
  return 'statusCode' in error ? error.statusCode : undefined;
}

function describe(error: KubernetesFetchError): string {
  if (error.errorType === 'FETCH_ERROR') return error.message;
  return `HTTP ${error.statusCode ?? '?'} (${error.errorType}) for ${error.resourcePath ?? '?'}`;
}
