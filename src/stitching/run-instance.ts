import { isStitchboardError, messageOf } from '../errors/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { Fence, RunError, RunRecord, RunStatus, TopologyStore } from '../store/types.ts';
import { isLeaseLost } from '../store/fence.ts';
import { stitch } from '../topology/stitch.ts';
import { readCatalog, type CatalogRead, type CatalogReadOptions } from './catalog-reader.ts';
import type { ServicesRead } from './cluster-services.ts';
import { type DiscoveredInstance, type ResolvedInstance, type ScrapeProgress } from './types.ts';

export interface RunInstanceDeps {
  store: TopologyStore;
  logger: Logger;
  /** Bound on each Catalog API request. */
  timeoutMs: number;
  pageSize?: number;
  signal?: AbortSignal;
  /**
   * The scrape-loop lease this run writes under: results and the run record are stored only while its
   * epoch is current, else the write is refused (LEASE_LOST), logged, and thrown. None for a one-off run.
   */
  fence?: Fence;
  /** Told what the run does; a catalog page waits for the promise it returns. */
  onProgress?: (event: ScrapeProgress) => void | Promise<void>;
}

const safeMessage = (error: unknown) => (isStitchboardError(error) ? error.message : messageOf(error));

function refused(log: Logger, error: unknown, what: string): never {
  const details = isStitchboardError(error) ? error.details : undefined;
  log.warn({ fence: details }, `${what} not stored: ${safeMessage(error)}`);
  throw error;
}

/**
 * One instance's run: read its catalog (over the Catalog API, or from the app's own catalog source for
 * `scrapers.catalog`), stitch it against the Services already listed, replace its results in one
 * transaction, and record the run. What could not be read keeps its last good results:
 * an instance that is misconfigured or whose catalog fails (401, down, slow, down mid-paging) writes
 * nothing, and a cluster that failed to list keeps its links (only the clusters read are `complete`).
 * Every outcome, failures included, is recorded as a run; nothing is thrown except an abort, and
 * LEASE_LOST when `deps.fence` went stale (then nothing more of this run is stored).
 * `onCatalog` receives a catalog read completely, for re-stitching without reading it again.
 */
export async function runInstance(
  discovered: DiscoveredInstance,
  services: ServicesRead,
  deps: RunInstanceDeps & { onCatalog?: (instance: ResolvedInstance, catalog: CatalogRead) => void },
): Promise<RunRecord> {
  const name = discovered.ok ? discovered.instance.name : discovered.name;
  const run = new RunBook(name, services, deps);
  if (!discovered.ok) {
    run.errors.unshift({ part: 'catalog', message: discovered.problem });
    return run.finish('failed');
  }
  const instance = discovered.instance;
  const options: CatalogReadOptions = {
    timeoutMs: deps.timeoutMs,
    logger: run.log,
    ...(deps.pageSize ? { pageSize: deps.pageSize } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    onPage: (kind, entities) => deps.onProgress?.({ type: 'catalog-page', instance: name, kind, entities }),
  };
  let catalog;
  try {
    // Only how the catalog is read depends on the instance's source (catalog-reader.ts); all that follows is shared.
    catalog = await readCatalog(instance, options);
  } catch (error) {
    if (deps.signal?.aborted) throw deps.signal.reason;
    run.errors.unshift({ part: 'catalog', message: safeMessage(error) });
    return run.finish('failed');
  }
  run.counts.catalogRequests = catalog.requests;
  deps.onCatalog?.(instance, catalog);
  return stitchAndStore(instance, catalog, services, run, deps);
}

/**
 * Stitches an instance again from the catalog its last run read, against Services listed now: what a
 * Service change in a watched cluster asks for. Recorded as a run with `catalogRequests: 0`.
 */
export async function restitchInstance(
  instance: ResolvedInstance,
  catalog: CatalogRead,
  services: ServicesRead,
  deps: RunInstanceDeps,
): Promise<RunRecord> {
  const run = new RunBook(instance.name, services, deps);
  run.counts.catalogRequests = 0;
  return stitchAndStore(instance, catalog, services, run, deps);
}

async function stitchAndStore(
  instance: ResolvedInstance,
  catalog: CatalogRead,
  services: ServicesRead,
  run: RunBook,
  deps: RunInstanceDeps,
): Promise<RunRecord> {
  try {
    const result = stitch({
      instance: instance.name,
      components: catalog.components,
      groups: catalog.groups,
      users: catalog.users,
      services: services.services,
      labelMap: instance.labelMap,
      clusters: services.read,
    });
    Object.assign(run.counts, result.counts);
    deps.signal?.throwIfAborted();
    await deps.store.replaceInstanceResults(
      instance.name,
      result,
      { complete: services.read.map((cluster) => ({ cluster })) },
      deps.fence,
    );
  } catch (error) {
    if (isLeaseLost(error)) refused(run.log, error, 'stitch results');
    if (deps.signal?.aborted) throw deps.signal.reason;
    run.errors.push({
      part: isStitchboardError(error) && error.code === 'STORE_FAILED' ? 'store' : 'other',
      message: safeMessage(error),
    });
    return run.finish('failed');
  }
  return run.finish(services.failed.length > 0 ? 'partial' : 'ok');
}

/** What one run collects until it is recorded. */
class RunBook {
  readonly startedAt = new Date();
  readonly #started = performance.now();
  readonly log: Logger;
  readonly errors: RunError[];
  readonly counts: Record<string, number>;
  readonly #name: string;
  readonly #deps: RunInstanceDeps;

  constructor(name: string, services: ServicesRead, deps: RunInstanceDeps) {
    this.#name = name;
    this.#deps = deps;
    this.log = deps.logger.child({ instance: name });
    this.errors = services.failed.map((f) => ({
      part: 'cluster',
      ...(f.cluster === '*' ? {} : { cluster: f.cluster }),
      message: f.message,
    }));
    this.counts = { clustersRead: services.read.length, clustersFailed: services.failed.length };
  }

  async finish(status: RunStatus): Promise<RunRecord> {
    const { counts, errors } = this;
    const run = {
      instance: this.#name,
      startedAt: this.startedAt,
      durationMs: performance.now() - this.#started,
      counts,
      errors,
      status,
    };
    const record = await this.#deps.store.recordRun(run, this.#deps.fence).catch((error: unknown) => {
      if (isLeaseLost(error)) refused(this.log, error, 'the run record');
      // The run happened; losing its record is worth a log line, not a crash of the loop.
      this.log.error({ err: error }, `recording the run failed: ${safeMessage(error)}`);
      return { ...run, id: 0 };
    });
    const line = { status, durationMs: Math.round(run.durationMs), ...counts };
    if (status === 'ok') this.log.info(line, 'stitch run finished');
    else this.log.warn({ ...line, errors: errors.map((e) => e.message) }, `stitch run ${status}`);
    await this.#deps.onProgress?.({ type: 'instance-done', run: record });
    return record;
  }
}
