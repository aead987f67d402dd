import type { Entity } from '@backstage/catalog-model';
import { lookup } from 'node:dns/promises';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackstageCatalogSource } from '../catalog/backstage-catalog.ts';
import { FileCatalogSource } from '../catalog/file-catalog.ts';
import type { CatalogSource, EntityFilter } from '../catalog/types.ts';
import { captureLogs } from '../http/test-helpers.ts';
import { silentLogger } from '../shared/logger.ts';
import { CatalogClusterSupplier, type CatalogSupplierOptions } from './catalog-supplier.ts';
import { TEST_CA, catalogYaml, clusterResource } from './catalog-test-support.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stitchboard-catalog-clusters-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The real file catalog over a real temp file, counting how often the supplier asks it. */
async function fileCatalog(entities: readonly Entity[]) {
  const file = join(dir, 'clusters.yaml');
  await writeFile(file, catalogYaml(entities));
  const source = await FileCatalogSource.load({ paths: [file], logger: silentLogger() });
  const filters: EntityFilter[] = [];
  const counted: CatalogSource & { filters: EntityFilter[]; rewrite(e: readonly Entity[]): Promise<void> } = {
    description: source.description,
    filters,
    getEntityByRef: (ref) => source.getEntityByRef(ref),
    listEntities: (filter) => {
      filters.push(filter);
      return source.listEntities(filter);
    },
    problems: () => source.problems(),
    rewrite: async (next) => {
      await writeFile(file, catalogYaml(next));
      await source.reload();
    },
  };
  return counted;
}

const publicDns = async () => ['93.184.216.34'];
/** The system resolver for localhost; no name under example.com resolves here (no network). */
const systemForLocalhost = async (host: string) =>
  host === 'localhost' ? (await lookup(host, { all: true })).map((a) => a.address) : publicDns();

function supplier(catalog: CatalogSource, overrides: Partial<CatalogSupplierOptions> = {}) {
  const logs = captureLogs();
  let now = 0;
  const s = new CatalogClusterSupplier({
    catalog,
    allowedHosts: [],
    allowSkipTLSVerify: false,
    settings: (name) =>
      name === 'slow' ? { timeoutMs: 30_000, mode: 'watch' } : { timeoutMs: 5_000, mode: 'live' },
    logger: logs.logger,
    resolve: publicDns,
    now: () => now,
    ...overrides,
  });
  const warnings = () =>
    logs
      .records()
      .filter((r) => r.level === 40)
      .map((r) => r.msg as string);
  return { s, logs, warnings, advance: (ms: number) => (now += ms) };
}

