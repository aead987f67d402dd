import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Credential } from '../../auth/types.ts';
import type { ClusterDetails, ClusterSupplier } from '../../clusters/types.ts';
import type { KubernetesRequestAuth } from '../../contract/kubernetes.ts';
import { StitchboardError } from '../../errors/errors.ts';
import { fetchErrorFor } from '../../fetch/error-type.ts';
import { chooseCluster, proxyPath } from '../proxy/proxy-target.ts';
import {
  AUTH_HEADER,
  CLUSTER_HEADER,
  requestAuthFromHeaders,
  singleHeader,
} from '../proxy/request-auth-headers.ts';
import { sendUpstream, type UpstreamAnswer } from '../../fetch/upstream/send-upstream.ts';
import type { UpstreamAgents } from '../../fetch/upstream/upstream-agents.ts';
import { clientHeadOf } from '../proxy/upgrades.ts';
import {
  downstreamResponseHeaders,
  isWebSocketUpgrade,
  switchingProtocolsHead,
  upstreamRequestHeaders,
} from '../proxy/upstream-headers.ts';

export const PROXY_PREFIX = '/api/kubernetes/proxy';

export interface ProxyRoutesOptions {
  clusters: ClusterSupplier;
  /** The cluster's auth strategy, as the query routes use it (`AuthDispatcher`). */
  auth: { getCredential(cluster: ClusterDetails, auth: KubernetesRequestAuth): Promise<Credential> };
  agents: UpstreamAgents;
}

/**
 * `/api/kubernetes/proxy/*`: Backstage's Kubernetes proxy, HTTP and WebSocket, to configured
 * clusters only. Register it with `prefix: PROXY_PREFIX`, in its own plugin: it replaces every
 * body parser with a pass-through, so request bodies reach the cluster as raw bytes.
 */
export async function proxyRoutes(app: FastifyInstance, options: ProxyRoutesOptions) {
  app.removeAllContentTypeParsers();
  // The body stays unread in `request.raw` and is streamed to the cluster.
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

  // A watch, a followed log or an exec session never ends by itself: the server's close ends them.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  const handler = (request: FastifyRequest, reply: FastifyReply) => forward(request, reply, options, open);
  app.all('/', handler);
  app.all('/*', handler);
}

async function forward(
  request: FastifyRequest,
  reply: FastifyReply,
  options: ProxyRoutesOptions,
  open: Set<() => void>,
) {
  const cluster = chooseCluster(
    await options.clusters.getClusters(),
    singleHeader(request.headers, CLUSTER_HEADER),
  );
  const path = proxyPath(request.raw.url ?? request.url, PROXY_PREFIX, cluster.url);
  const { credential, authorization } = await credentialFor(cluster, request.headers, options);
  const upgrade = isWebSocketUpgrade(request.headers);
  request.log.debug({ cluster: cluster.name, method: request.method, upgrade }, 'proxying to cluster');

  const pending = sendUpstream({
    origin: new URL(cluster.url),
    path,
    method: request.method,
    headers: upstreamRequestHeaders(request.headers, {
      ...(authorization ? { authorization } : {}),
      upgrade,
    }),
    agent: options.agents.agentFor(cluster, credential),
    ...(upgrade ? {} : { body: request.raw }),
    connectTimeoutMs: cluster.timeoutMs,
  });
  const end = () => {
    pending.abort();
    request.raw.socket.destroy();
  };
  open.add(end);
  // The caller going away ends the cluster request too: a closed log tail or watch must not linger.
  reply.raw.once('close', () => {
    open.delete(end);
    if (!reply.raw.writableFinished) pending.abort();
  });

  let answer: UpstreamAnswer;
  try {
    answer = await pending.answer;
  } catch (error) {
    throw upstreamError(cluster, error);
  }
  if (answer.kind === 'upgrade') {
    reply.hijack();
    relay(request.raw.socket, clientHeadOf(request.raw), answer);
    return reply;
  }
  const { response } = answer;
  void reply.code(response.statusCode ?? 502).headers(downstreamResponseHeaders(response.headers));
  return reply.send(response);
}

/**
 * The plain `Backstage-Kubernetes-Authorization` header goes to the cluster verbatim and no strategy
 * runs, as in Backstage. Otherwise the cluster's strategy decides, from the caller's per-provider
 * headers or its own server-side secret.
 */
async function credentialFor(
  cluster: ClusterDetails,
  headers: IncomingHttpHeaders,
  options: ProxyRoutesOptions,
): Promise<{ credential: Credential; authorization?: string }> {
  const verbatim = singleHeader(headers, AUTH_HEADER);
  if (verbatim !== undefined) return { credential: { type: 'anonymous' }, authorization: verbatim };
  const credential = await options.auth.getCredential(cluster, requestAuthFromHeaders(headers));
  if (credential.type === 'bearer token') return { credential, authorization: `Bearer ${credential.token}` };
  return { credential };
}

/**
 * 502, not Backstage's 500: the failure is the cluster's (refused, TLS, timeout), and a 5xx that
 * says "bad gateway" tells the caller to look there rather than at Stitchboard.
 */
function upstreamError(cluster: ClusterDetails, error: unknown): StitchboardError {
  const detail = fetchErrorFor(error, cluster).message;
  return new StitchboardError('CLUSTER_UNAVAILABLE', `Cluster '${cluster.name}' request error: ${detail}`, {
    cause: error,
  });
}

/** Relays a switched connection both ways until either side closes. */
function relay(client: Duplex, clientHead: Buffer, answer: Extract<UpstreamAnswer, { kind: 'upgrade' }>) {
  const { socket: upstream, response, head } = answer;
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.once('error', end).once('close', end);
  upstream.once('error', end).once('close', end);
  client.write(switchingProtocolsHead(response.rawHeaders));
  if (head.length > 0) client.write(head);
  if (clientHead.length > 0) upstream.write(clientHead);
  upstream.pipe(client);
  client.pipe(upstream);
}
