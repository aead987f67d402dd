/**
 * deploy/kubernetes on a real API server (issue 10, points 1-3): the manifests pass a server-side dry
 * run; applied for real, the ServiceAccount they create with exactly the RBAC they grant is enough for
 * every route Stitchboard serves and is refused everything else; and the image's command, run as a pod
 * would run it (KUBERNETES_SERVICE_HOST/PORT, a projected token + CA), follows token rotations.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { componentEntity } from '../../test/helpers/entities.ts';
import { KubeClient } from '../kube/client.ts';
import { serviceAccountToken } from '../kube/service-account-token.ts';
import { layOutImage, runImage, type RunningImage } from './image-layout.ts';
import { BASE_DIR, DEPLOY_DIR, POSTGRES_OVERLAY, kubectl } from './manifests.ts';
import { projectVolume } from './projected-token.ts';

const { alpha } = testClusters();
const NS = 'stitchboard';
const SA = 'stitchboard';
const admin = alpha.client;
const kc = ['--kubeconfig', alpha.info.kubeconfig];
const work = mkdtempSync(join(tmpdir(), 'stitchboard-deploy-'));
const apps = uniqueNamespace('deploy-apps');
const caPem = Buffer.from(alpha.info.caData, 'base64');

const API_TOKEN = 'deploy-test-token-0123456789';

async function getJson(server: RunningImage, path: string, init: RequestInit = {}) {
  const headers = { authorization: `Bearer ${API_TOKEN}`, ...(init.headers as Record<string, string>) };
  const res = await fetch(`${server.url}${path}`, { ...init, headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** No 401 or 403 from the API server anywhere in a response (Backstage's error entries, discovery). */
function expectNoRefusal(body: unknown) {
  expect(JSON.stringify(body)).not.toMatch(/"statusCode":40[13]|rejected Stitchboard|may not do that/);
}

/** The base's ConfigMap as the cluster holds it, listening on a free loopback port instead of 0.0.0.0:7007. */
async function mountedAppConfig(): Promise<string> {
  const list = await admin.get<{ items: { metadata: { name: string }; data: Record<string, string> }[] }>(
    `/api/v1/namespaces/${NS}/configmaps`,
    { labelSelector: 'app.kubernetes.io/name=stitchboard' },
  );
  const text = list.items.find((c) => c.metadata.name.startsWith('stitchboard-config-'))?.data[
    'app-config.yaml'
  ];
  if (!text) throw new Error('the applied ConfigMap has no app-config.yaml');
  const config = parse(text);
  config.backend.listen = { host: '127.0.0.1', port: 0 };
  return stringify(config);
}

/** The image laid out in `dir`, with the ConfigMap mounted at config/ and a projected ServiceAccount volume. */
async function pod(name: string, token: string, extraConfig?: Record<string, unknown>) {
  const dir = layOutImage(join(work, name));
  mkdirSync(join(dir, 'config'), { recursive: true });
  writeFileSync(join(dir, 'config', 'app-config.yaml'), await mountedAppConfig());
  const saRoot = join(dir, 'var', 'run', 'secrets', 'kubernetes.io', 'serviceaccount');
  await projectVolume(saRoot, { token, 'ca.crt': caPem, namespace: NS });
  const url = new URL(alpha.info.url);
  const env = {
    KUBERNETES_SERVICE_HOST: url.hostname,
    KUBERNETES_SERVICE_PORT: url.port,
    STITCHBOARD_SERVICEACCOUNT_DIR: saRoot,
  };
  if (!extraConfig) return { dir, saRoot, server: await runImage(dir, env) };
  // A second config file, as the PostgreSQL overlay mounts one: the command gains `--config` for it.
  writeFileSync(join(dir, 'config', 'app-config.test.yaml'), stringify(extraConfig));
  const { imageCommand } = await import('./image-layout.ts');
  const command = imageCommand();
  command.argv.push('--config', 'config/app-config.test.yaml');
  return { dir, saRoot, server: await runImage(dir, env, command) };
}

const servers: RunningImage[] = [];

beforeAll(async () => {
  // A server-side dry run cannot create the namespace it then puts everything in: make it first.
  await kubectl(['apply', '-f', join(BASE_DIR, 'namespace.yaml'), ...kc]);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(work, { recursive: true, force: true });
});

describe('kubectl 1.20 apply -k --dry-run=server', () => {
  it.each([
    ['the base', DEPLOY_DIR, 1],
    ['the PostgreSQL overlay', POSTGRES_OVERLAY, 3],
  ])('accepts %s', async (_name, dir, replicas) => {
    const out = await kubectl(['apply', '-k', dir, '--dry-run=server', '-o', 'yaml', ...kc]);
    const items = (parse(out) as { items: { kind: string; spec?: { replicas?: number } }[] }).items;
    expect(items.map((i) => i.kind).sort()).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'Deployment',
      'Namespace',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
    ]);
    expect(items.find((i) => i.kind === 'Deployment')?.spec?.replicas).toBe(replicas);
  });
});

