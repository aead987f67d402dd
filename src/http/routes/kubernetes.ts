import type { Entity } from '@backstage/catalog-model';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CatalogSource } from '../../catalog/types.ts';
import { forbidden, inputError } from '../../errors/errors.ts';
import type { SerializedAnswer } from '../../objects/answer-cache.ts';
import { COMPRESS_THRESHOLD_BYTES } from '../../shared/compress.ts';
import { addVary, codedEtag, negotiateCoding } from '../content-coding.ts';
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

  app.post<{ Params: { serviceId: string } }>('/services/:serviceId', async (request, reply) => {
    const { entityRef, auth } = parseServicesBody(request.body);
    logQuery(request, { serviceId: request.params.serviceId, entityRef });
    const entity = await readEntity(catalog, entityRef, () => forbidden(`Entity not found, ${entityRef}`));
    return send(request, reply, await kubernetes.getSerializedObjectsByEntity({ entity, auth }));
  });

  app.post('/resources/workloads/query', async (request, reply) => {
    const { entityRef, auth } = parseWorkloadsBody(request.body);
    logQuery(request, { entityRef });
    const entity = await readEntity(catalog, entityRef, () => inputError(`Entity ref missing, ${entityRef}`));
    return send(request, reply, await kubernetes.getSerializedObjectsByEntity({ entity, auth }));
  });

  app.post('/resources/custom/query', async (request, reply) => {
    const { entityRef, auth, customResources } = parseCustomBody(request.body);
    logQuery(request, { entityRef, customResources: customResources.length });
    const entity = await readEntity(catalog, entityRef, () => inputError(`Entity ref missing, ${entityRef}`));
    return send(
      request,
      reply,
      await kubernetes.getSerializedObjectsByEntity({ entity, auth, customResources }),
    );
  });
}

/**
 * The answer's JSON as is (what `JSON.stringify` of it gives, so what returning the object would send), with
 * its ETag; compressed when the client accepts a coding Stitchboard has and the body is worth it (each
 * coding of a cached answer is compressed once, and `Vary: Accept-Encoding` keeps shared caches honest). A
 * request whose `If-None-Match` names the ETag of what it would get gets 304 and no body.
 */
async function send(request: FastifyRequest, reply: FastifyReply, answer: SerializedAnswer) {
  const coding =
    answer.body.length >= COMPRESS_THRESHOLD_BYTES
      ? negotiateCoding(request.headers['accept-encoding'])
      : undefined;
  const etag = codedEtag(answer.etag, coding);
  addVary(reply, 'Accept-Encoding');
  reply.header('etag', etag);
  if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
  reply.type('application/json; charset=utf-8');
  if (!coding) return reply.send(answer.body);
  return reply.header('content-encoding', coding).send(await answer.encoded(coding));
}

/** RFC 9110 weak comparison: `*`, or any listed tag equal to `etag` with a `W/` prefix or without. */
function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
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
