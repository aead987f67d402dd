import { isStitchboardError, messageOf } from '../errors/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { RunError, RunRecord, RunStatus, TopologyStore } from '../store/types.ts';
import { stitch } from '../topology/stitch.ts';
import { readCatalog } from './catalog-reader.ts';
import type { ServicesRead } from './cluster-services.ts';
import type { DiscoveredInstance, ScrapeProgress } from './types.ts';

export interface RunInstanceDeps {
  store: TopologyStore;
  logger: Logger;
  /** Bound on each Catalog API request. */
  timeoutMs: number;
  pageSize?: number;
  signal?: AbortSignal;
  /** Told what the run does; a catalog page waits for the promise it returns. */
  onProgress?: (event: ScrapeProgress) => void | Promise<void>;
}

const safeMessage = (error: unknown) => (isStitchboardError(error) ? error.message : messageOf(error));

/**
 * One instance's run: read its catalog, stitch it against the Services already listed, replace its
 * results in one transaction, and record the run. What could not be read keeps its last good results:
 * an instance that is misconfigured or whose catalog fails (401, down, slow, down mid-paging) writes
 * nothing, and a cluster that failed to list keeps its links (only the clusters read are `complete`).
 * Every outcome, failures included, is recorded as a run; nothing is thrown except an abort.
 */
export async function runInstance(
  discovered: DiscoveredInstance,
  services: ServicesRead,
  deps: RunInstanceDeps,
): Promise<RunRecord> {
  const startedAt = new Date();
  const started = performance.now();
  const name = discovered.ok ? discovered.instance.name : discovered.name;
  const log = deps.logger.child({ instance: name });
  const errors: RunError[] = services.failed.map((f) => ({
    part: 'cluster',
    ...(f.cluster === '*' ? {} : { cluster: f.cluster }),
    message: f.message,
  }));
  const counts: Record<string, number> = {
    clustersRead: services.read.length,
    clustersFailed: services.failed.length,
  };

  const finish = async (status: RunStatus): Promise<RunRecord> => {
    const run = {
      instance: name,
      startedAt,
      durationMs: performance.now() - started,
      counts,
      errors,
      status,
    };
    const record = await deps.store.recordRun(run).catch((error: unknown) => {
      // The run happened; losing its record is worth a log line, not a crash of the loop.
      log.error({ err: error }, `recording the run failed: ${safeMessage(error)}`);
      return { ...run, id: 0 };
    });
    const line = { status, durationMs: Math.round(run.durationMs), ...counts };
    if (status === 'ok') log.info(line, 'stitch run finished');
    else log.warn({ ...line, errors: errors.map((e) => e.message) }, `stitch run ${status}`);
    await deps.onProgress?.({ type: 'instance-done', run: record });
    return record;
  };

  if (!discovered.ok) {
    errors.unshift({ part: 'catalog', message: discovered.problem });
    return finish('failed');
  }
  const instance = discovered.instance;
  let catalog;
  try {
    catalog = await readCatalog(instance, {
      timeoutMs: deps.timeoutMs,
      logger: log,
      ...(deps.pageSize ? { pageSize: deps.pageSize } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      onPage: (kind, entities) => deps.onProgress?.({ type: 'catalog-page', instance: name, kind, entities }),
    });
  } catch (error) {
    if (deps.signal?.aborted) throw deps.signal.reason;
    errors.unshift({ part: 'catalog', message: safeMessage(error) });
    return finish('failed');
  }
  counts.catalogRequests = catalog.requests;

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
    Object.assign(counts, result.counts);
    deps.signal?.throwIfAborted();
    await deps.store.replaceInstanceResults(instance.name, result, {
      complete: services.read.map((cluster) => ({ cluster })),
    });
  } catch (error) {
    if (deps.signal?.aborted) throw deps.signal.reason;
    errors.push({
      part: isStitchboardError(error) && error.code === 'STORE_FAILED' ? 'store' : 'other',
      message: safeMessage(error),
    });
    return finish('failed');
  }
  return finish(services.failed.length > 0 ? 'partial' : 'ok');
}
