import { beforeAll, describe, expect, it } from 'vitest';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { applyCrd, ROLLOUTS } from '../../test/helpers/crd.ts';
import { V120_OVERRIDES, component, configCluster, fileEngines, namesOf } from '../../test/helpers/engine.ts';
import { podObject as pod } from '../../test/helpers/pod.ts';
import type { KubernetesConfig } from '../config/types.ts';

// Objects found by id label, label selector and namespace on two real v1.20 API servers; Backstage's
// object-type defaults versus apiVersionOverrides; singleTenant pinning; a CRD as a custom resource.
const { alpha, beta } = testClusters();
const ns = uniqueNamespace('fanout');
const ns2 = uniqueNamespace('fanout-b');
const id = `shop-${ns.slice(-6)}`;
const labels = (extra: Record<string, string> = {}) => ({ 'backstage.io/kubernetes-id': id, ...extra });
const rollouts = { group: ROLLOUTS.group, apiVersion: ROLLOUTS.version, plural: ROLLOUTS.plural };

beforeAll(async () => {
  for (const c of [alpha, beta]) await c.client.ensureNamespace(ns);
  await beta.client.ensureNamespace(ns2);
  await alpha.client.createMany([
    pod(`${id}-web`, ns, labels({ app: id, tier: 'web' })),
    pod(`${id}-worker`, ns, labels({ app: id, tier: 'worker' })),
    pod('unrelated', ns, { app: 'other' }),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: id, namespace: ns, labels: labels({ app: id, tier: 'web' }) },
      spec: {
        selector: { matchLabels: { app: id } },
        template: {
          metadata: { labels: { app: id } },
          spec: { containers: [{ name: 'app', image: 'shop:1' }] },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: id, namespace: ns, labels: labels() },
      spec: { ports: [{ port: 80 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${id}-config`, namespace: ns, labels: labels() },
      data: { a: '1' },
    },
    {
      apiVersion: 'batch/v1beta1',
      kind: 'CronJob',
      metadata: { name: `${id}-nightly`, namespace: ns, labels: labels() },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: {
          spec: {
            template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'shop:1' }] } },
          },
        },
      },
    },
    {
      apiVersion: 'autoscaling/v2beta2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: id, namespace: ns, labels: labels() },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: id },
        minReplicas: 1,
        maxReplicas: 3,
      },
    },
  ]);
  await beta.client.createMany([pod(`${id}-b`, ns, labels()), pod(`${id}-b2`, ns2, labels())]);
  await applyCrd(alpha.client, ROLLOUTS);
  await alpha.client.create({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: id, namespace: ns, labels: labels() },
    spec: { replicas: 2 },
  });
});

const twoClusters = () => [configCluster(alpha.info), configCluster(beta.info)];
const { over } = fileEngines();
/** An engine over both clusters at v1.20's API versions, the rest of its config from `kubernetes`. */
const overBoth = (kubernetes: Partial<KubernetesConfig> = {}) =>
  over(twoClusters(), { apiVersionOverrides: V120_OVERRIDES, ...kubernetes });
const shop = (annotations: Record<string, string> = { 'backstage.io/kubernetes-id': id }) =>
  component('shop', annotations);

describe('objects of an entity across two real clusters', () => {
  it('finds objects by the kubernetes-id label in both clusters, with per-type 404s for Backstage’s default API versions', async () => {
    const { objects } = overBoth({ apiVersionOverrides: {} });
    const response = await objects.getObjectsByEntity({ entity: shop(), auth: {} });

    expect(response.items.map((i) => i.cluster)).toEqual([
      { name: alpha.info.name },
      { name: beta.info.name },
    ]);
    expect(namesOf(response, alpha.info.name, 'pods')).toEqual([`${id}-web`, `${id}-worker`]);
    expect(namesOf(response, alpha.info.name, 'deployments')).toEqual([id]);
    expect(namesOf(response, alpha.info.name, 'services')).toEqual([id]);
    expect(namesOf(response, alpha.info.name, 'configmaps')).toEqual([`${id}-config`]);
    expect(namesOf(response, beta.info.name, 'pods')).toEqual([`${id}-b`, `${id}-b2`]);
    for (const item of response.items) {
      expect(item.errors).toEqual([
        {
          errorType: 'NOT_FOUND',
          statusCode: 404,
          resourcePath: '/apis/autoscaling/v2/horizontalpodautoscalers',
        },
        { errorType: 'NOT_FOUND', statusCode: 404, resourcePath: '/apis/batch/v1/cronjobs' },
      ]);
      expect(item.resources.map((r) => r.type)).not.toContain('cronjobs');
      expect(item.podMetrics).toEqual([]);
    }
    // Whole objects, as the frontend joins them by uid and ownerReferences.
    const web = response.items[0]?.resources
      .find((r) => r.type === 'pods')
      ?.resources.find((p) => p.metadata?.name === `${id}-web`);
    expect(web?.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(web?.spec).toEqual(
      expect.objectContaining({ containers: [expect.objectContaining({ name: 'app' })] }),
    );
  });

  it('makes CronJobs (batch/v1beta1) and HPAs (autoscaling/v2beta2) work on v1.20 with apiVersionOverrides', async () => {
    const response = await overBoth().objects.getObjectsByEntity({ entity: shop(), auth: {} });
    expect(response.items.flatMap((i) => i.errors)).toEqual([]);
    expect(namesOf(response, alpha.info.name, 'cronjobs')).toEqual([`${id}-nightly`]);
    expect(namesOf(response, alpha.info.name, 'horizontalpodautoscalers')).toEqual([id]);
  });

  it('lets backstage.io/kubernetes-label-selector take precedence over the id', async () => {
    const entity = shop({
      'backstage.io/kubernetes-id': 'not-this',
      'backstage.io/kubernetes-label-selector': `app=${id},tier in (web)`,
    });
    const response = await overBoth().objects.getObjectsByEntity({ entity, auth: {} });
    expect(response.items.map((i) => i.cluster.name)).toEqual([alpha.info.name]);
    expect(namesOf(response, alpha.info.name, 'pods')).toEqual([`${id}-web`]);
    expect(namesOf(response, alpha.info.name, 'deployments')).toEqual([id]);
  });

  it('narrows every LIST to backstage.io/kubernetes-namespace, omitting clusters with nothing to show', async () => {
    const entity = shop({ 'backstage.io/kubernetes-id': id, 'backstage.io/kubernetes-namespace': ns2 });
    const response = await overBoth().objects.getObjectsByEntity({ entity, auth: {} });
    expect(response.items.map((i) => i.cluster.name)).toEqual([beta.info.name]);
    expect(namesOf(response, beta.info.name, 'pods')).toEqual([`${id}-b2`]);
  });

  it('pins singleTenant entities to the cluster named by backstage.io/kubernetes-cluster', async () => {
    const { objects } = overBoth({ serviceLocatorMethod: { type: 'singleTenant' } });
    const pinned = shop({
      'backstage.io/kubernetes-id': id,
      'backstage.io/kubernetes-cluster': beta.info.name,
    });
    const response = await objects.getObjectsByEntity({ entity: pinned, auth: {} });
    expect(response.items.map((i) => i.cluster.name)).toEqual([beta.info.name]);

    const unknown = shop({ 'backstage.io/kubernetes-id': id, 'backstage.io/kubernetes-cluster': 'nowhere' });
    expect(await objects.getObjectsByEntity({ entity: unknown, auth: {} })).toEqual({ items: [] });
  });

  it('returns a CRD’s objects as custom resources with their kind, and a 404 entry where the CRD is missing', async () => {
    const { objects } = overBoth({ customResources: [rollouts] });
    const entity = shop();
    const response = await objects.getObjectsByEntity({ entity, auth: {} });
    const custom = response.items[0]?.resources.find((r) => r.type === 'customresources')?.resources ?? [];
    expect(custom.map((r) => [r.kind, r.metadata?.name])).toEqual([['Rollout', id]]);
    expect(response.items.find((i) => i.cluster.name === beta.info.name)?.errors).toEqual([
      { errorType: 'NOT_FOUND', statusCode: 404, resourcePath: '/apis/argoproj.io/v1alpha1/rollouts' },
    ]);

    // The custom query fetches only the requested custom resources, replacing cluster and global lists.
    const onlyCustom = await objects.getObjectsByEntity({ entity, auth: {}, customResources: [rollouts] });
    expect(onlyCustom.items[0]?.resources.map((r) => r.type)).toEqual(['customresources']);
  });

  it('prefers a cluster’s own customResources over the global list', async () => {
    const { objects } = over([configCluster(alpha.info, { customResources: [] }), configCluster(beta.info)], {
      apiVersionOverrides: V120_OVERRIDES,
      customResources: [rollouts],
    });
    const response = await objects.getObjectsByEntity({ entity: shop(), auth: {} });
    expect(response.items[0]?.resources.map((r) => r.type)).not.toContain('customresources');
    expect(response.items[1]?.errors).toHaveLength(1);
  });

  it('fetches opt-in secrets with every value masked', async () => {
    await alpha.client.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${id}-creds`, namespace: ns, labels: labels() },
      stringData: { password: 'hunter2-very-secret' },
    });
    const { objects } = over([configCluster(alpha.info)], { objectTypes: ['secrets'] });
    const response = await objects.getObjectsByEntity({ entity: shop(), auth: {} });
    const [secret] = response.items[0]?.resources.find((r) => r.type === 'secrets')?.resources ?? [];
    expect(secret?.data).toEqual({ password: '***' });
    expect(JSON.stringify(response)).not.toContain('hunter2');
    expect(JSON.stringify(response)).not.toContain(Buffer.from('hunter2-very-secret').toString('base64'));
  });

  it('shares one fan-out among identical concurrent queries', async () => {
    const { objects, fetches } = overBoth();
    const entity = shop();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => objects.getObjectsByEntity({ entity, auth: {} })),
    );
    expect(new Set(responses).size).toBe(1);
    expect(fetches.map((f) => f.cluster).sort()).toEqual([alpha.info.name, beta.info.name]);
  });

  it('reports a missing metrics API per pod namespace when metrics are looked up', async () => {
    const { objects } = over([configCluster(alpha.info, { skipMetricsLookup: false })], {
      apiVersionOverrides: V120_OVERRIDES,
    });
    const response = await objects.getObjectsByEntity({ entity: shop(), auth: {} });
    expect(response.items[0]?.errors).toEqual([
      {
        errorType: 'NOT_FOUND',
        statusCode: 404,
        resourcePath: `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`,
      },
    ]);
  });
});
