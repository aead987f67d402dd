import { stringifyEntityRef } from '@backstage/catalog-model';
import type { FastifyInstance } from 'fastify';
import type { CatalogSource } from '../../catalog/types.ts';
import type { KubeObject, KubernetesFetchError } from '../../contract/kubernetes.ts';
import { inputError, notFound } from '../../errors/errors.ts';
import type { ComponentCluster, ComponentSummary } from '../../contract/stitchboard.ts';
import { withDashboardLinks } from '../../dashboards/with-dashboard-links.ts';
import { detectClusterErrors } from '../../objects/detect-errors.ts';
import type { KubernetesObjectsService } from '../../objects/types.ts';
import { ClusterConnections } from '../../fetch/connection.ts';
import { createClusterReader, type ClusterReaderDeps } from './components-cluster-reader.ts';
import { ComponentHealthSource } from '../../rollup/health-source.ts';
import { matchesQuery, summarize } from '../../rollup/component-summary.ts';
import { whoOwns, type WhoOwnsDeps } from './components-who-owns.ts';

export interface ComponentsRoutesOptions extends Omit<ClusterReaderDeps, 'connections'> {
  catalog: CatalogSource;
  objects: KubernetesObjectsService;
  /** For Events and pod look-ups; its own pool, closed with the server, when absent. */
  connections?: ClusterReaderDeps['connections'];
  /** The stitched view of a Service, for "who owns this?"; without it, answers stop at the Service. */
  getService?: WhoOwnsDeps['getService'];
  /** How long a component's health is reused, and how many fan-outs one page runs at once. */
  status?: { ttlMs: number; concurrency: number };
  /** Where components' health comes from, shared with the rollups; made from `status` when absent. */
  health?: ComponentHealthSource;
}

function intParam(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw inputError(`${name}: expected an integer from 0 to ${max}, got '${value}'`);
  }
  return n;
}

function required(query: Record<string, string | undefined>, name: string, pattern: RegExp): string {
  const value = query[name];
  if (!value) throw inputError(`${name}: required`);
  if (!pattern.test(value)) throw inputError(`${name}: '${value}' is not a valid value`);
  return value;
}

const DNS_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * Stitchboard's own read API behind its web UI, under `/api/stitchboard`: the catalog's components with
 * where they run and their health, one component's objects per cluster with Backstage's detected errors,
 * an object's Events, and "who owns this?". The same token rules as every other route apply.
 */
export async function componentsRoutes(app: FastifyInstance, options: ComponentsRoutesOptions) {
  const { catalog, objects } = options;
  let connections = options.connections;
  if (!connections) {
    const own = new ClusterConnections();
    app.addHook('onClose', () => own.close());
    connections = own;
  }
  const reader = createClusterReader({ clusters: options.clusters, auth: options.auth, connections });
  const health = options.health ?? new ComponentHealthSource(objects, options.status);
  const getService = options.getService ?? (async () => []);

  const readEntity = async (ref: string) => {
    const entity = await catalog.getEntityByRef(ref);
    if (!entity) throw notFound(`No entity ${ref} in the catalog`);
    return entity;
  };

  app.get<{ Querystring: { q?: string; owner?: string; offset?: string; limit?: string } }>(
    '/components',
    async (request) => {
      const offset = intParam(request.query.offset, 'offset', 0, 1_000_000);
      const limit = intParam(request.query.limit, 'limit', 50, 200) || 50;
      const q = request.query.q ?? '';
      const owner = request.query.owner?.toLowerCase();
      const all = (await catalog.listEntities({ kinds: ['Component'] }))
        .map((entity) => ({ entity, summary: summarize(entity) }))
        .filter((c) => matchesQuery(c.summary, q) && (!owner || c.summary.ownerRef === owner))
        .sort((a, b) => a.summary.ref.localeCompare(b.summary.ref));
      const page = all.slice(offset, offset + limit);
      const statuses = await health.healthOf(page.map((c) => c.entity));
      return {
        items: page.map((c, i) => ({ ...c.summary, ...statuses[i] })),
        total: all.length,
        offset,
        limit,
      };
    },
  );

  app.get<{ Params: { kind: string; namespace: string; name: string } }>(
    '/components/:kind/:namespace/:name',
    async (request) => {
      const { kind, namespace, name } = request.params;
      const entity = await readEntity(`${kind}:${namespace}/${name}`);
      const response = await objects.getObjectsByEntity({ entity, auth: {} });
      const origin = `${request.protocol}://${request.host}`;
      const clusters: ComponentCluster[] = withDashboardLinks(response, { origin }).items.map((item) => ({
        ...item,
        detectedErrors: detectClusterErrors(item),
      }));
      const entitySummary: ComponentSummary = summarize(entity);
      return { entity: entitySummary, ref: stringifyEntityRef(entity), clusters };
    },
  );

  app.get<{ Querystring: Record<string, string | undefined> }>('/events', async (request) => {
    const cluster = required(request.query, 'cluster', /^.{1,253}$/);
    const namespace = required(request.query, 'namespace', DNS_NAME);
    const kind = required(request.query, 'kind', /^[A-Za-z][A-Za-z0-9]{0,62}$/);
    const name = required(request.query, 'name', DNS_NAME);
    const answer = await reader.getJson<{ items?: KubeObject[] }>(
      cluster,
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
      { fieldSelector: `involvedObject.name=${name},involvedObject.kind=${kind}` },
    );
    if (!answer.ok) return { items: [], error: answer.error satisfies KubernetesFetchError };
    const time = (e: KubeObject) =>
      String(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? '');
    return { items: [...(answer.body.items ?? [])].sort((a, b) => time(b).localeCompare(time(a))) };
  });

  app.get<{ Querystring: { q?: string } }>('/who-owns', async (request) =>
    whoOwns(request.query.q ?? '', { reader, getService }),
  );
}
