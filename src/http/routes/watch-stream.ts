import { stringifyEntityRef } from '@backstage/catalog-model';
import type { FastifyInstance } from 'fastify';
import type { AuthDispatcher } from '../../auth/dispatch.ts';
import type { CatalogSource } from '../../catalog/types.ts';
import type { ClusterDetails, ClusterSupplier } from '../../clusters/types.ts';
import type { CustomResourceMatcher } from '../../contract/kubernetes.ts';
import { inputError, messageOf, notFound } from '../../errors/errors.ts';
import type { ObjectToFetch } from '../../fetch/types.ts';
import type { WatchFetcher } from '../../fetch/watch/watch-fetcher.ts';
import { selectionForEntity, type EntitySelection } from '../../kube/entity-selection.ts';
import {
  customResourcesToFetch,
  selectObjectTypes,
  type ObjectTypeSettings,
} from '../../kube/object-types.ts';
import type { ServiceLocator } from '../../locate/service-locator.ts';

export const WATCH_STREAM_PATH = '/api/kubernetes/watch';

export interface WatchStreamDeps extends ObjectTypeSettings {
  catalog: CatalogSource;
  clusters: ClusterSupplier;
  locator: ServiceLocator;
  auth: AuthDispatcher;
  watch: WatchFetcher;
  customResources: readonly CustomResourceMatcher[];
  /** A comment line this often keeps proxies from closing an idle stream. Default 15 s. */
  heartbeatMs?: number;
  /** A client that lets this much output pile up unread is disconnected (it reconnects and resyncs). */
  maxBufferedBytes?: number;
  /** Default {@link WATCH_STREAM_PATH}, which needs `kubernetes.resources.read` in `http/permissions.ts`. */
  path?: string;
}

/** One Server-Sent Event. Data is JSON on one line, so it never holds a bare newline. */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * `GET /api/kubernetes/watch?entityRef=<ref>`: an entity's objects as a Server-Sent Events stream, so a
 * page updates when something changes instead of polling every 10 s. Per cluster the entity runs in:
 *
 * - `snapshot` `{ cluster, resources, errors }`: what `POST /resources/workloads/query` would show,
 * - then `change` `{ cluster, type, resource, change: ADDED|MODIFIED|DELETED, object }` per object change,
 * - or `unwatched` `{ cluster, reason }` for a cluster in `live` mode or with per-user credentials
 *   (poll those), or `error` `{ cluster, message }` when its credential cannot be had.
 *
 * Apply changes by `metadata.uid`: when a cluster's cache cannot sync in time, the snapshot is read live and
 * a change around it may arrive again after it.
 * There is no resume: a client that reconnects gets fresh snapshots. Needs the same token (and
 * `kubernetes.resources.read`) as the objects routes.
 */
export function registerWatchStream(app: FastifyInstance, deps: WatchStreamDeps): void {
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  const maxBuffered = deps.maxBufferedBytes ?? 8 * 1024 * 1024;
  // Open streams never go idle, so the server's close would wait for them forever: end them first.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of [...open]) close();
  });

  app.get<{ Querystring: { entityRef?: unknown } }>(
    deps.path ?? WATCH_STREAM_PATH,
    async (request, reply) => {
      const ref = request.query.entityRef;
      if (typeof ref !== 'string' || !ref) {
        throw inputError('entityRef query parameter is required, e.g. component:default/shop');
      }
      const entity = await deps.catalog.getEntityByRef(ref);
      if (!entity) throw notFound(`Entity not found, ${ref}`);
      const entityRef = stringifyEntityRef(entity);
      const selection = selectionForEntity(entity, entityRef);
      const clusters = deps.locator(entity, await deps.clusters.getClusters());

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const cleanups: (() => void)[] = [];
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        open.delete(close);
        for (const cleanup of cleanups.splice(0)) cleanup();
        raw.end();
      };
      open.add(close);
      const write = (text: string) => {
        if (closed) return;
        raw.write(text);
        if (raw.writableLength > maxBuffered) {
          request.log.warn(
            { entityRef, buffered: raw.writableLength },
            'watch stream client too slow; closing',
          );
          close();
        }
      };
      request.raw.on('close', close);
      const heartbeat = setInterval(() => write(': keep-alive\n\n'), heartbeatMs);
      cleanups.push(() => clearInterval(heartbeat));
      request.log.debug({ entityRef, clusters: clusters.length }, 'watch stream opened');
      write(`retry: 5000\n\n`);

      for (const cluster of clusters) {
        if (closed) break;
        try {
          await streamCluster(deps, cluster, selection, write, cleanups, () => closed);
        } catch (error) {
          write(sseEvent('error', { cluster: cluster.name, message: messageOf(error) }));
        }
      }
    },
  );
}

async function streamCluster(
  deps: WatchStreamDeps,
  cluster: ClusterDetails,
  selection: EntitySelection,
  write: (text: string) => void,
  cleanups: (() => void)[],
  isClosed: () => boolean,
): Promise<void> {
  if (!deps.watch.canWatch(cluster)) {
    const reason =
      cluster.mode !== 'watch'
        ? 'mode is live'
        : deps.watch.watchable(cluster)
          ? 'another replica watches this cluster'
          : 'credentials come from each user request';
    write(sseEvent('unwatched', { cluster: cluster.name, reason }));
    return;
  }
  // Only server-side credentials reach here (canWatch): the request's own auth plays no part.
  const credential = await deps.auth.getCredential(cluster, {});
  const types: ObjectToFetch[] = [
    ...selectObjectTypes(deps),
    ...customResourcesToFetch(cluster.customResources ?? deps.customResources),
  ];
  const namespace = selection.namespace ? { namespace: selection.namespace } : {};
  // Synced informers first: their initial LISTs then reach no subscriber, and the snapshot below is read
  // from the same memory the changes come from, so none is missed or repeated.
  await deps.watch.warm({
    cluster,
    credential,
    objectTypes: types,
    signal: AbortSignal.timeout(cluster.timeoutMs),
  });
  // Changes wait until the snapshot is out, so a client never sees them before the state they change.
  let pending: string[] | undefined = [];
  const emit = (text: string) => (pending ? pending.push(text) : write(text));
  for (const type of types) {
    if (isClosed()) return;
    const unsubscribe = deps.watch.subscribe(
      { cluster, credential, type, labelSelector: selection.labelSelector, ...namespace },
      (change) =>
        emit(
          sseEvent('change', {
            cluster: cluster.name,
            type: type.objectType,
            resource: `${type.group || 'core'}/${type.apiVersion}/${type.plural}`,
            change: change.type,
            object: change.object,
          }),
        ),
    );
    // The client may have gone while we were subscribing: then nothing would ever unsubscribe this one.
    if (isClosed()) unsubscribe();
    else cleanups.push(unsubscribe);
  }
  const snapshot = await deps.watch.fetchObjects({
    cluster,
    credential,
    objectTypes: types,
    labelSelector: selection.labelSelector,
    ...namespace,
    signal: AbortSignal.timeout(cluster.timeoutMs),
  });
  write(
    sseEvent('snapshot', { cluster: cluster.name, resources: snapshot.responses, errors: snapshot.errors }),
  );
  const buffered = pending;
  pending = undefined;
  for (const text of buffered) write(text);
}
