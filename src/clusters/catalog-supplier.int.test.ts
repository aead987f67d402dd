import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { V120_OVERRIDES, testConfig } from '../../test/helpers/engine.ts';
import { AuthDispatcher, defaultAuthStrategies } from '../auth/dispatch.ts';
import { FileCatalogSource } from '../catalog/file-catalog.ts';
import type { CatalogSource } from '../catalog/types.ts';
import type { ServiceLocatorType } from '../config/types.ts';
import { ClusterConnections } from '../fetch/connection.ts';
import { LiveFetcher } from '../fetch/live-fetcher.ts';
import { captureLogs } from '../http/test-helpers.ts';
import { buildServiceLocator } from '../locate/service-locator.ts';
import { KubernetesFanOut } from '../objects/fan-out.ts';
import { silentLogger } from '../shared/logger.ts';
import { catalogYaml, clusterResource } from './catalog-test-support.ts';
import { buildClusterSupplier } from './index.ts';

// A cluster found only through the catalog: a kubernetes-cluster Resource in a real file catalog points
// at a real API server on 127.0.0.1 (allowed through dangerouslyAllowClusterUrls), and the fan-out
// fetches an entity's objects from it with the caller's OIDC token.
const { alpha } = testClusters();
const ns = uniqueNamespace('catalog-locator');
const id = `cat-${ns.slice(-6)}`;
let dir: string;
const connections = new ClusterConnections();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stitchboard-catalog-int-'));
  await alpha.client.ensureNamespace(ns);
  await alpha.client.createMany([
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${id}-web`, namespace: ns, labels: { 'backstage.io/kubernetes-id': id } },
      spec: { containers: [{ name: 'app', image: 'shop:1' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: id, namespace: ns, labels: { 'backstage.io/kubernetes-id': id } },
      spec: { ports: [{ port: 80 }] },
    },
  ]);
});
afterAll(async () => {
  await connections.close();
  await rm(dir, { recursive: true, force: true });
});

const labCluster = (name: string, annotations: Record<string, string> = {}) =>
  clusterResource(name, {
    'kubernetes.io/api-server': alpha.info.url,
    'kubernetes.io/api-server-certificate-authority': alpha.info.caData,
    'kubernetes.io/auth-provider': 'oidc',
    'kubernetes.io/oidc-token-provider': 'okta',
    'kubernetes.io/skip-metrics-lookup': 'true',
    'kubernetes.io/dashboard-url': 'https://dashboard.example.com',
    ...annotations,
  });

const shop: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'shop', annotations: { 'backstage.io/kubernetes-id': id } },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a', dependsOn: ['resource:lab'] },
};

async function fileCatalog(entities: Entity[]): Promise<CatalogSource> {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, catalogYaml(entities));
  return FileCatalogSource.load({ paths: [file], logger: silentLogger() });
}

function engine(
  catalog: CatalogSource,
  locator: { allowedHosts: string[]; serviceLocator?: ServiceLocatorType },
) {
  const config = testConfig(
    {
      serviceLocatorMethod: { type: locator.serviceLocator ?? 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'catalog',
          dangerouslyAllowClusterUrls: locator.allowedHosts,
          dangerouslyAllowSkipTLSVerify: false,
        },
      ],
      apiVersionOverrides: V120_OVERRIDES,
    },
    { clusters: { lab: { timeoutMs: 7_000 } } },
  );
  const logs = captureLogs();
  const clusters = buildClusterSupplier(config, { catalog, logger: logs.logger });
  const objects = new KubernetesFanOut({
    clusters,
    auth: new AuthDispatcher(defaultAuthStrategies({})),
    fetcherFor: () => new LiveFetcher(connections),
    locator: buildServiceLocator(locator.serviceLocator ?? 'multiTenant'),
    apiVersionOverrides: V120_OVERRIDES,
    customResources: [],
    logger: silentLogger(),
  });
  return { clusters, objects, logs };
}

const names = (response: Awaited<ReturnType<KubernetesFanOut['getObjectsByEntity']>>, type: string) =>
  response.items[0]?.resources.find((r) => r.type === type)?.resources.map((o) => o.metadata?.name) ?? [];

describe('catalog cluster locator against a real API server', () => {
  it('fetches an entity’s objects from a cluster known only to the catalog', async () => {
    const catalog = await fileCatalog([labCluster('lab'), shop]);
    const { clusters, objects } = engine(catalog, {
      allowedHosts: ['127.0.0.1'],
      serviceLocator: 'catalogRelation',
    });
    const [lab] = await clusters.getClusters();
    expect(lab).toMatchObject({ name: 'lab', url: alpha.info.url, timeoutMs: 7_000, mode: 'live' });
    expect(await objects.getClusters()).toEqual([
      {
        name: 'lab',
        authProvider: 'oidc',
        oidcTokenProvider: 'okta',
        dashboardUrl: 'https://dashboard.example.com',
      },
    ]);

    const entity = (await catalog.getEntityByRef('component:default/shop')) as Entity;
    const response = await objects.getObjectsByEntity({
      entity,
      auth: { oidc: { okta: alpha.info.adminToken } },
    });
    expect(response.items).toHaveLength(1);
    expect(response.items[0]?.cluster).toEqual({
      name: 'lab',
      dashboardUrl: 'https://dashboard.example.com',
    });
    expect(response.items[0]?.errors).toEqual([]);
    expect(names(response, 'pods')).toEqual([`${id}-web`]);
    expect(names(response, 'services')).toEqual([id]);
  });

  it('uses the caller’s token: a wrong one is a 401 entry for that cluster', async () => {
    const catalog = await fileCatalog([labCluster('lab')]);
    const { objects } = engine(catalog, { allowedHosts: ['127.0.0.1'] });
    const response = await objects.getObjectsByEntity({
      entity: shop,
      auth: { oidc: { okta: 'not-a-token' } },
    });
    expect(response.items[0]?.errors[0]).toMatchObject({ errorType: 'UNAUTHORIZED_ERROR', statusCode: 401 });
  });

  it('refuses the same loopback URL without dangerouslyAllowClusterUrls, saying which entity and annotation', async () => {
    const catalog = await fileCatalog([labCluster('lab')]);
    const { clusters, objects, logs } = engine(catalog, { allowedHosts: [] });
    expect(await clusters.getClusters()).toEqual([]);
    const response = await objects.getObjectsByEntity({
      entity: shop,
      auth: { oidc: { okta: alpha.info.adminToken } },
    });
    expect(response.items).toEqual([]);
    expect(logs.records().map((r) => r.msg)).toContain(
      "catalog cluster resource:default/lab: annotation kubernetes.io/api-server points at the non-public address 127.0.0.1 (allow it with dangerouslyAllowClusterUrls: ['127.0.0.1'] on the catalog locator); the cluster is skipped",
    );
    expect(logs.lines().join('\n')).not.toContain(alpha.info.caData);
  });

  it('verifies TLS with the annotation’s CA: another cluster’s CA fails that cluster only', async () => {
    const { beta } = testClusters();
    const catalog = await fileCatalog([
      labCluster('lab'),
      labCluster('wrong-ca', { 'kubernetes.io/api-server-certificate-authority': beta.info.caData }),
    ]);
    const { objects } = engine(catalog, { allowedHosts: ['127.0.0.1'] });
    const response = await objects.getObjectsByEntity({
      entity: shop,
      auth: { oidc: { okta: alpha.info.adminToken } },
    });
    const byName = Object.fromEntries(response.items.map((i) => [i.cluster.name, i]));
    expect(byName.lab?.errors).toEqual([]);
    expect(byName['wrong-ca']?.errors).toEqual([
      { errorType: 'FETCH_ERROR', message: expect.stringMatching(/certificate|self[- ]signed|issuer/i) },
    ]);
  });
});
