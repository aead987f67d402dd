import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/contract/kubernetes.ts';
import {
  freshNamespace,
  startKubectlProxy,
  testClusters,
  uniqueNamespace,
} from '../../test/helpers/clusters.ts';
import { applyCrd, ROLLOUTS } from '../../test/helpers/crd.ts';
import { KubeClient, KubeRequestError } from './client.ts';
import type { KubeList } from './client.ts';
import { readClusterInfo, startApiserver, startCluster, stopApiserver } from './lab.ts';

const { alpha, beta } = testClusters();
afterAll(() => {
  alpha.client.close();
  beta.client.close();
});

const pod = (name: string, namespace: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
});
const configMap = (name: string, namespace: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data: { key: 'value' },
});

describe('the two test clusters', () => {
  it('are ready, separate, and each trusts only its own tokens and CA', async () => {
    expect(alpha.info.url).not.toBe(beta.info.url);
    for (const c of [alpha, beta]) {
      expect(await c.client.request('GET', '/readyz')).toEqual({ status: 200, body: 'ok' });
      const version = await c.client.get<{ gitVersion: string }>('/version');
      expect(version.gitVersion).toBe('v1.20.2');
    }
    const alphaTokenOnBeta = new KubeClient(beta.info, { token: alpha.info.adminToken });
    expect((await alphaTokenOnBeta.request('GET', '/api/v1/namespaces')).status).toBe(401);
    alphaTokenOnBeta.close();
    const alphaCaForBeta = new KubeClient({ ...beta.info, caData: alpha.info.caData });
    await expect(alphaCaForBeta.request('GET', '/readyz')).rejects.toThrow(/certificate|self.signed|verify/i);
    alphaCaForBeta.close();
  });

  it('keep objects apart', async () => {
    const ns = await freshNamespace(alpha, 'isolation');
    await alpha.client.create(configMap('only-on-alpha', ns));
    expect(
      (await beta.client.request('GET', `/api/v1/namespaces/${ns}/configmaps/only-on-alpha`)).status,
    ).toBe(404);
  });

  it('come back from startCluster at once with the same info while running', async () => {
    const started = performance.now();
    const again = await startCluster({ name: 'alpha', stateDir: alpha.info.stateDir });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(again).toEqual(readClusterInfo(alpha.info.stateDir));
    expect(again.url).toBe(alpha.info.url);
    expect(again.adminToken).toBe(alpha.info.adminToken);
  });

  it('write kubeconfigs with the CA embedded and the right token', () => {
    const admin = readFileSync(alpha.info.kubeconfig, 'utf8');
    expect(admin).toContain(`server: ${alpha.info.url}`);
    expect(admin).toContain(`certificate-authority-data: ${alpha.info.caData}`);
    expect(admin).toContain(`token: ${alpha.info.adminToken}`);
    expect(readFileSync(alpha.info.readonlyKubeconfig, 'utf8')).toContain(
      `token: ${alpha.info.readonlyToken}`,
    );
  });
});

describe('the readonly token', () => {
  const readonly = new KubeClient(alpha.info, { token: alpha.info.readonlyToken });
  afterAll(() => readonly.close());

  it('lists pods in every namespace but cannot create', async () => {
    const ns = await freshNamespace(alpha, 'readonly');
    await alpha.client.create(pod('web', ns));
    const list = await readonly.get<KubeList>('/api/v1/pods');
    expect(list.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toContain(`${ns}/web`);
    expect(
      (await readonly.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: configMap('no', ns) }))
        .status,
    ).toBe(403);
  });

  it('fails with an error that names the request but never the token', async () => {
    const ns = await freshNamespace(alpha, 'readonly-error');
    const error = await readonly.create(configMap('no', ns)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeRequestError);
    expect((error as KubeRequestError).status).toBe(403);
    expect((error as Error).message).toContain(
      `POST /api/v1/namespaces/${ns}/configmaps on cluster alpha: HTTP 403 Forbidden`,
    );
    expect((error as Error).message).not.toContain(alpha.info.readonlyToken);
    expect((error as Error).message).not.toContain(alpha.info.adminToken);
  });
});

