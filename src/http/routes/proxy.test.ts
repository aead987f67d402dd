import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Credential } from '../../auth/types.ts';
import type { ClusterDetails } from '../../clusters/types.ts';
import type { KubernetesRequestAuth } from '../../contract/kubernetes.ts';
import { unauthenticated } from '../../errors/errors.ts';
import { startLoopbackUpstream, type LoopbackUpstream } from '../proxy/loopback-upstream.test-support.ts';
import { buildTestServer, type TestServer } from '../test-helpers.ts';

const TOKEN = 'stitchboard-token-9c1d7e3a5b';
const CLUSTER_TOKEN = 'cluster-sa-token-4e8f2a6c';

function cluster(name: string, url: string, authProvider = 'serviceAccount'): ClusterDetails {
  return {
    name,
    url,
    authMetadata: { 'kubernetes.io/auth-provider': authProvider },
    skipTLSVerify: false,
    skipMetricsLookup: true,
    timeoutMs: 2000,
    mode: 'live',
  };
}

/** A strategy stand-in that records what the proxy asked it, answering per provider as Stitchboard's do. */
class RecordingAuth {
  readonly asked: { cluster: string; auth: KubernetesRequestAuth }[] = [];
  async getCredential(c: ClusterDetails, auth: KubernetesRequestAuth): Promise<Credential> {
    this.asked.push({ cluster: c.name, auth });
    const provider = c.authMetadata['kubernetes.io/auth-provider'];
    if (provider === 'serviceAccount') return { type: 'bearer token', token: CLUSTER_TOKEN };
    if (provider === 'localKubectlProxy') return { type: 'anonymous' };
    const okta = (auth.oidc as Record<string, string> | undefined)?.okta;
    if (!okta) {
      throw unauthenticated(`Auth token not found under oidc.okta in request body (cluster '${c.name}')`);
    }
    return { type: 'bearer token', token: okta };
  }
}

let upstream: LoopbackUpstream;
const upstreams: LoopbackUpstream[] = [];
let server: TestServer;
let auth: RecordingAuth;
const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  await server?.app.close();
  for (const u of upstreams.splice(0)) await u.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The upstream the test talks to, closed after it. */
async function startUpstream(options?: Parameters<typeof startLoopbackUpstream>[0]) {
  upstream = await startLoopbackUpstream(options);
  upstreams.push(upstream);
  return upstream;
}

async function start(options: { clusters?: ClusterDetails[]; enabled?: boolean } = {}) {
  if (upstreams.length === 0) await startUpstream();
  auth = new RecordingAuth();
  const clusters = options.clusters ?? [cluster('alpha', upstream.url)];
  server = await buildTestServer({
    tokens: [{ token: TOKEN, subject: 'ci' }],
    proxy: {
      settings: { enabled: options.enabled ?? true, middlewareCache: { maxSize: 10, ttlMs: 60_000 } },
      clusters: { getClusters: async () => clusters },
      auth,
    },
  });
  return server;
}

/** The test server listening on a loopback port, for requests a socket must make. */
async function listen() {
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  return (server.app.server.address() as AddressInfo).port;
}

/** An upstream that answers a watch with one ADDED event and keeps it open, behind a listening server. */
async function serveOpenWatch(): Promise<number> {
  await startUpstream({
    respond: (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"type":"ADDED"}\n');
    },
  });
  await start();
  return listen();
}

/** Opens a pod watch through the proxy on `port`, as a caller that keeps it open would. */
function watchPods(port: number, onResponse: (res: IncomingMessage) => void) {
  return httpRequest(
    {
      port,
      host: '127.0.0.1',
      path: '/api/kubernetes/proxy/api/v1/pods?watch=true',
      headers: { authorization: `Bearer ${TOKEN}` },
    },
    onResponse,
  );
}

function proxy(
  path: string,
  headers: Record<string, string> = {},
  method: 'GET' | 'POST' | 'DELETE' = 'GET',
) {
  return server.app.inject({
    method,
    url: `/api/kubernetes/proxy${path}`,
    headers: { authorization: `Bearer ${TOKEN}`, ...headers },
  });
}

