import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WebSocket } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configCluster, testConfig } from '../../../test/helpers/engine.ts';
import { testClusters, uniqueNamespace, type TestCluster } from '../../../test/helpers/clusters.ts';
import { podObject } from '../../../test/helpers/pod.ts';
import { createApp, type App } from '../../app.ts';
import type { Credential } from '../../auth/types.ts';
import type { ClusterDetails } from '../../clusters/types.ts';
import type { Config } from '../../config/types.ts';
import { startLoopbackUpstream } from '../proxy/loopback-upstream.test-support.ts';
import { buildServer } from '../server.ts';
import { backendConfig, captureLogs, InMemoryCatalog, RecordingObjectsService } from '../test-helpers.ts';
import { createMetrics } from '../metrics.ts';

const run = promisify(execFile);
const TOKEN = `stitchboard-${randomBytes(8).toString('hex')}`;

let alpha: TestCluster;
let beta: TestCluster;
let app: App;
let base: string;
let subPath: PathStrippingProxy;

/**
 * A gateway in front of alpha's API server, as Rancher puts clusters under `/k8s/clusters/<id>`:
 * it strips its prefix, forwards to the real API server, and records what it was sent.
 */
interface PathStrippingProxy {
  url: string;
  seen: { path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

async function startPathStrippingProxy(target: TestCluster, prefix: string): Promise<PathStrippingProxy> {
  const seen: PathStrippingProxy['seen'] = [];
  const ca = Buffer.from(target.info.caData, 'base64');
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '';
    seen.push({ path: url, headers: req.headers });
    if (!url.startsWith(`${prefix}/`)) {
      res.writeHead(404).end('outside the gateway prefix');
      return;
    }
    const upstream = httpsRequest(
      new URL(url.slice(prefix.length), target.info.url),
      { method: req.method, headers: { ...req.headers, host: new URL(target.info.url).host }, ca },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function config(): Config {
  const c = testConfig({
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          configCluster(alpha.info),
          configCluster(beta.info),
          configCluster(alpha.info, {
            name: 'alpha-readonly',
            serviceAccountToken: alpha.info.readonlyToken,
          }),
          { ...configCluster(alpha.info), name: 'alpha-gateway', url: subPath.url, caData: undefined },
        ],
      },
    ],
    proxy: { enabled: true, middlewareCache: { maxSize: 10, ttlMs: 60_000 } },
  });
  c.backend.auth.externalAccess = [{ token: TOKEN, subject: 'proxy-test' }];
  return c;
}

beforeAll(async () => {
  ({ alpha, beta } = testClusters());
  subPath = await startPathStrippingProxy(alpha, '/k8s/clusters/alpha');
  app = await createApp(config(), {
    logger: captureLogs().logger,
    catalog: new InMemoryCatalog([]),
    env: {},
  });
  await app.server.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}/api/kubernetes/proxy`;
});

afterAll(async () => {
  await app?.close();
  await subPath?.close();
});

function proxy(
  path: string,
  init: { cluster?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  return fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(init.cluster ? { 'backstage-kubernetes-cluster': init.cluster } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
}

/** A namespace of its own on `cluster`, created, for one test. */
async function namespaceOn(cluster: TestCluster, prefix: string): Promise<string> {
  const ns = uniqueNamespace(prefix);
  await cluster.client.ensureNamespace(ns);
  return ns;
}

function configMap(ns: string, name: string, data?: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns },
    ...(data ? { data } : {}),
  };
}

function event(ns: string, name: string, objectName: string, message: string) {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: ns },
    involvedObject: { kind: 'Pod', name: objectName, namespace: ns, apiVersion: 'v1' },
    reason: 'BackOff',
    message,
    type: 'Warning',
    count: 1,
  };
}

describe('the proxy against real API servers', () => {
  it("lists a pod's events the way Backstage's frontend asks, the field selector kept", async () => {
    const ns = await namespaceOn(alpha, 'proxy-events');
    await alpha.client.create(event(ns, 'web-1.a', 'web-1', 'Back-off restarting failed container'));
    await alpha.client.create(event(ns, 'db-0.b', 'db-0', 'something else'));
    const res = await proxy(`/api/v1/namespaces/${ns}/events?fieldSelector=involvedObject.name=web-1`, {
      cluster: 'alpha',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { kind: string; items: { message: string }[] };
    expect(body.kind).toBe('EventList');
    expect(body.items.map((e) => e.message)).toEqual(['Back-off restarting failed container']);
  });

  it('reads an object from the cluster the header names', async () => {
    const ns = await namespaceOn(beta, 'proxy-read');
    await beta.client.create(configMap(ns, 'settings', { k: 'beta' }));
    const res = await proxy(`/api/v1/namespaces/${ns}/configmaps/settings`, { cluster: 'beta' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown }).data).toEqual({ k: 'beta' });
    // The same path on alpha: the namespace does not exist there.
    expect((await proxy(`/api/v1/namespaces/${ns}/configmaps/settings`, { cluster: 'alpha' })).status).toBe(
      404,
    );
  });

  it('deletes a pod, as the frontend does with podDelete enabled', async () => {
    const ns = await namespaceOn(alpha, 'proxy-delete');
    await alpha.client.create(podObject('doomed', ns, {}, 'busybox'));
    const res = await proxy(`/api/v1/namespaces/${ns}/pods/doomed`, { cluster: 'alpha', method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { metadata: { name: string } }).metadata.name).toBe('doomed');
    const after = await alpha.client.request('GET', `/api/v1/namespaces/${ns}/pods/doomed`);
    expect(after.status).toBe(404);
  });

  it('creates with a raw body and keeps the query string (a dry run creates nothing)', async () => {
    const ns = await namespaceOn(alpha, 'proxy-body');
    const res = await proxy(`/api/v1/namespaces/${ns}/configmaps?dryRun=All`, {
      cluster: 'alpha',
      method: 'POST',
      body: configMap(ns, 'dry', { a: '1' }),
    });
    expect(res.status).toBe(201);
    expect((await alpha.client.request('GET', `/api/v1/namespaces/${ns}/configmaps/dry`)).status).toBe(404);
  });

  it("passes the cluster's own 404 and 403 through, with its Status body", async () => {
    const ns = await namespaceOn(alpha, 'proxy-status');
    const missing = await proxy(`/api/v1/namespaces/${ns}/pods/nope`, { cluster: 'alpha' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });

    await alpha.client.create(podObject('kept', ns, {}, 'busybox'));
    const forbidden = await proxy(`/api/v1/namespaces/${ns}/pods/kept`, {
      cluster: 'alpha-readonly',
      method: 'DELETE',
    });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
    expect((await alpha.client.request('GET', `/api/v1/namespaces/${ns}/pods/kept`)).status).toBe(200);
  });

  it("keeps the cluster URL's sub-path, and the gateway never sees the caller's token or Backstage headers", async () => {
    const ns = await namespaceOn(alpha, 'proxy-subpath');
    await alpha.client.create(configMap(ns, 'via-gateway'));
    const res = await proxy(`/api/v1/namespaces/${ns}/configmaps?labelSelector=&limit=10`, {
      cluster: 'alpha-gateway',
      headers: { 'backstage-kubernetes-authorization-google': 'google-token', cookie: 'backstage=1' },
    });
    expect(res.status).toBe(200);
    expect(
      ((await res.json()) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name),
    ).toEqual(['via-gateway']);
    const seen = subPath.seen.at(-1);
    expect(seen?.path).toBe(`/k8s/clusters/alpha/api/v1/namespaces/${ns}/configmaps?labelSelector=&limit=10`);
    expect(seen?.headers.authorization).toBe(`Bearer ${alpha.info.adminToken}`);
    expect(JSON.stringify(seen?.headers)).not.toContain(TOKEN);
    expect(
      Object.keys(seen?.headers ?? {}).filter((h) => h.startsWith('backstage-') || h === 'cookie'),
    ).toEqual([]);
  });

  it('streams a watch over WebSocket: the ADDED event of an object created after the handshake', async () => {
    const ns = await namespaceOn(alpha, 'proxy-ws');
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/namespaces/${ns}/configmaps?watch=true`, {
      // The API server's WebSocket handler refuses a handshake without an Origin (browsers always send one).
      headers: { authorization: `Bearer ${TOKEN}`, 'backstage-kubernetes-cluster': 'alpha', origin: base },
    });
    const events: { type: string; object: { metadata: { name: string } } }[] = [];
    ws.addEventListener('message', (e) => events.push(JSON.parse(String(e.data))));
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve());
      ws.addEventListener('error', () => reject(new Error('WebSocket handshake failed')));
    });
    await alpha.client.create(configMap(ns, 'watched'));
    await expect
      .poll(() => events.map((e) => `${e.type} ${e.object.metadata.name}`), { timeout: 10_000 })
      .toEqual(['ADDED watched']);
    ws.close();
  });

  it('answers a WebSocket handshake without a token with 401, like any request, before reaching a cluster', async () => {
    const answer = await handshake(`${base}/api/v1/namespaces/default/configmaps?watch=true`, {
      'backstage-kubernetes-cluster': 'alpha',
    });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { name: 'AuthenticationError' } });
  });

  it("passes the cluster's refusal of a WebSocket handshake through, status and body", async () => {
    const target = `${base}/api/v1/namespaces/default/configmaps?watch=true`;
    const refused = await handshake(target, {
      authorization: `Bearer ${TOKEN}`,
      'backstage-kubernetes-cluster': 'alpha',
      'backstage-kubernetes-authorization': 'Bearer not-a-cluster-token',
      origin: base,
    });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
    const missingPod = await handshake(
      `${base}/api/v1/namespaces/default/pods/none/exec?command=sh&stdout=true`,
      {
        authorization: `Bearer ${TOKEN}`,
        'backstage-kubernetes-cluster': 'alpha',
        origin: base,
      },
    );
    expect(missingPod.status).toBe(404);
    expect(JSON.parse(missingPod.body)).toMatchObject({ kind: 'Status', code: 404 });
  });

  it('404 for a cluster that is not configured: the header is a name, never an address', async () => {
    const res = await proxy('/api', { cluster: new URL(alpha.info.url).host });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      `Cluster '${new URL(alpha.info.url).host}' not found`,
    );
  });
});