describe('serviceAccountToken', () => {
  const rules = [{ apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list', 'watch'] }];

  it('grants exactly its rules, cluster-wide', async () => {
    const ns = uniqueNamespace('sa-cluster');
    const token = await alpha.client.serviceAccountToken(ns, 'reader', { rules, clusterWide: true });
    const reader = new KubeClient(alpha.info, { token });
    const review = await alpha.client.call<{ status: { user: { username: string } } }>(
      'POST',
      '/apis/authentication.k8s.io/v1/tokenreviews',
      [201],
      { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } } },
    );
    expect(review.status.user.username).toBe(`system:serviceaccount:${ns}:reader`);
    const status = async (method: string, path: string, body?: unknown) =>
      (await reader.request(method, path, { body })).status;
    expect(await status('GET', '/api/v1/pods')).toBe(200);
    expect(await status('GET', '/api/v1/namespaces/default/services')).toBe(200);
    expect(await status('GET', '/api/v1/pods?watch=true&timeoutSeconds=1')).toBe(200);
    expect(await status('GET', '/api/v1/secrets')).toBe(403);
    expect(await status('GET', '/apis/apps/v1/deployments')).toBe(403);
    expect(await status('POST', `/api/v1/namespaces/${ns}/pods`, pod('nope', ns))).toBe(403);
    reader.close();
  });

  it('grants its rules in its own namespace only when not cluster-wide', async () => {
    const ns = uniqueNamespace('sa-ns');
    const other = await freshNamespace(alpha, 'sa-other');
    const token = await alpha.client.serviceAccountToken(ns, 'reader', { rules, expirationSeconds: 600 });
    const reader = new KubeClient(alpha.info, { token });
    expect((await reader.request('GET', `/api/v1/namespaces/${ns}/pods`)).status).toBe(200);
    expect((await reader.request('GET', `/api/v1/namespaces/${other}/pods`)).status).toBe(403);
    expect((await reader.request('GET', '/api/v1/pods')).status).toBe(403);
    reader.close();
  });

  it('leaves a token without rules powerless, and the built-in view role (aggregated here) works once bound', async () => {
    const ns = uniqueNamespace('view');
    const view = await alpha.client.get<{ rules?: unknown[] }>(
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/view',
    );
    expect(view.rules?.length).toBeGreaterThan(5);
    const token = await alpha.client.serviceAccountToken(ns, 'viewer');
    const viewer = new KubeClient(alpha.info, { token });
    expect((await viewer.request('GET', `/api/v1/namespaces/${ns}/pods`)).status).toBe(403);
    await alpha.client.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'viewer', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'viewer', namespace: ns }],
    });
    await expect
      .poll(async () => (await viewer.request('GET', `/api/v1/namespaces/${ns}/pods`)).status)
      .toBe(200);
    expect((await viewer.request('GET', `/api/v1/namespaces/${ns}/secrets`)).status).toBe(403);
    viewer.close();
  });
});