describe('what the cluster receives', () => {
  it("the cluster's credential, never the caller's token, cookies, Backstage-* or Impersonate-* headers", async () => {
    await start();
    const res = await proxy('/api/v1/namespaces/default/pods?limit=5', {
      'backstage-kubernetes-cluster': 'alpha',
      'backstage-kubernetes-authorization-oidc-okta': 'okta-id-token',
      'backstage-request-id': 'r-1',
      cookie: 'backstage-auth=session',
      'impersonate-user': 'system:admin',
      accept: 'application/json;as=Table',
    });
    expect(res.statusCode).toBe(200);
    const seen = upstream.seen.at(-1);
    expect(seen?.url).toBe('/api/v1/namespaces/default/pods?limit=5');
    expect(seen?.headers.authorization).toBe(`Bearer ${CLUSTER_TOKEN}`);
    expect(seen?.headers.accept).toBe('application/json;as=Table');
    const names = Object.keys(seen?.headers ?? {});
    expect(names.filter((n) => /^(backstage-|impersonate-|cookie$)/.test(n))).toEqual([]);
    expect(JSON.stringify(seen?.headers)).not.toContain(TOKEN);
  });

  it('no Authorization at all with an anonymous credential (Backstage would forward the caller token here)', async () => {
    await startUpstream();
    await start({ clusters: [cluster('local', upstream.url, 'localKubectlProxy')] });
    expect((await proxy('/api')).statusCode).toBe(200);
    expect(upstream.seen.at(-1)?.headers).not.toHaveProperty('authorization');
  });

  it('Backstage-Kubernetes-Authorization verbatim, without asking the strategy', async () => {
    await start();
    await proxy('/api', { 'backstage-kubernetes-authorization': 'Bearer user-k8s-token' });
    expect(upstream.seen.at(-1)?.headers.authorization).toBe('Bearer user-k8s-token');
    expect(auth.asked).toEqual([]);
  });

  it('the per-provider headers as the request auth the strategy gets', async () => {
    await startUpstream();
    await start({ clusters: [cluster('dev', upstream.url, 'oidc')] });
    await proxy('/api', { 'backstage-kubernetes-authorization-oidc-okta': 'okta-id-token' });
    expect(auth.asked).toEqual([{ cluster: 'dev', auth: { oidc: { okta: 'okta-id-token' } } }]);
    expect(upstream.seen.at(-1)?.headers.authorization).toBe('Bearer okta-id-token');
  });

  it('the body as raw bytes, whatever its type, and the method', async () => {
    await start();
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n';
    const notJson = '{"spec": broken';
    for (const [type, body] of [
      ['application/apply-patch+yaml', yaml],
      ['application/json', notJson],
      ['application/octet-stream', '\u0001\u0002'],
    ] as const) {
      const res = await server.app.inject({
        method: 'PATCH',
        url: '/api/kubernetes/proxy/api/v1/namespaces/ns/configmaps/x?fieldManager=me',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': type },
        payload: body,
      });
      expect(res.statusCode).toBe(200);
      expect(upstream.seen.at(-1)).toMatchObject({
        method: 'PATCH',
        body,
        headers: { 'content-type': type },
      });
    }
  });
});

