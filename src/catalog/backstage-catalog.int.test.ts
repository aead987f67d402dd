import type { Entity } from '@backstage/catalog-model';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackstage, type BackstageFixture } from '../../test/helpers/backstage.ts';
import { testClusters } from '../../test/helpers/clusters.ts';
import { createLogger, silentLogger } from '../shared/logger.ts';
import { BackstageCatalogSource } from './backstage-catalog.ts';
import { FileCatalogSource } from './file-catalog.ts';

const v1 = 'backstage.io/v1alpha1';

/** Entities exercising every relation rule, to compare the file catalog's relations with Backstage's own. */
const related: Entity[] = [
  {
    apiVersion: v1,
    kind: 'System',
    metadata: { name: 'shop' },
    spec: { owner: 'team-checkout', domain: 'commerce' },
  },
  { apiVersion: v1, kind: 'Domain', metadata: { name: 'commerce' }, spec: { owner: 'group:default/org' } },
  {
    apiVersion: v1,
    kind: 'Group',
    metadata: { name: 'org' },
    spec: { type: 'org', children: ['team-checkout'] },
  },
  {
    apiVersion: v1,
    kind: 'Group',
    metadata: { name: 'Team-Checkout' },
    spec: { type: 'team', parent: 'org', children: [], members: ['alice', 'user:default/bob'] },
  },
  { apiVersion: v1, kind: 'User', metadata: { name: 'alice' }, spec: { memberOf: ['team-checkout'] } },
  {
    apiVersion: v1,
    kind: 'User',
    metadata: { name: 'bob' },
    spec: { profile: { email: 'bob@example.com' }, memberOf: [] },
  },
  {
    apiVersion: v1,
    kind: 'Resource',
    metadata: { name: 'prod-eu', annotations: { 'kubernetes.io/api-server': 'https://prod-eu.example.com' } },
    spec: { type: 'kubernetes-cluster', owner: 'team-checkout', system: 'shop' },
  },
  {
    apiVersion: v1,
    kind: 'Component',
    metadata: { name: 'Checkout', annotations: { 'backstage.io/kubernetes-id': 'checkout' } },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-checkout',
      system: 'shop',
      dependsOn: ['resource:prod-eu', 'component:default/payments'],
      providesApis: ['checkout-api'],
    },
  },
  {
    apiVersion: v1,
    kind: 'Component',
    metadata: { name: 'payments' },
    spec: { type: 'service', lifecycle: 'production', owner: 'user:alice', subcomponentOf: 'checkout' },
  },
  {
    apiVersion: v1,
    kind: 'API',
    metadata: { name: 'checkout-api' },
    spec: { type: 'openapi', lifecycle: 'production', owner: 'team-checkout', definition: 'openapi: 3.0.0' },
  },
];

