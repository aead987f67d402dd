import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { FastifyInstance } from 'fastify';
import type { SystemDetail, SystemsResponse, TeamDetail, TeamsResponse } from '../../contract/stitchboard.ts';
import { inputError, notFound } from '../../errors/errors.ts';
import { readRollupInputs, type RollupSourceDeps } from '../../rollup/rollup-source.ts';
import { rollupSystems, rollupTeams } from '../../rollup/rollup.ts';
import { ownerRefParam } from './stitch-params.ts';

export type RollupRoutesOptions = RollupSourceDeps;

type Request = { Querystring: Record<string, unknown>; Params: { '*'?: string } };

function noQuery(query: Record<string, unknown>): void {
  if (Object.keys(query).length > 0) throw inputError('this route takes no query parameters');
}

function systemRefParam(value: string): string {
  try {
    const ref = parseEntityRef(value, { defaultKind: 'system', defaultNamespace: 'default' });
    if (ref.kind.toLowerCase() !== 'system') throw new Error(`kind must be system, not "${ref.kind}"`);
    return stringifyEntityRef(ref).toLowerCase();
  } catch (error) {
    throw inputError(`system ref: not a system ref (${(error as Error).message})`);
  }
}

function wildcard(request: { params: { '*'?: string } }, example: string): string {
  const raw = request.params['*'] ?? '';
  if (raw === '') throw inputError(`ref: required, e.g. ${example}`);
  return raw;
}

/**
 * Team and system health across clusters, under `/api/stitchboard`: every catalog Component's health
 * (from the watch cache or a live fan-out, cached briefly) summed per owner and per system, joined
 * with the stitched Services. Shapes: src/contract/stitchboard.ts and docs/http-api.md.
 */
export async function rollupRoutes(app: FastifyInstance, options: RollupRoutesOptions) {
  const read = () => readRollupInputs(options);

  app.get<Request>('/teams', async (request): Promise<TeamsResponse> => {
    noQuery(request.query);
    const { rows, owners, generatedAt } = await read();
    return { ...rollupTeams(rows, owners), components: rows.length, generatedAt };
  });

  // A wildcard, as /owners/*: `group:default/team-a` works with its slash as it is, or URL-encoded.
  app.get<Request>('/teams/*', async (request): Promise<TeamDetail> => {
    noQuery(request.query);
    const ref = ownerRefParam(wildcard(request, '/teams/group:default/team-a'), 'owner ref').toLowerCase();
    const { rows, owners, generatedAt } = await read();
    const mine = rows.filter((r) => r.owner === ref);
    const team = rollupTeams(mine, owners).items[0];
    if (!team) throw notFound(`no component in the catalog is owned by ${ref}`);
    return { team, components: mine, generatedAt };
  });

  app.get<Request>('/systems', async (request): Promise<SystemsResponse> => {
    noQuery(request.query);
    const { rows, generatedAt } = await read();
    return { ...rollupSystems(rows), components: rows.length, generatedAt };
  });

  app.get<Request>('/systems/*', async (request): Promise<SystemDetail> => {
    noQuery(request.query);
    const ref = systemRefParam(wildcard(request, '/systems/system:default/shop'));
    const { rows, generatedAt } = await read();
    const mine = rows.filter((r) => r.system === ref);
    const system = rollupSystems(mine).items[0];
    if (!system) throw notFound(`no component in the catalog belongs to ${ref}`);
    return { system, components: mine, generatedAt };
  });
}