describe('the ServiceAccount the manifests create, with the RBAC they grant', () => {
  let token = '';
  let server: RunningImage;

  beforeAll(async () => {
    await kubectl(['apply', '-k', DEPLOY_DIR, ...kc]);
    // TokenRequest for the manifests' own account; no rule is added here (`rules` unset).
    token = await serviceAccountToken(admin, NS, SA);
    await admin.ensureNamespace(apps);
    const labels = { app: 'shop', 'backstage.io/kubernetes-id': 'shop' };
    const template = { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'shop:1' }] } };
    const deployment = await admin.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'shop', namespace: apps, labels },
      spec: { selector: { matchLabels: { app: 'shop' } }, template },
    });
    const owner = (o: { kind?: string; metadata?: { name?: string; uid?: string } }, apiVersion: string) => [
      {
        apiVersion,
        kind: String(o.kind),
        name: String(o.metadata?.name),
        uid: String(o.metadata?.uid),
        controller: true,
      },
    ];
    const replicaSet = await admin.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'shop-7d4', namespace: apps, labels, ownerReferences: owner(deployment, 'apps/v1') },
      spec: { selector: { matchLabels: { app: 'shop' } }, template },
    });
    await admin.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'shop-7d4-x1',
        namespace: apps,
        labels,
        ownerReferences: owner(replicaSet, 'apps/v1'),
      },
      spec: template.spec,
    });
    await admin.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'shop', namespace: apps, labels },
      spec: { selector: { app: 'shop' }, ports: [{ port: 80 }] },
    });
    await admin.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'shop-7d4-x1.1', namespace: apps },
      involvedObject: { kind: 'Pod', name: 'shop-7d4-x1', namespace: apps },
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      type: 'Warning',
    });
    await admin.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'backstage-seen', namespace: NS, labels: { 'stitchboard.io/scraper': 'Backstage' } },
      stringData: { endpoint: 'http://127.0.0.1:9' },
    });
    const catalog = join(work, 'catalog-info.yaml');
    writeFileSync(catalog, stringify(componentEntity('shop', { 'backstage.io/kubernetes-id': 'shop' })));
    ({ server } = await pod('routes', token, {
      stitchboard: {
        catalog: [{ type: 'file', path: catalog }],
        permissions: [{ allow: ['*'], users: ['test'] }],
      },
      // Writes (adding an instance) need a token granted stitchboard.admin: one static token for the test.
      backend: {
        auth: { externalAccess: [{ type: 'static', options: { token: API_TOKEN, subject: 'test' } }] },
      },
      // Kubernetes 1.20 serves neither autoscaling/v2 nor batch/v1 CronJobs (docs/deploy.md).
      kubernetes: { apiVersionOverrides: { horizontalpodautoscalers: 'v2beta2', cronjobs: 'v1beta1' } },
    }));
    servers.push(server);
  });

  it('is ready once the watch caches synced with that token, and every informer was allowed', async () => {
    let ready = await getJson(server, '/readyz');
    for (let i = 0; i < 100 && ready.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await getJson(server, '/readyz');
    }
    expect(ready).toEqual({
      status: 200,
      body: { status: 'ready', ready: true, clusters: { 'in-cluster': 'synced' } },
    });
    const health = await getJson(server, '/healthz');
    expect(health.body).toMatchObject({
      checks: { watchCache: { clusters: { 'in-cluster': { informers: 13, synced: 13, refused: 0 } } } },
    });
  });

  it('serves the Kubernetes routes with every object type allowed', async () => {
    expect((await getJson(server, '/api/kubernetes/clusters')).body).toMatchObject({
      items: [{ name: 'in-cluster', authProvider: 'serviceAccount' }],
    });
    const post = (path: string, body: unknown) =>
      getJson(server, path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const answer of [
      await post('/api/kubernetes/services/shop', { entity: componentEntity('shop', {}) }),
      await post('/api/kubernetes/resources/workloads/query', { entityRef: 'component:default/shop' }),
    ]) {
      expect(answer.status).toBe(200);
      expectNoRefusal(answer.body);
      const [item] = answer.body.items as {
        errors: unknown[];
        resources: { type: string; resources: unknown[] }[];
      }[];
      // The only error entry: no metrics-server on this API server (a 404, not a refusal).
      expect(item?.errors).toEqual([
        {
          errorType: 'NOT_FOUND',
          resourcePath: `/apis/metrics.k8s.io/v1beta1/namespaces/${apps}/pods`,
          statusCode: 404,
        },
      ]);
      const found = Object.fromEntries((item?.resources ?? []).map((r) => [r.type, r.resources.length]));
      expect(found).toMatchObject({ pods: 1, services: 1, deployments: 1, replicasets: 1 });
    }
  });

  it("serves the UI's object, events and who-owns reads", async () => {
    const component = await getJson(server, '/api/stitchboard/components/component/default/shop');
    expect(component.status).toBe(200);
    expectNoRefusal(component.body);
    expect(JSON.stringify(component.body)).toContain('shop-7d4-x1');
    const events = await getJson(
      server,
      `/api/stitchboard/events?cluster=in-cluster&namespace=${apps}&kind=Pod&name=shop-7d4-x1`,
    );
    expect(events.status).toBe(200);
    expect(JSON.stringify(events.body)).toContain('Back-off restarting failed container');
    const owner = await getJson(server, '/api/stitchboard/who-owns?q=shop-7d4-x1');
    expect(owner.status).toBe(200);
    expectNoRefusal(owner.body);
    expect(JSON.stringify(owner.body)).toMatch(/"kind":"ReplicaSet".*"kind":"Deployment"/);
  });

  it('discovers the Backstage Secrets of its namespace and adds an instance there', async () => {
    const before = await getJson(server, '/api/stitchboard/instances');
    expect(before.body.discovery).toMatchObject([
      { cluster: 'in-cluster', namespaces: [NS], status: 'ok', found: 1 },
    ]);
    const created = await getJson(server, '/api/stitchboard/instances', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ namespace: NS, name: 'added-by-ui', endpoint: 'https://backstage.example.com' }),
    });
    expect(created.status).toBe(201);
    const secret = await admin.get<{ metadata: { labels: Record<string, string> } }>(
      `/api/v1/namespaces/${NS}/secrets/added-by-ui`,
    );
    expect(secret.metadata.labels).toMatchObject({ 'causely.ai/scraper': 'Backstage' });
    const after = await getJson(server, '/api/stitchboard/instances');
    expect(after.body.discovery).toMatchObject([
      { cluster: 'in-cluster', namespaces: [NS], status: 'ok', found: 2 },
    ]);
  });

  it('is refused by the API server every write elsewhere, and Secrets outside its namespace', async () => {
    const as = new KubeClient(alpha.info, { token });
    try {
      const secret = (namespace: string) => ({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'nope', namespace },
        stringData: { endpoint: 'https://x.example' },
      });
      const attempts: [string, string, unknown?][] = [
        ['POST', `/api/v1/namespaces/${apps}/secrets`, secret(apps)],
        ['GET', `/api/v1/namespaces/${apps}/secrets`],
        ['GET', '/api/v1/secrets'],
        ['PUT', `/api/v1/namespaces/${NS}/secrets/added-by-ui`, secret(NS)],
        ['DELETE', `/api/v1/namespaces/${NS}/secrets/added-by-ui`],
        [
          'POST',
          `/api/v1/namespaces/${NS}/configmaps`,
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
        ],
        ['DELETE', `/api/v1/namespaces/${apps}/pods/shop-7d4-x1`],
        ['PATCH', `/apis/apps/v1/namespaces/${apps}/deployments/shop`, { spec: { replicas: 0 } }],
        ['GET', `/api/v1/persistentvolumes`],
        [
          'POST',
          '/apis/rbac.authorization.k8s.io/v1/clusterroles',
          { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x' } },
        ],
      ];
      for (const [method, path, body] of attempts) {
        const res = await as.request(method, path, {
          ...(body ? { body } : {}),
          ...(method === 'PATCH' ? { contentType: 'application/merge-patch+json' } : {}),
        });
        expect(`${method} ${path}: ${res.status}`).toBe(`${method} ${path}: 403`);
      }
    } finally {
      as.close();
    }
  });
});