describe('KubeClient writes', () => {
  it('apply replaces an existing object and patchStatus sets what no kubelet would', async () => {
    const ns = await freshNamespace(alpha, 'apply');
    const first = await alpha.client.apply(pod('web', ns, { version: '1' }));
    const second = await alpha.client.apply(pod('web', ns, { version: '2' }));
    expect(second.metadata?.uid).toBe(first.metadata?.uid);
    expect(second.metadata?.labels).toEqual({ version: '2' });
    const waiting = { reason: 'CrashLoopBackOff', message: 'back-off restarting failed container' };
    const patched = await alpha.client.patchStatus<{ status: { containerStatuses: unknown[] } }>(second, {
      phase: 'Running',
      containerStatuses: [
        { name: 'app', image: 'nginx:1.25', imageID: '', ready: false, restartCount: 5, state: { waiting } },
      ],
    });
    expect(patched.status.containerStatuses).toEqual([
      expect.objectContaining({ restartCount: 5, state: { waiting } }),
    ]);
    expect(await alpha.client.delete(second)).toBe(true);
    expect(await alpha.client.delete(`/api/v1/namespaces/${ns}/pods/web`)).toBe(false);
  });

  it('creates a custom resource at the path pathFor guesses from its CRD kind', async () => {
    const ns = await freshNamespace(alpha, 'crd');
    await applyCrd(alpha.client, ROLLOUTS);
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'web', namespace: ns },
      spec: {},
    };
    // A new CRD is served a moment after it is Established.
    await expect
      .poll(
        async () =>
          (
            await alpha.client.request('POST', `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts`, {
              body: rollout,
            })
          ).status,
        { timeout: 10_000 },
      )
      .toBe(201);
    const patched = await alpha.client.patchStatus<{ status: { phase: string } }>(rollout, {
      phase: 'Healthy',
    });
    expect(patched.status.phase).toBe('Healthy');
  });

  it('createMany creates 200 pods', async () => {
    const ns = await freshNamespace(alpha, 'bulk');
    const pods = Array.from({ length: 200 }, (_, i) =>
      pod(`bulk-${i}`, ns, { app: 'bulk', idx: String(i % 10) }),
    );
    const result = await alpha.client.createMany(pods, 8);
    expect(result).toMatchObject({ created: 200, existed: 0 });
    process.stderr.write(`[lab.int.test] createMany: 200 pods in ${result.ms} ms (${result.perSecond}/s)\n`);
    const list = await alpha.client.get<KubeList>(`/api/v1/namespaces/${ns}/pods`, {
      labelSelector: 'idx=3',
    });
    expect(list.items).toHaveLength(20);
    expect((await alpha.client.createMany(pods.slice(0, 5))).existed).toBe(5);
  });

  it('refuses to reuse a namespace stuck in Terminating', async () => {
    const ns = await freshNamespace(alpha, 'terminating');
    await alpha.client.create(configMap('keeps-it-terminating', ns));
    await alpha.client.delete(`/api/v1/namespaces/${ns}`);
    await expect(alpha.client.ensureNamespace(ns)).rejects.toThrow(
      `namespace ${ns} on cluster alpha is Terminating`,
    );
  });
});

describe('restarting the API server', () => {
  it('keeps data, URL and tokens (etcd stays up)', async () => {
    const ns = uniqueNamespace('restart');
    const saToken = await beta.client.serviceAccountToken(ns, 'reader', {
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
    });
    await beta.client.create(configMap('survivor', ns));
    const before = readClusterInfo(beta.info.stateDir);
    try {
      await stopApiserver(beta.info.stateDir);
      await expect(beta.client.request('GET', '/readyz')).rejects.toThrow(
        /ECONNREFUSED|socket hang up|ECONNRESET/,
      );
    } finally {
      const restarted = performance.now();
      await startApiserver(beta.info.stateDir);
      process.stderr.write(
        `[lab.int.test] API server restart: ${Math.round(performance.now() - restarted)} ms\n`,
      );
    }
    const after = readClusterInfo(beta.info.stateDir);
    expect(after.apiserverPid).not.toBe(before.apiserverPid);
    expect(after.etcdPid).toBe(before.etcdPid);
    expect({ ...after, apiserverPid: 0 }).toEqual({ ...before, apiserverPid: 0 });
    const cm = await beta.client.get<{ data: Record<string, string> }>(
      `/api/v1/namespaces/${ns}/configmaps/survivor`,
    );
    expect(cm.data).toEqual({ key: 'value' });
    const reader = new KubeClient(beta.info, { token: saToken });
    expect((await reader.request('GET', `/api/v1/namespaces/${ns}/configmaps`)).status).toBe(200);
    reader.close();
    const readonly = new KubeClient(beta.info, { token: beta.info.readonlyToken });
    expect((await readonly.request('GET', '/api/v1/pods')).status).toBe(200);
    readonly.close();
  });
});

describe('kubectl proxy', () => {
  it('serves the API without a token, and stops', async () => {
    const ns = await freshNamespace(alpha, 'proxy');
    const proxy = await startKubectlProxy(alpha.info);
    try {
      const res = await fetch(`${proxy.url}/api/v1/namespaces`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as KubeList;
      expect(body.items.map((n) => n.metadata?.name)).toContain(ns);
    } finally {
      await proxy.stop();
    }
    await expect(fetch(`${proxy.url}/api`)).rejects.toThrow();
  });
});
