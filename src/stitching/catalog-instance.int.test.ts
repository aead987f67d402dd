import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { configCluster, rawKubernetes } from '../../test/helpers/engine.ts';
import { componentEntity, groupEntity, userEntity } from '../../test/helpers/entities.ts';
import { pickFreePort } from '../../tools/kube/ports.ts';
import { createApp, type App } from '../app.ts';
import { loadConfig } from '../config/load.ts';
import { silentLogger } from '../shared/logger.ts';
import type { StoredLink } from '../store/types.ts';
import { ID, NS } from '../topology/test-helpers.ts';
import { serviceObject, until } from './test-support.ts';

// `scrapers.catalog`: no Backstage at all. The catalog is catalog-info.yaml files in a temp dir, read by
// the app's own FileCatalogSource from `stitchboard.catalog`; the Services are on a real cluster. The
// app is the real one (createApp from a loaded config file), so the wiring into stitching is tested too.
const { alpha } = testClusters();
const shop = uniqueNamespace('catalog-shop');
const pay = uniqueNamespace('catalog-pay');
const u = shop.slice(-6);
const name = (base: string) => `${base}-${u}`;
const API_TOKEN = 'catalog-instance-api-token';
const headers = { authorization: `Bearer ${API_TOKEN}` };

let dir: string;
const apps: App[] = [];

/** An app over `stitchboard.catalog` as given, stitching from it as the instance `files`. */
async function startApp(
  catalog: unknown[],
  env: NodeJS.ProcessEnv = {},
  backstage: Record<string, unknown> = { discovery: { enabled: false } },
): Promise<App> {
  const file = join(dir, `app-config-${apps.length}.yaml`);
  const raw = {
    backend: {
      auth: { externalAccess: [{ type: 'static', options: { token: API_TOKEN, subject: 'tests' } }] },
      database: { client: 'better-sqlite3', connection: join(dir, `store-${apps.length}.sqlite`) },
    },
    stitchboard: { dataDir: join(dir, 'data'), catalog },
    kubernetes: rawKubernetes([configCluster(alpha.info, { serviceAccountToken: '${ALPHA_TOKEN}' })]),
    scrapers: {
      backstage: { interval: '1h', timeout: '5s', ...backstage },
      catalog: { enabled: true, name: 'files' },
    },
  };
  await writeFile(file, stringify(raw));
  const { config } = await loadConfig([file], {
    env: { ALPHA_TOKEN: alpha.info.adminToken, ...env },
    cwd: dir,
  });
  const app = await createApp(config, { logger: silentLogger(), env: {} });
  apps.push(app);
  return app;
}