describe('CatalogClusterSupplier over the file catalog', () => {
  it('lists kubernetes-cluster Resources only, with per-cluster settings applied', async () => {
    const catalog = await fileCatalog([
      clusterResource('prod', {}, { title: 'Production' }),
      clusterResource('slow', { 'kubernetes.io/api-server': 'https://slow.example.com' }),
      {
        ...clusterResource('a-database', {}),
        spec: { type: 'database', owner: 'team-a' },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'looks-like-a-cluster',
          annotations: clusterResource('x', {}).metadata.annotations,
        },
        spec: { type: 'kubernetes-cluster', lifecycle: 'production', owner: 'team-a' },
      },
    ]);
    const { s, warnings } = supplier(catalog);
    const clusters = await s.getClusters();
    expect(clusters.map((c) => [c.name, c.title, c.url, c.timeoutMs, c.mode])).toEqual([
      ['prod', 'Production', 'https://kube.example.com:6443', 5_000, 'live'],
      ['slow', undefined, 'https://slow.example.com', 30_000, 'watch'],
    ]);
    expect(clusters[0]?.caData).toBe(TEST_CA);
    expect(catalog.filters).toEqual([{ kinds: ['Resource'], specType: 'kubernetes-cluster' }]);
    expect(warnings()).toEqual([]);
  });

  it.each([
    ['https://10.0.0.5:6443', [], 'points at the non-public address 10.0.0.5'],
    ['https://169.254.169.254', [], 'points at the non-public address 169.254.169.254'],
    ['http://kube.example.com', [], 'must use https'],
    ['https://admin:s3cret@kube.example.com', [], 'must not carry a user name or password'],
    ['https://localhost:6443', [], 'host localhost resolves to the non-public address'],
    ['https://10.0.0.5:6443', ['10.0.0.6', '*.internal'], 'points at the non-public address 10.0.0.5'],
  ])(
    'skips %s (allowed: %j) with a warning naming entity and annotation',
    async (url, allowedHosts, reason) => {
      const catalog = await fileCatalog([
        clusterResource('good', {}),
        clusterResource('bad', { 'kubernetes.io/api-server': url }, { namespace: 'infra' }),
      ]);
      const { s, warnings, logs } = supplier(catalog, { allowedHosts, resolve: systemForLocalhost });
      expect((await s.getClusters()).map((c) => c.name)).toEqual(['good']);
      expect(warnings()).toHaveLength(1);
      expect(warnings()[0]).toMatch(
        /^catalog cluster resource:infra\/bad: annotation kubernetes\.io\/api-server .+; the cluster is skipped$/,
      );
      expect(warnings()[0]).toContain(reason);
      expect(logs.lines().join('\n')).not.toContain('s3cret');
    },
  );

  it.each([
    [['127.0.0.1'], 'http://127.0.0.1:8080'],
    [['*.corp.internal'], 'http://kube.corp.internal'],
    [['10.0.0.5'], 'https://10.0.0.5:6443'],
  ])('lets dangerouslyAllowClusterUrls %j through: %s', async (allowedHosts, url) => {
    const catalog = await fileCatalog([clusterResource('lab', { 'kubernetes.io/api-server': url })]);
    const { s, warnings } = supplier(catalog, { allowedHosts });
    expect((await s.getClusters()).map((c) => c.url)).toEqual([url]);
    expect(warnings()).toEqual([]);
  });

  it('refuses serviceAccount and a missing CA, and never logs annotation secrets', async () => {
    const catalog = await fileCatalog([
      clusterResource('sa', { 'kubernetes.io/auth-provider': 'serviceAccount' }),
      clusterResource('no-ca', { 'kubernetes.io/api-server-certificate-authority': undefined }),
      clusterResource('skip-tls', { 'kubernetes.io/skip-tls-verify': 'true' }),
    ]);
    const { s, warnings, logs } = supplier(catalog);
    const clusters = await s.getClusters();
    expect(clusters.map((c) => [c.name, c.skipTLSVerify])).toEqual([['skip-tls', false]]);
    expect(warnings()).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'catalog cluster resource:default/sa: annotation kubernetes.io/auth-provider is "serviceAccount", which the catalog locator refuses',
        ),
        'catalog cluster resource:default/no-ca: annotation kubernetes.io/api-server-certificate-authority is missing; the cluster is skipped',
        'catalog cluster resource:default/skip-tls: annotation kubernetes.io/skip-tls-verify is ignored: the catalog locator does not set dangerouslyAllowSkipTLSVerify, so TLS is verified',
      ]),
    );
    expect(logs.lines().join('\n')).not.toContain(TEST_CA);
  });

  it('honours skip-tls-verify when dangerouslyAllowSkipTLSVerify is set', async () => {
    const catalog = await fileCatalog([clusterResource('lab', { 'kubernetes.io/skip-tls-verify': 'true' })]);
    const { s } = supplier(catalog, { allowSkipTLSVerify: true });
    expect((await s.getClusters())[0]?.skipTLSVerify).toBe(true);
  });

  it('keeps the first of two Resources with the same name, and says so', async () => {
    const catalog = await fileCatalog([
      clusterResource('prod', {}, { namespace: 'team-a' }),
      clusterResource(
        'prod',
        { 'kubernetes.io/api-server': 'https://other.example.com' },
        { namespace: 'team-b' },
      ),
    ]);
    const { s, warnings } = supplier(catalog);
    expect((await s.getClusters()).map((c) => c.url)).toEqual(['https://kube.example.com:6443']);
    expect(warnings()).toEqual([
      'catalog cluster name "prod" is used by more than one kubernetes-cluster Resource; the first is used',
    ]);
  });

  it('reuses one answer for the TTL, shares concurrent lookups, then asks again', async () => {
    const catalog = await fileCatalog([clusterResource('one', {})]);
    const { s, advance } = supplier(catalog, { ttlMs: 5_000 });
    await Promise.all([s.getClusters(), s.getClusters(), s.getClusters()]);
    expect(catalog.filters).toHaveLength(1);
    await catalog.rewrite([clusterResource('one', {}), clusterResource('two', {})]);
    advance(4_999);
    expect((await s.getClusters()).map((c) => c.name)).toEqual(['one']);
    advance(1);
    expect((await s.getClusters()).map((c) => c.name)).toEqual(['one', 'two']);
    expect(catalog.filters).toHaveLength(2);
  });

  it('logs a problem once while it lasts, and again if it comes back', async () => {
    const broken = clusterResource('prod', { 'kubernetes.io/dashboard-parameters': '[1]' });
    const catalog = await fileCatalog([broken]);
    const { s, warnings, advance } = supplier(catalog, { ttlMs: 1 });
    const expected =
      'catalog cluster resource:default/prod: annotation kubernetes.io/dashboard-parameters must be a JSON object, not an array; it is ignored';
    await s.getClusters();
    advance(10);
    const [cluster] = await s.getClusters();
    expect(cluster?.dashboardParameters).toBeUndefined();
    expect(warnings()).toEqual([expected]);
    await catalog.rewrite([clusterResource('prod', {})]);
    advance(10);
    await s.getClusters();
    await catalog.rewrite([broken]);
    advance(10);
    await s.getClusters();
    expect(warnings()).toEqual([expected, expected]);
  });

  it('fails when the catalog cannot be read, and does not cache the failure', async () => {
    const catalog = new BackstageCatalogSource({
      endpoint: 'http://127.0.0.1:9',
      logger: silentLogger(),
      timeoutMs: 2_000,
    });
    const { s } = supplier(catalog);
    await expect(s.getClusters()).rejects.toMatchObject({ code: 'CATALOG_UNAVAILABLE' });
    await expect(s.getClusters()).rejects.toMatchObject({ code: 'CATALOG_UNAVAILABLE' });
  });

  it('stops waiting when the caller aborts', async () => {
    const catalog = await fileCatalog([clusterResource('one', {})]);
    const { s } = supplier(catalog, { resolve: () => new Promise(() => {}) });
    const controller = new AbortController();
    const pending = s.getClusters({ signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
  });
});
