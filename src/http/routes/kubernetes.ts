import type { Entity } from '@backstage/catalog-model';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CatalogSource } from '../../catalog/types.ts';
import { forbidden, inputError } from '../../errors/errors.ts';
import type { KubernetesObjectsService } from '../../objects/types.ts';
import { parseCustomBody, parseServicesBody, parseWorkloadsBody } from './kubernetes-bodies.ts';

export interface KubernetesRoutesOptions {
  catalog: CatalogSource;
  kubernetes: KubernetesObjectsService;
}

/**
 * Backstage's Kubernetes backend routes, registered under `/api/kubernetes`. Every route uses
 * the catalog's copy of the entity, never the one a caller posted: the annotations decide which
 * objects are read, so a caller must not be able to choose them. `/proxy/*` registers beside
 * these as its own plugin (it needs raw bodies, so it must not share the JSON parser setup).
 */
export async function kubernetesRoutes(app: FastifyInstance, options: KubernetesRoutesOptions) {
  const { catalog, kubernetes } = options;

  app.get('/clusters', async () => ({ items: await kubernetes.getClusters() }));

  app.post<{ Params: { serviceId: string } }>('/services/:serviceId', async (request) => {
    const { entityRef, auth } = parseServicesBody(request.body);
    logQuery(request, { serviceId: request.params.serviceId, entityRef });
    const entity = await readEntity(catalog, entityRef, () => forbidden(`Entity not found, ${entityRef}`));
    return kubernetes.getObjectsByEntity({ entity, auth });
  });

  app.post('/resources/workloads/query', async (request) => {
    const { entityRef, auth } = parseWorkloadsBody(request.body);
    logQuery(request, { entityRef });
    const entity = await readEntity(catalog, entityRef, () => inputError(`Entity ref missing, ${entityRef}`));
    return kubernetes.getObjectsByEntity({ entity, auth });
  });

  app.post('/resources/custom/query', async (request) => {
    const { entityRef, auth, customResources } = parseCustomBody(request.body);
    logQuery(request, { entityRef, customResources: customResources.length });
    const entity = await readEntity(catalog, entityRef, () => inputError(`Entity ref missing, ${entityRef}`));
    return kubernetes.getObjectsByEntity({ entity, auth, customResources });
  });
}

async function readEntity(catalog: CatalogSource, entityRef: string, missing: () => Error): Promise<Entity> {
  const entity = await catalog.getEntityByRef(entityRef);
  if (!entity) throw missing();
  return entity;
}

function logQuery(request: FastifyRequest, fields: Record<string, unknown>) {
  request.log.debug(fields, 'objects query');
}
