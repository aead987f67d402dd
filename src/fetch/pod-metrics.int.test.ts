import { beforeAll, describe, expect, it } from 'vitest';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { applyCrd, type CrdSpec } from '../../test/helpers/crd.ts';
import { V120_OVERRIDES, component, configCluster, fileEngines } from '../../test/helpers/engine.ts';
import { WEB_CONTAINERS, WEB_STATUS, WEB_USAGE } from '../../test/fixtures/pod-metrics.ts';
import type { ConfigClusterConfig, KubernetesConfig } from '../config/types.ts';
import type { KubeObject } from '../contract/kubernetes.ts';

// Pod metrics from a real API server serving metrics.k8s.io/v1beta1. No metrics-server runs here (it
// needs kubelets), so the group is served by a CRD of the same group, version, resource and kind, with
// PodMetrics objects written as metrics-server would report them. The CRD exists only on `beta`:
// on `alpha` the metrics API stays absent, which src/objects/fan-out.int.test.ts relies on.
const { beta } = testClusters();
const ns = uniqueNamespace('pod-metrics');
const id = `metrics-${ns.slice(-6)}`;
const labels = { 'backstage.io/kubernetes-id': id, app: id };

const METRICS_CRD: CrdSpec = {
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  kind: 'PodMetrics',
  plural: 'pods',
  // *.k8s.io groups are reserved for Kubernetes' own APIs; this opts a test cluster in.
  annotations: { 'api-approved.kubernetes.io': 'unapproved, test only' },
};

const container = (name: string, requests?: Record<string, string>, limits?: Record<string, string>) => ({
  name,
  image: 'shop:1',
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
});
const pod = (name: string, podLabels: Record<string, string>, containers: unknown[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels: podLabels },
  spec: { containers },
});
/** A PodMetrics object as metrics-server reports it: the pod's name and labels, one usage per container. */
const podMetrics = (
  name: string,
  podLabels: Record<string, string>,
  usage: Record<string, { cpu: string; memory: string }>,
) => ({
  apiVersion: 'metrics.k8s.io/v1beta1',
  kind: 'PodMetrics',
  metadata: { name, namespace: ns, labels: podLabels },
  timestamp: '2026-01-01T12:00:00Z',
  window: '15s',
  containers: Object.entries(usage).map(([c, u]) => ({ name: c, usage: u })),
});

beforeAll(async () => {
  await applyCrd(beta.client, METRICS_CRD);
  await beta.client.ensureNamespace(ns);
  await beta.client.createMany([
    pod(
      `${id}-web`,
      labels,
      WEB_CONTAINERS.map((c) => ({ ...c, image: 'shop:1' })),
    ),
    pod(`${id}-idle`, labels, [container('app', { cpu: '1', memory: '1Gi' }, { cpu: '2', memory: '2Gi' })]),
    pod('unrelated', { app: 'other' }, [container('app')]),
  ]);
  await waitFor(
    async () =>
      (await beta.client.request('GET', `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`)).status === 200,
  );
  // Posted to the resource path itself: the lab client would guess the plural from the kind.
  for (const metrics of [
    podMetrics(`${id}-web`, labels, WEB_USAGE),
    podMetrics('unrelated', { app: 'other' }, { app: { cpu: '1', memory: '1Gi' } }),
  ]) {
    await beta.client.call('POST', `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`, [201], {
      body: metrics,
    });
  }
});

const { over } = fileEngines();
/** The entity's answer from beta alone, its config entry changed by `cluster`. */
const query = (cluster: Partial<ConfigClusterConfig>, kubernetes: Partial<KubernetesConfig> = {}) => {
  const overrides = { apiVersionOverrides: V120_OVERRIDES, ...kubernetes };
  const { objects } = over([configCluster(beta.info, cluster)], overrides);
  return objects.getObjectsByEntity({
    entity: component('shop', { 'backstage.io/kubernetes-id': id }),
    auth: {},
  });
};

describe('pod metrics from metrics.k8s.io/v1beta1 on a real API server', () => {
  it('serves the list shape metrics-server serves', async () => {
    const list = await beta.client.get<Record<string, unknown> & { items: Record<string, unknown>[] }>(
      `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`,
      { labelSelector: `app=${id}` },
    );
    expect(list).toMatchObject({ apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetricsList' });
    expect(list.items).toHaveLength(1);
    // metrics-server's items have metadata, timestamp, window and containers; a CRD's also carry their
    // apiVersion and kind (and resourceVersion, uid, managedFields in metadata). Nothing reads those.
    expect(Object.keys(list.items[0] ?? {}).sort()).toEqual([
      'apiVersion',
      'containers',
      'kind',
      'metadata',
      'timestamp',
      'window',
    ]);
    expect(list.items[0]).toMatchObject({
      metadata: { name: `${id}-web`, namespace: ns, labels },
      timestamp: '2026-01-01T12:00:00Z',
      window: '15s',
      containers: Object.entries(WEB_USAGE).map(([name, usage]) => ({ name, usage })),
    });
  });

  it('gives each selected pod CPU in cores and memory in bytes, per pod and container, against requests and limits', async () => {
    const [item] = (await query({ skipMetricsLookup: false })).items;
    expect(item?.errors).toEqual([]);
    const byPod = Object.fromEntries((item?.podMetrics ?? []).map((m) => [m.pod.metadata?.name, m]));
    expect(Object.keys(byPod).sort()).toEqual([`${id}-idle`, `${id}-web`]);

    const web = byPod[`${id}-web`];
    expect(web?.pod).toMatchObject({
      metadata: { name: `${id}-web`, namespace: ns },
      spec: { containers: expect.any(Array) },
    });
    const { pod: _, ...usage } = web ?? {};
    expect(usage).toEqual(WEB_STATUS);

    // A pod with no metrics is still listed, with zero usage and no containers.
    const idle = byPod[`${id}-idle`];
    expect(idle?.cpu).toEqual({ currentUsage: 0, requestTotal: 1, limitTotal: 2 });
    expect(idle?.memory).toEqual({
      currentUsage: 0,
      requestTotal: String(2 ** 30),
      limitTotal: String(2 * 2 ** 30),
    });
    expect(idle?.containers).toEqual([]);
  });

  it('skips the metrics calls when skipMetricsLookup is true', async () => {
    const response = await query({ skipMetricsLookup: true });
    expect(response.items[0]?.podMetrics).toEqual([]);
    expect(response.items[0]?.errors).toEqual([]);
  });

  it('reports a token that may list pods but not metrics as an error entry for that namespace', async () => {
    const token = await beta.client.serviceAccountToken(ns, 'pods-only', {
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
      clusterWide: true,
    });
    const response = await query(
      { skipMetricsLookup: false, serviceAccountToken: token },
      { objectTypes: ['pods'] },
    );
    expect(response.items[0]?.errors).toEqual([
      {
        // Backstage's mapping: only 401 is UNAUTHORIZED_ERROR, a 403 is UNKNOWN_ERROR.
        errorType: 'UNKNOWN_ERROR',
        statusCode: 403,
        resourcePath: `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`,
      },
    ]);
    expect(response.items[0]?.podMetrics).toEqual([]);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
