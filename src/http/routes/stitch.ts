import type { FastifyInstance } from 'fastify';
import type { ReportResponse } from '../../contract/stitchboard.ts';
import { inputError, notFound } from '../../errors/errors.ts';
import { parseNewInstance, type Scraper } from '../../stitching/index.ts';
import type { TopologyStore } from '../../store/types.ts';
import { instanceFilter, ownerRefParam, ownersFilter, runsFilter, serviceFilter } from './stitch-params.ts';

export interface StitchRoutesOptions {
  store: TopologyStore;
  scraper: Scraper;
}

type Query = { Querystring: Record<string, unknown> };

/**
 * Stitching's read and control API under `/api/stitchboard`: stitched Services, owners, the report,
 * runs, and Backstage instances. Same bearer auth as every route. Lists answer `{ items: [...] }`;
 * shapes are in docs/http-api.md.
 */
export async function stitchRoutes(app: FastifyInstance, options: StitchRoutesOptions) {
  const { store, scraper } = options;

  app.get<Query>('/services', async (request) => {
    const filter = serviceFilter(request.query);
    return { items: await store.listServices(filter), limit: filter.limit, offset: filter.offset };
  });

  app.get<Query & { Params: { cluster: string; namespace: string; name: string } }>(
    '/services/:cluster/:namespace/:name',
    async (request) => {
      const { cluster, namespace, name } = request.params;
      if (Object.keys(request.query).length > 0) throw inputError('this route takes no query parameters');
      const items = await store.getService({ cluster, namespace, service: name });
      if (items.length === 0) {
        throw notFound(
          `no component is stitched to Service ${cluster}/${namespace}/${name} (GET /api/stitchboard/report lists unclaimed Services)`,
        );
      }
      return { items };
    },
  );

  app.get<Query>('/owners', async (request) => ({
    items: await store.listOwners(ownersFilter(request.query)),
  }));

  // A wildcard, so `group:default/team-a` works with its slash as it is, or URL-encoded.
  app.get<Query & { Params: { '*': string } }>('/owners/*', async (request) => {
    const raw = request.params['*'];
    if (raw === '') throw inputError('owner ref: required, e.g. /owners/group:default/team-a');
    const ref = ownerRefParam(raw, 'owner ref');
    const items = await store.getOwner(ref, instanceFilter(request.query));
    if (items.length === 0) throw notFound(`no owner ${ref} in any stitched catalog`);
    return { items };
  });

  app.get<Query>('/report', async (request): Promise<ReportResponse> => {
    const filter = instanceFilter(request.query);
    const [report, instanceProblems] = await Promise.all([
      store.getReport(filter),
      scraper.instanceProblems(filter),
    ]);
    return { ...report, instanceProblems };
  });

  app.get<Query>('/runs', async (request) => ({ items: await store.listRuns(runsFilter(request.query)) }));

  app.post('/runs', async (_request, reply) => {
    const { leader } = await scraper.requestRun();
    return reply.code(202).send({ accepted: true, leader });
  });

  app.get<Query>('/instances', async (request) => {
    if (Object.keys(request.query).length > 0) throw inputError('this route takes no query parameters');
    return scraper.listInstances();
  });

  app.post('/instances', async (request, reply) => {
    const created = await scraper.createInstance(parseNewInstance(request.body));
    return reply.code(201).send(created);
  });
}
