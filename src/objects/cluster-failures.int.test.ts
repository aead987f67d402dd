import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startApiserver, stopApiserver } from '../../tools/kube/lab.ts';
import {
  mountServiceAccount,
  startKubectlProxy,
  testClusters,
  uniqueNamespace,
} from '../../test/helpers/clusters.ts';
import {
  V120_OVERRIDES,
  component,
  configCluster,
  fileEngines,
  namesOf,
  testConfig,
} from '../../test/helpers/engine.ts';
import { podObject } from '../../test/helpers/pod.ts';

// One bad cluster never spoils the others: RBAC gaps, a stopped API server, a server that never answers,
// TLS trust problems and missing client tokens each become an error entry for their own cluster.
const { alpha, beta } = testClusters();
const ns = uniqueNamespace('failures');
const id = `fail-${ns.slice(-6)}`;
const entity = component('shop', { 'backstage.io/kubernetes-id': id });
const podOf = (name: string) => podObject(name, ns, { 'backstage.io/kubernetes-id': id });
const { engine, over } = fileEngines();

beforeAll(async () => {
  for (const c of [alpha, beta]) {
    await c.client.ensureNamespace(ns);
    await c.client.create(podOf(`${id}-${c.info.name}`));
    await c.client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: id, namespace: ns, labels: { 'backstage.io/kubernetes-id': id } },
    });
  }
});