describe('what the caller receives', () => {
  it("the cluster's status, headers and body as they are", async () => {
    await startUpstream({
      respond: (_req, res) => {
        res.writeHead(409, { 'content-type': 'application/json', 'audit-id': 'a-1' });
        res.end('{"kind":"Status","code":409}');
      },
    });
    await start();
    const res = await proxy('/api/v1/namespaces', {}, 'POST');
    expect({ status: res.statusCode, audit: res.headers['audit-id'], body: res.body }).toEqual({
      status: 409,
      audit: 'a-1',
      body: '{"kind":"Status","code":409}',
    });
  });

  it.each([
    [{}, [], 404, 'No Clusters configured'],
    [{ 'backstage-kubernetes-cluster': 'gamma' }, ['alpha', 'beta'], 404, "Cluster 'gamma' not found"],
    [{}, ['alpha', 'beta'], 404, "Cluster '' not found"],
  ])('%j with clusters %j → %d', async (headers, names, status, message) => {
    await startUpstream();
    await start({ clusters: names.map((n) => cluster(n, upstream.url)) });
    const res = await proxy('/api', headers);
    expect([res.statusCode, res.json().error.message]).toEqual([status, message]);
    expect(upstream.seen).toEqual([]);
  });

  it("the strategy's refusal, naming the cluster, when the caller's cluster token is missing", async () => {
    await startUpstream();
    await start({ clusters: [cluster('dev', upstream.url, 'oidc')] });
    const res = await proxy('/api');
    expect([res.statusCode, res.json().error.message]).toEqual([
      401,
      "Auth token not found under oidc.okta in request body (cluster 'dev')",
    ]);
  });

  it('502 with a ForwardedError naming the cluster when it cannot be reached', async () => {
    const closed = await startLoopbackUpstream();
    const url = closed.url;
    await closed.close();
    await start({ clusters: [cluster('alpha', url)] });
    const res = await proxy('/api/v1/pods');
    expect(res.statusCode).toBe(502);
    expect(res.json()).toEqual({
      error: {
        name: 'ForwardedError',
        code: 'CLUSTER_UNAVAILABLE',
        message: `Cluster 'alpha' request error: connection refused by cluster 'alpha' at ${url}`,
      },
      request: { method: 'GET', url: '/api/kubernetes/proxy/api/v1/pods' },
      response: { statusCode: 502 },
    });
  });

  it('502 when the TLS handshake never finishes, after the cluster timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise((resolve) => silent.close(resolve));
    });
    const url = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    await start({ clusters: [{ ...cluster('slow', url), timeoutMs: 300 }] });
    const started = Date.now();
    const res = await proxy('/api');
    expect([res.statusCode, res.json().error.message]).toEqual([
      502,
      `Cluster 'slow' request error: connecting to cluster 'slow' at ${url} timed out`,
    ]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('404 when the proxy is not enabled, and 401 without a token like every route', async () => {
    await start({ enabled: false });
    expect((await proxy('/api')).statusCode).toBe(404);
    await server.app.close();
    await start();
    const res = await server.app.inject({ method: 'GET', url: '/api/kubernetes/proxy/api' });
    expect([res.statusCode, res.json().error.message]).toEqual([
      401,
      'Missing Authorization header with a bearer token',
    ]);
    expect(upstream.seen).toEqual([]);
  });
});

describe('over a real socket', () => {
  it("refuses a '..' segment that would climb out of the cluster URL's path", async () => {
    await startUpstream();
    await start({ clusters: [cluster('c-1', `${upstream.url}/k8s/clusters/c-1`)] });
    const port = await listen();
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end(
          `GET /api/kubernetes/proxy/../c-2/api/v1/secrets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`,
        );
      });
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1.1 400 /);
    expect(raw).toContain("Proxy request path must not contain '.' or '..' segments");
    expect(upstream.seen).toEqual([]);
  });

  it('ends the cluster request when the caller goes away mid-stream (a closed watch)', async () => {
    const port = await serveOpenWatch();
    await new Promise<void>((resolve, reject) => {
      const req = watchPods(port, (res) => {
        res.once('data', (chunk: Buffer) => {
          expect(chunk.toString()).toBe('{"type":"ADDED"}\n');
          req.destroy();
          resolve();
        });
      });
      req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
      req.end();
    });
    await expect.poll(() => upstream.aborted).toEqual(['/api/v1/pods?watch=true']);
  });
});

describe('server shutdown', () => {
  it('ends open watches so the server can close', async () => {
    const port = await serveOpenWatch();
    const ended = new Promise<void>((resolve, reject) => {
      const req = watchPods(port, (res) => {
        res.on('data', () => {});
        res.on('error', () => resolve());
        res.on('close', () => resolve());
      });
      req.on('error', () => resolve());
      req.setTimeout(5000, () => reject(new Error('the watch was not ended')));
      req.end();
    });
    await expect.poll(() => upstream.seen.length).toBe(1);
    const started = Date.now();
    await server.app.close();
    await ended;
    expect(Date.now() - started).toBeLessThan(2000);
    await expect.poll(() => upstream.aborted).toEqual(['/api/v1/pods?watch=true']);
  });
});