const get = async (app: App, url: string) => {
  const res = await app.server.inject({ method: 'GET', url: `/api/stitchboard${url}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stitchboard-catalog-instance-'));
  await mkdir(join(dir, 'catalog', 'teams'), { recursive: true });
  const docs = (entities: object[]) => entities.map((e) => stringify(e)).join('---\n');
  await writeFile(
    join(dir, 'catalog', 'components.yaml'),
    docs([
      // Namespace given: looked up there. Owner a short group ref.
      componentEntity(name('cart'), { [ID]: name('cart'), [NS]: shop }, { system: 'shop' }),
      // No namespace: the name alone, unique in the cluster. Owned by a user.
      componentEntity(name('pay'), { [ID]: name('pay') }, { owner: 'user:jdoe' }),
      // No such Service; its owner is not in the files.
      componentEntity(name('lost'), { [ID]: name('lost') }, { owner: 'team-gone' }),
    ]),
  );
  await writeFile(
    join(dir, 'catalog', 'teams', 'org.yaml'),
    docs([
      groupEntity('team-a', { displayName: 'Team A', email: 'team-a@example.com' }),
      userEntity('jdoe', { displayName: 'Jane Doe', email: 'jdoe@example.com' }),
    ]),
  );
  for (const ns of [shop, pay]) await alpha.client.ensureNamespace(ns);
  await alpha.client.create(serviceObject(shop, name('cart')));
  await alpha.client.create(serviceObject(shop, name('lonely')));
  await alpha.client.create(serviceObject(pay, name('pay')));
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await rm(dir, { recursive: true, force: true });
});

const mine = (links: StoredLink[]) => links.filter((l) => l.service.endsWith(u));

describe('stitching from the configured catalog (scrapers.catalog)', () => {
  it('stitches the catalog files to Services, with owners from their groups and users, and a report', async () => {
    const app = await startApp([{ type: 'file', path: 'catalog' }]);
    // The loop runs: scrapers.catalog.enabled is enough, and nothing ran before, so it runs at once.
    const [run] = await until('a first run', async () => {
      const runs = await app.stitching.store.listRuns({ instance: 'files', limit: 1 });
      return runs.length > 0 && runs;
    });
    expect(run).toMatchObject({
      instance: 'files',
      status: 'ok',
      counts: { components: 3, stitchedComponents: 2, clustersRead: 1, catalogRequests: 2 },
      errors: [],
    });

    const links = mine((await get(app, '/services?instance=files')).items);
    expect(links.map((l) => `${l.cluster}/${l.namespace}/${l.service}`).sort()).toEqual(
      [`alpha/${pay}/${name('pay')}`, `alpha/${shop}/${name('cart')}`].sort(),
    );
    expect(links.find((l) => l.service === name('cart'))).toMatchObject({
      componentRef: `component:default/${name('cart')}`,
      ownerRef: 'group:default/team-a',
      match: { by: 'name-namespace' },
      labels: {
        'stitchboard.io/scraper': 'files',
        'stitchboard.io/team': 'Team A',
        'stitchboard.io/system': 'shop',
      },
    });
    expect(links.find((l) => l.service === name('pay'))).toMatchObject({
      ownerRef: 'user:default/jdoe',
      match: { by: 'name-only' },
      labels: { 'stitchboard.io/team': 'Jane Doe', 'stitchboard.io/owner-kind': 'user' },
    });

    const owner = await get(app, '/owners/group:default/team-a?instance=files');
    expect(owner.items[0].owner).toMatchObject({ displayName: 'Team A', email: 'team-a@example.com' });

    const report = await get(app, '/report?instance=files');
    const unclaimed = report.unclaimedServices
      .map((s: { service: string }) => s.service)
      .filter((s: string) => s.endsWith(u));
    expect(unclaimed).toEqual([name('lonely')]);
    expect(
      report.unmatchedComponents.map((c: { componentRef: string; reason: string }) => [
        c.componentRef,
        c.reason,
      ]),
    ).toEqual([[`component:default/${name('lost')}`, 'no-such-service']]);
    expect(report.danglingOwners).toEqual([
      {
        instance: 'files',
        componentRef: `component:default/${name('lost')}`,
        ownerRef: 'group:default/team-gone',
        kind: 'group',
        value: 'team-gone',
        path: 'spec.owner',
      },
    ]);

    const instances = await get(app, '/instances');
    expect(instances.items).toEqual([
      {
        name: 'files',
        source: { type: 'catalog' },
        endpoint: null,
        hasToken: false,
        insecureSkipVerify: false,
        status: 'ok',
        lastRun: expect.objectContaining({ instance: 'files', status: 'ok' }),
        lastError: null,
      },
    ]);
  });

  it('records a failed run, naming the catalog but never its token, when the catalog cannot be read', async () => {
    const token = 'catalog-instance-secret-token';
    const endpoint = `http://127.0.0.1:${await pickFreePort()}`;
    const app = await startApp([{ type: 'backstage', endpoint, token: '${CATALOG_TOKEN}' }], {
      CATALOG_TOKEN: token,
    });
    const [run] = await until('a first run', async () => {
      const runs = await app.stitching.store.listRuns({ instance: 'files', limit: 1 });
      return runs.length > 0 && runs;
    });
    expect(run).toMatchObject({ status: 'failed', errors: [{ part: 'catalog' }] });
    expect(run?.errors[0]?.message).toContain('127.0.0.1');
    expect(await app.stitching.store.listServices({ instance: 'files' })).toEqual([]);

    const res = await app.server.inject({ method: 'GET', url: '/api/stitchboard/instances', headers });
    expect(res.json().items[0]).toMatchObject({
      name: 'files',
      source: { type: 'catalog' },
      endpoint: null,
      hasToken: false,
      status: 'failed',
    });
    expect(res.body).not.toContain(token);
    expect(JSON.stringify(run)).not.toContain(token);
  });

  it('reads no Backstage when only scrapers.catalog is enabled, even with instances listed and discovery on', async () => {
    const endpoint = `http://127.0.0.1:${await pickFreePort()}`;
    const app = await startApp(
      [{ type: 'file', path: './catalog' }],
      {},
      {
        enabled: false,
        instances: [{ name: 'elsewhere', endpoint }],
      },
    );
    const run = await until('a first run', async () => {
      const runs = await app.stitching.store.listRuns({ limit: 5 });
      return runs.length > 0 && runs;
    });
    expect(run.map((r) => r.instance)).toEqual(['files']);
    const instances = await get(app, '/instances');
    expect(instances.items.map((i: { name: string }) => i.name)).toEqual(['files']);
    expect(instances.discovery).toEqual([]);
  });
});