describe('a ServiceAccount that may not read every type', () => {
  it('gets an error entry for the forbidden type and everything else', async () => {
    const readable = ['pods', 'services', 'limitranges', 'resourcequotas'];
    const token = await alpha.client.serviceAccountToken(ns, 'backstage-partial', {
      clusterWide: true,
      rules: [
        { apiGroups: [''], resources: readable, verbs: ['get', 'list', 'watch'] },
        {
          apiGroups: ['apps', 'batch', 'autoscaling', 'networking.k8s.io'],
          resources: ['*'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    });
    const { objects } = over([configCluster(alpha.info, { serviceAccountToken: token })], {
      apiVersionOverrides: V120_OVERRIDES,
    });
    const response = await objects.getObjectsByEntity({ entity, auth: {} });
    expect(response.items[0]?.errors).toEqual([
      { errorType: 'UNKNOWN_ERROR', statusCode: 403, resourcePath: '/api/v1/configmaps' },
    ]);
    expect(namesOf(response, alpha.info.name, 'pods')).toEqual([`${id}-${alpha.info.name}`]);
    expect(response.items[0]?.resources.map((r) => r.type)).not.toContain('configmaps');
  });

  it('reports a token the API server rejects as UNAUTHORIZED_ERROR per type', async () => {
    const { objects } = over(
      [configCluster(alpha.info, { serviceAccountToken: 'not-a-valid-token-value' })],
      {
        objectTypes: ['pods', 'services'],
      },
    );
    const response = await objects.getObjectsByEntity({ entity, auth: {} });
    expect(response.items[0]?.errors).toEqual([
      { errorType: 'UNAUTHORIZED_ERROR', statusCode: 401, resourcePath: '/api/v1/pods' },
      { errorType: 'UNAUTHORIZED_ERROR', statusCode: 401, resourcePath: '/api/v1/services' },
    ]);
  });
});

describe('a cluster that cannot answer', () => {
  let hanging: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts TCP connections and never says a word: the worst kind of broken cluster.
    hanging = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    hanging.close();
  });

  it('gives FETCH_ERROR for a stopped API server while the other cluster answers', async () => {
    const { objects } = over(
      [configCluster(alpha.info), configCluster(beta.info)],
      { apiVersionOverrides: V120_OVERRIDES },
      { stitchboard: { timeoutMs: 3000 } },
    );
    await stopApiserver(beta.info.stateDir);
    try {
      const started = performance.now();
      const response = await objects.getObjectsByEntity({ entity, auth: {} });
      expect(performance.now() - started).toBeLessThan(3000);
      expect(namesOf(response, alpha.info.name, 'pods')).toEqual([`${id}-${alpha.info.name}`]);
      const down = response.items.find((i) => i.cluster.name === beta.info.name);
      expect(down?.resources).toEqual([]);
      expect(down?.errors).toEqual([
        {
          errorType: 'FETCH_ERROR',
          message: `connection refused by cluster '${beta.info.name}' at ${beta.info.url}`,
        },
      ]);
    } finally {
      await startApiserver(beta.info.stateDir);
    }
  });

  it('cuts a cluster that never answers at its configured deadline', async () => {
    const port = (hanging.address() as { port: number }).port;
    const silent = configCluster(alpha.info, { name: 'silent', url: `https://127.0.0.1:${port}` });
    const { objects } = over(
      [configCluster(alpha.info), silent],
      { apiVersionOverrides: V120_OVERRIDES },
      { stitchboard: { clusters: { silent: { timeoutMs: 800 } } } },
    );
    const started = performance.now();
    const response = await objects.getObjectsByEntity({ entity, auth: {} });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(790);
    expect(elapsed).toBeLessThan(2500);
    expect(response.items.find((i) => i.cluster.name === 'silent')?.errors).toEqual([
      { errorType: 'FETCH_ERROR', message: "cluster 'silent' did not answer within 800 ms" },
    ]);
    expect(namesOf(response, alpha.info.name, 'pods')).toEqual([`${id}-${alpha.info.name}`]);
  });
});

describe('TLS trust', () => {
  const query = async (overrides: Parameters<typeof configCluster>[1]) => {
    const { objects } = over([configCluster(alpha.info, overrides)], { objectTypes: ['pods'] });
    return objects.getObjectsByEntity({ entity, auth: {} });
  };

  it('verifies the server with caData or caFile', async () => {
    expect(namesOf(await query({}), alpha.info.name, 'pods')).toHaveLength(1);
    expect(
      namesOf(await query({ caData: undefined, caFile: alpha.info.caFile }), alpha.info.name, 'pods'),
    ).toHaveLength(1);
  });

  it('fails with a clear per-cluster error for a wrong CA, and never leaks the token', async () => {
    const response = await query({ caData: beta.info.caData });
    const [error] = response.items[0]?.errors ?? [];
    expect(error?.errorType).toBe('FETCH_ERROR');
    expect(error && 'message' in error ? error.message : '').toMatch(
      new RegExp(
        `^TLS verification failed for cluster '${alpha.info.name}' at ${alpha.info.url}: .*check caData/caFile, or set skipTLSVerify$`,
      ),
    );
    expect(JSON.stringify(response)).not.toContain(alpha.info.adminToken);
  });

  it('fails without any CA (system roots do not know the lab CA) and works with skipTLSVerify', async () => {
    const untrusted = await query({ caData: undefined });
    expect(untrusted.items[0]?.errors[0]?.errorType).toBe('FETCH_ERROR');
    expect(
      namesOf(await query({ caData: undefined, skipTLSVerify: true }), alpha.info.name, 'pods'),
    ).toHaveLength(1);
  });
});

describe('credentials', () => {
  it('turns a missing client token into an error for that cluster only', async () => {
    const google = configCluster(beta.info, { authProvider: 'google', serviceAccountToken: undefined });
    const { objects } = over([configCluster(alpha.info), google], { objectTypes: ['pods'] });
    const response = await objects.getObjectsByEntity({ entity, auth: {} });
    expect(namesOf(response, alpha.info.name, 'pods')).toHaveLength(1);
    expect(response.items.find((i) => i.cluster.name === beta.info.name)?.errors).toEqual([
      {
        errorType: 'FETCH_ERROR',
        message: `Google token not found under auth.google in request body (cluster '${beta.info.name}')`,
      },
    ]);

    const withToken = await objects.getObjectsByEntity({ entity, auth: { google: beta.info.adminToken } });
    expect(namesOf(withToken, beta.info.name, 'pods')).toEqual([`${id}-${beta.info.name}`]);
  });

  it('uses the pod’s own ServiceAccount, API server and CA when serviceAccountToken is omitted', async () => {
    const token = await alpha.client.serviceAccountToken(ns, 'in-cluster', {
      clusterWide: true,
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
    });
    const { env, remove } = await mountServiceAccount(alpha.info, token);
    onTestFinished(remove);
    // The configured URL and CA are ignored in-cluster, as in Backstage.
    const inCluster = configCluster(alpha.info, {
      url: 'https://kubernetes.invalid',
      serviceAccountToken: undefined,
      caData: undefined,
    });
    const { objects } = over([inCluster], { objectTypes: ['pods'] }, { env });
    expect(namesOf(await objects.getObjectsByEntity({ entity, auth: {} }), alpha.info.name, 'pods')).toEqual([
      `${id}-${alpha.info.name}`,
    ]);

    const outside = over([inCluster], { objectTypes: ['pods'] });
    const response = await outside.objects.getObjectsByEntity({ entity, auth: {} });
    expect(response.items[0]?.errors).toEqual([
      {
        errorType: 'FETCH_ERROR',
        message: `no serviceAccountToken for cluster '${alpha.info.name}' and not running in Kubernetes (no mounted ServiceAccount token)`,
      },
    ]);
  });

  it('reads through a real kubectl proxy with the localKubectlProxy locator', async () => {
    const proxy = await startKubectlProxy(alpha.info);
    try {
      const { objects } = engine(
        testConfig({ clusterLocatorMethods: [{ type: 'localKubectlProxy' }], objectTypes: ['pods'] }),
        {
          STITCHBOARD_KUBECTL_PROXY_URL: proxy.url,
        },
      );
      expect(await objects.getClusters()).toEqual([{ name: 'local', authProvider: 'localKubectlProxy' }]);
      const response = await objects.getObjectsByEntity({ entity, auth: {} });
      expect(namesOf(response, 'local', 'pods')).toEqual([`${id}-${alpha.info.name}`]);
    } finally {
      await proxy.stop();
    }
  });
});

describe('a cluster whose authProvider nothing knows', () => {
  it('is listed without failing GET /clusters, and fails only itself when queried', async () => {
    const odd = configCluster(beta.info, {
      authProvider: undefined,
      authMetadata: { 'kubernetes.io/auth-provider': 'pinniped' },
    });
    const { objects } = over([configCluster(alpha.info), odd], { objectTypes: ['pods'] });
    expect(await objects.getClusters()).toEqual([
      { name: alpha.info.name, authProvider: 'serviceAccount' },
      { name: beta.info.name, authProvider: 'pinniped' },
    ]);
    const response = await objects.getObjectsByEntity({ entity, auth: {} });
    expect(namesOf(response, alpha.info.name, 'pods')).toHaveLength(1);
    expect(response.items.find((i) => i.cluster.name === beta.info.name)?.errors).toEqual([
      { errorType: 'FETCH_ERROR', message: `cluster '${beta.info.name}': unknown authProvider "pinniped"` },
    ]);
  });
});