describe('in-cluster mode, run as a pod would be', () => {
  it("serves /healthz from the image's own command, and reads with whatever token the kubelet last projected", async () => {
    const good = await serviceAccountToken(admin, NS, SA);
    const { saRoot, server } = await pod('rotation', good);
    servers.push(server);
    expect((await getJson(server, '/healthz')).status).toBe(200);
    const discovery = async () =>
      (
        (await getJson(server, '/api/stitchboard/instances')).body.discovery as {
          status: string;
          message?: string;
        }[]
      )[0];
    expect(await discovery()).toMatchObject({ status: 'ok' });

    // Another ServiceAccount, with no RBAC at all: the API server knows it, and refuses it the Secrets.
    const other = await serviceAccountToken(admin, NS, 'stitchboard-no-rbac');
    await projectVolume(saRoot, { token: other, 'ca.crt': caPem, namespace: NS });
    expect(await discovery()).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/may not do that/),
    });

    // A token the API server does not accept at all (as a revoked one).
    await projectVolume(saRoot, { token: 'revoked.token.value', 'ca.crt': caPem, namespace: NS });
    expect(await discovery()).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/rejected Stitchboard's credential/),
    });

    // The kubelet projects a fresh token of the right account: the very next request uses it.
    await projectVolume(saRoot, {
      token: await serviceAccountToken(admin, NS, SA),
      'ca.crt': caPem,
      namespace: NS,
    });
    expect(await discovery()).toMatchObject({ status: 'ok' });
    expect(server.output()).not.toContain(good);
    expect(server.output()).not.toContain(other);
  });
});