/** A WebSocket handshake by hand, to read the status of a refused one (a WebSocket client hides it). */
function handshake(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: '' });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('an x509 client certificate credential', () => {
  it('is presented on the TLS connection to the cluster, with no Authorization header', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stitchboard-x509-'));
    try {
      const pki = join(alpha.info.stateDir, 'pki');
      const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
      await openssl(
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'client.key',
        '-out',
        'client.csr',
        '-subj',
        '/CN=alice-x509',
      );
      await openssl(
        'x509',
        '-req',
        '-in',
        'client.csr',
        '-CA',
        join(pki, 'ca.crt'),
        '-CAkey',
        join(pki, 'ca.key'),
        '-CAserial',
        join(dir, 'ca.srl'),
        '-CAcreateserial',
        '-days',
        '1',
        '-out',
        'client.crt',
      );
      const ca = await readFile(join(pki, 'ca.crt'), 'utf8');
      // An https upstream with the API server's own serving certificate, demanding a client certificate from alpha's CA.
      const upstream = await startLoopbackUpstream({
        tls: {
          cert: await readFile(join(pki, 'apiserver.crt'), 'utf8'),
          key: await readFile(join(pki, 'apiserver.key'), 'utf8'),
          ca,
        },
      });
      const credential: Credential = {
        type: 'x509 client certificate',
        cert: await readFile(join(dir, 'client.crt'), 'utf8'),
        key: await readFile(join(dir, 'client.key'), 'utf8'),
      };
      const cluster: ClusterDetails = {
        name: 'pinniped',
        url: upstream.url,
        caData: alpha.info.caData,
        authMetadata: { 'kubernetes.io/auth-provider': 'pinniped' },
        skipTLSVerify: false,
        skipMetricsLookup: true,
        timeoutMs: 5000,
        mode: 'live',
      };
      const server = await buildServer({
        config: backendConfig({ tokens: [{ token: TOKEN, subject: 'x' }] }),
        catalog: new InMemoryCatalog([]),
        kubernetes: new RecordingObjectsService(),
        logger: captureLogs().logger,
        metrics: createMetrics(),
        proxy: {
          settings: { enabled: true, middlewareCache: { maxSize: 10, ttlMs: 60_000 } },
          clusters: { getClusters: async () => [cluster] },
          auth: { getCredential: async () => credential },
        },
      });
      const res = await server.inject({
        method: 'GET',
        url: '/api/kubernetes/proxy/api/v1/namespaces',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      await server.close();
      await upstream.close();
      expect(res.statusCode).toBe(200);
      expect(upstream.seen.at(-1)?.clientCertCN).toBe('alice-x509');
      expect(upstream.seen.at(-1)?.headers).not.toHaveProperty('authorization');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
