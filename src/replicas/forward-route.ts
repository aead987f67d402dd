import type { FastifyInstance } from 'fastify';
import type { AuthDispatcher } from '../auth/dispatch.ts';
import type { ClusterSupplier } from '../clusters/types.ts';
import { formatIssue, inputError, notFound, unauthenticated } from '../errors/errors.ts';
import type { ObjectFetcher } from '../fetch/types.ts';
import { FORWARD_PATH, forwardRequestSchema, TOKEN_HEADER, tokenMatches } from './forward-wire.ts';

export interface ForwardRouteOptions {
  clusters: ClusterSupplier;
  auth: AuthDispatcher;
  /** This replica's watch cache; it answers live whatever it does not watch. */
  watch: ObjectFetcher;
  internalToken: string;
}

/**
 * The receiving end of ForwardingFetcher: another replica's query for one cluster, answered from this
 * replica's watch cache as a FetchResult. Only replicas call it: it needs the shared internal token
 * (not a caller's API token), and it never forwards again, so replicas that briefly disagree on an
 * owner cannot bounce a query between them. The cluster is looked up by name in this replica's own
 * configuration and read with its server-side credential; nothing about the cluster travels.
 */
export function registerForwardRoute(app: FastifyInstance, options: ForwardRouteOptions): void {
  app.post(FORWARD_PATH, { config: { public: true } }, async (request) => {
    if (!tokenMatches(request.headers[TOKEN_HEADER], options.internalToken)) {
      throw unauthenticated(`missing or wrong ${TOKEN_HEADER}`);
    }
    const parsed = forwardRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw inputError(
        `forwarded query: ${first ? formatIssue({ path: first.path.join('.'), message: first.message }) : 'invalid'}`,
      );
    }
    const query = parsed.data;
    const cluster = (await options.clusters.getClusters()).find((c) => c.name === query.cluster);
    if (!cluster) throw notFound(`no cluster named '${query.cluster}'`);
    const credential = await options.auth.getCredential(cluster, {});
    return options.watch.fetchObjects({
      cluster,
      credential,
      objectTypes: query.objectTypes,
      labelSelector: query.labelSelector,
      ...(query.namespace ? { namespace: query.namespace } : {}),
      signal: AbortSignal.timeout(cluster.timeoutMs),
    });
  });
}