const COMPONENTS = 1_200;
const generated: Entity[] = Array.from({ length: COMPONENTS - 2 }, (_, i) => ({
  apiVersion: v1,
  kind: 'Component',
  metadata: {
    name: `svc-${String(i).padStart(4, '0')}`,
    annotations: { 'backstage.io/kubernetes-id': `svc-${i}` },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-checkout' },
}));

const TOKEN = 'stitchboard-int-token-7f3a9c';
let backstage: BackstageFixture;

beforeAll(async () => {
  backstage = await startBackstage({ entities: [...related, ...generated], token: TOKEN });
});
afterAll(async () => {
  await backstage?.close();
});

const source = (
  options: { token?: string; pageSize?: number; logger?: ReturnType<typeof silentLogger> } = {},
) =>
  new BackstageCatalogSource({
    endpoint: backstage.url,
    token: 'token' in options ? options.token : TOKEN,
    logger: options.logger ?? silentLogger(),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  });

describe('BackstageCatalogSource against a real Backstage catalog', () => {
  it('lists 1,200 components by following the cursor over several pages', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const catalog = source({ pageSize: 250, logger: createLogger({ level: 'debug', destination }) });

    const components = await catalog.listEntities({ kinds: ['component'] });

    expect(components).toHaveLength(COMPONENTS);
    expect(new Set(components.map((e) => e.metadata.name)).size).toBe(COMPONENTS);
    expect(components.every((e) => e.kind === 'Component')).toBe(true);
    const listed = lines
      .map((l) => JSON.parse(l) as { msg: string; pages?: number })
      .find((l) => l.msg === 'catalog entities listed');
    expect(listed?.pages).toBe(5);
    expect(lines.join('')).not.toContain(TOKEN);
  });

  it('filters by kind and spec.type on the server, case-insensitively', async () => {
    const clusters = await source().listEntities({ kinds: ['Resource'], specType: 'Kubernetes-Cluster' });
    expect(clusters.map((e) => e.metadata.name)).toEqual(['prod-eu']);
    const people = await source().listEntities({ kinds: ['user', 'GROUP'] });
    expect(people.map((e) => `${e.kind}:${e.metadata.name}`).sort()).toEqual([
      'Group:Team-Checkout',
      'Group:org',
      'User:alice',
      'User:bob',
    ]);
  });

  it('finds an entity by ref, case-insensitively, and answers undefined for an unknown one', async () => {
    const catalog = source();
    const found = await catalog.getEntityByRef('COMPONENT:Default/checkout');
    expect(found?.metadata.name).toBe('Checkout');
    expect(found?.relations).toContainEqual({ type: 'dependsOn', targetRef: 'resource:default/prod-eu' });
    expect(await catalog.getEntityByRef('component:default/no-such-thing')).toBeUndefined();
    await expect(catalog.getEntityByRef('checkout')).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('computes the same entities and relations in the file catalog as Backstage does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stitchboard-parity-'));
    try {
      // The same entities Backstage holds, so reverse relations (a group's ownerOf) match too.
      const all = [...related, ...generated];
      await writeFile(join(dir, 'entities.yaml'), all.map((e) => stringify(e)).join('---\n'));
      const files = await FileCatalogSource.load({ paths: [dir], logger: silentLogger() });
      expect(files.problems()).toEqual([]);
      for (const entity of related) {
        const ref = `${entity.kind}:default/${entity.metadata.name}`;
        const fromBackstage = await source().getEntityByRef(ref);
        const fromFiles = await files.getEntityByRef(ref);
        expect(fromFiles?.relations, ref).toEqual(fromBackstage?.relations);
        expect(fromFiles?.spec, ref).toEqual(fromBackstage?.spec);
        expect(fromFiles?.metadata.namespace, ref).toBe(fromBackstage?.metadata.namespace);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['a wrong token', 'not-the-right-token-123', 'rejected the token (401): check the token'],
    ['no token', undefined, 'rejected the token (401): set a token for this catalog source'],
  ])('fails clearly with %s, without showing any token', async (_what, token, message) => {
    const error = await source({ token })
      .listEntities({ kinds: ['component'] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CATALOG_UNAVAILABLE' });
    expect((error as Error).message.startsWith(`Backstage at ${backstage.url} ${message}`)).toBe(true);
    expect(String((error as Error).message)).not.toContain('not-the-right-token');
    expect(String((error as Error).message)).not.toContain(TOKEN);
  });

  it('gives up when the caller aborts, with the caller’s reason rather than a catalog failure', async () => {
    const controller = new AbortController();
    controller.abort(new Error('client went away'));
    await expect(source().listEntities({}, { signal: controller.signal })).rejects.toThrow(
      'client went away',
    );
  });

  it('verifies TLS unless insecureSkipVerify is set (against a real kube-apiserver’s self-signed CA)', async () => {
    const { alpha } = testClusters();
    const tls = (insecureSkipVerify: boolean) =>
      new BackstageCatalogSource({
        endpoint: alpha.info.url,
        token: TOKEN,
        insecureSkipVerify,
        logger: silentLogger(),
      });

    await expect(tls(false).listEntities({})).rejects.toMatchObject({
      code: 'CATALOG_UNAVAILABLE',
      message: expect.stringMatching(
        new RegExp(`^Backstage at ${alpha.info.url} is unreachable: .*certificate`, 'i'),
      ),
    });
    // With verification off the request reaches the API server, which does not know this token.
    await expect(tls(true).listEntities({})).rejects.toMatchObject({
      code: 'CATALOG_UNAVAILABLE',
      message: `Backstage at ${alpha.info.url} rejected the token (401): check the token and that it is listed in backend.auth.externalAccess there`,
    });
  });

  it('reports CATALOG_UNAVAILABLE naming the endpoint while Backstage is down, and recovers after a restart', async () => {
    const catalog = source();
    await backstage.stop();
    try {
      await expect(catalog.getEntityByRef('component:default/checkout')).rejects.toMatchObject({
        code: 'CATALOG_UNAVAILABLE',
        message: expect.stringMatching(
          new RegExp(`^Backstage at ${backstage.url} is unreachable: .*ECONNREFUSED`),
        ),
      });
      await expect(catalog.listEntities({})).rejects.toMatchObject({ code: 'CATALOG_UNAVAILABLE' });
    } finally {
      await backstage.start();
    }
    expect((await catalog.getEntityByRef('component:default/checkout'))?.metadata.name).toBe('Checkout');
  });
});

describe('BackstageCatalogSource while the catalog changes', () => {
  const component = (name: string, owner: string): Entity => ({
    apiVersion: v1,
    kind: 'Component',
    metadata: { name },
    spec: { type: 'service', lifecycle: 'production', owner },
  });
  let small: BackstageFixture;

  beforeAll(async () => {
    small = await startBackstage({ entities: [component('kept', 'team-a'), component('dropped', 'team-a')] });
  });
  afterAll(async () => {
    await small?.close();
  });

  it('sees additions, edits and removals with no caching of its own', async () => {
    const catalog = new BackstageCatalogSource({
      endpoint: small.url,
      token: small.token,
      logger: silentLogger(),
    });
    expect((await catalog.listEntities({ kinds: ['component'] })).map((e) => e.metadata.name).sort()).toEqual(
      ['dropped', 'kept'],
    );

    await small.setEntities([component('kept', 'team-b'), component('added', 'team-a')]);

    expect((await catalog.listEntities({ kinds: ['component'] })).map((e) => e.metadata.name).sort()).toEqual(
      ['added', 'kept'],
    );
    expect((await catalog.getEntityByRef('component:default/kept'))?.relations).toEqual([
      { type: 'ownedBy', targetRef: 'group:default/team-b' },
    ]);
    expect(await catalog.getEntityByRef('component:default/dropped')).toBeUndefined();
  });
});
