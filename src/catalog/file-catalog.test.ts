import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../shared/logger.ts';
import { FileCatalogSource } from './file-catalog.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stitchboard-file-catalog-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
  return path;
}

const load = (paths: string[] = [dir]) => FileCatalogSource.load({ paths, logger: silentLogger() });

const component = (name: string, extra = '') => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: production
  owner: team-a
${extra}`;

describe('FileCatalogSource', () => {
  it('loads multi-document files from nested directories and defaults the namespace', async () => {
    await write('a.yaml', `${component('checkout')}---\n${component('payments')}`);
    await write('nested/deeper/b.yml', component('storefront'));
    await write('nested/notes.txt', 'not: yaml: at all');
    const catalog = await load();

    const names = (await catalog.listEntities({})).map((e) => e.metadata.name);
    expect(names.sort()).toEqual(['checkout', 'payments', 'storefront']);
    expect((await catalog.getEntityByRef('component:checkout'))?.metadata.namespace).toBe('default');
    expect(catalog.problems()).toEqual([]);
    expect(catalog.description).toBe(`files: ${dir}`);
  });

  it('answers refs case-insensitively and undefined for unknown ones', async () => {
    await write('a.yaml', component('Checkout-API'));
    const catalog = await load();

    expect((await catalog.getEntityByRef('COMPONENT:Default/checkout-api'))?.metadata.name).toBe(
      'Checkout-API',
    );
    expect((await catalog.getEntityByRef('component:default/checkout-api'))?.metadata.name).toBe(
      'Checkout-API',
    );
    expect(await catalog.getEntityByRef('component:default/missing')).toBeUndefined();
    expect(await catalog.getEntityByRef('group:default/checkout-api')).toBeUndefined();
  });

  it('rejects a ref without a kind as the caller’s mistake', async () => {
    const catalog = await load();
    await expect(catalog.getEntityByRef('checkout')).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringContaining('Invalid entity ref "checkout"'),
    });
  });

  it('skips an invalid entity, naming file, line and reason, and loads the rest', async () => {
    const file = await write(
      'bad.yaml',
      [
        component('good-one'),
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: has spaces',
        'spec: { type: service, lifecycle: production, owner: team-a }',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: no-owner',
        'spec:',
        '  type: service',
        '  lifecycle: production',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Gadget',
        'metadata: { name: odd }',
        '',
      ].join('\n'),
    );
    const catalog = await load();

    expect((await catalog.listEntities({})).map((e) => e.metadata.name)).toEqual(['good-one']);
    expect(catalog.problems()).toEqual([
      {
        location: `${file}:14`,
        message: expect.stringMatching(
          /^Component "has spaces": "metadata.name" is not valid;.*"has spaces"$/,
        ),
      },
      { location: `${file}:21`, message: expect.stringContaining("must have required property 'owner'") },
      { location: `${file}:26`, message: expect.stringContaining('unsupported kind "Gadget"') },
    ]);
  });

  it('reports a YAML syntax error with its line and still loads the other documents and files', async () => {
    const broken = await write(
      'broken.yaml',
      `${component('before')}---\nkind: Component\nmetadata:\n  name: [unclosed\n---\n${component('after')}`,
    );
    await write('other.yaml', component('elsewhere'));
    const catalog = await load();

    const names = (await catalog.listEntities({})).map((e) => e.metadata.name).sort();
    expect(names).toEqual(['after', 'before', 'elsewhere']);
    const [problem, ...rest] = catalog.problems();
    expect(rest).toEqual([]);
    // the parser notices the unclosed `[` where the document ends
    expect(problem?.location).toMatch(new RegExp(`^${broken}:1[23]$`));
    expect(problem?.message).toMatch(/^YAML syntax error: .*flow sequence/i);
  });

  it('keeps the first of two entities with the same ref (compared case-insensitively)', async () => {
    const a = await write('a.yaml', component('checkout'));
    const b = await write('b.yaml', `# second copy\n${component('CHECKOUT')}`);
    const catalog = await load();

    expect((await catalog.listEntities({})).map((e) => e.metadata.name)).toEqual(['checkout']);
    expect(catalog.problems()).toEqual([
      {
        location: `${b}:2`,
        message: `duplicate entity component:default/checkout, already defined at ${a}:1`,
      },
    ]);
  });

  it('filters by kinds and spec.type, case-insensitively', async () => {
    await write(
      'mixed.yaml',
      [
        component('api-one'),
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Resource',
        'metadata: { name: prod-eu }',
        'spec: { type: kubernetes-cluster, owner: team-a }',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Resource',
        'metadata: { name: orders-db }',
        'spec: { type: database, owner: team-a }',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Group',
        'metadata: { name: team-a }',
        'spec: { type: team, children: [] }',
        '',
      ].join('\n'),
    );
    const catalog = await load();
    const names = async (filter: Parameters<typeof catalog.listEntities>[0]) =>
      (await catalog.listEntities(filter)).map((e) => e.metadata.name).sort();

    expect(await names({ kinds: ['resource'] })).toEqual(['orders-db', 'prod-eu']);
    expect(await names({ kinds: ['RESOURCE'], specType: 'Kubernetes-Cluster' })).toEqual(['prod-eu']);
    expect(await names({ kinds: ['Component', 'Group'] })).toEqual(['api-one', 'team-a']);
    expect(await names({ specType: 'service' })).toEqual(['api-one']);
    expect(await names({ kinds: [] })).toHaveLength(4);
  });

  it('attaches relations in both directions, as the catalog stitches them', async () => {
    await write(
      'org.yaml',
      [
        component('checkout', '  system: Shop\n  dependsOn: [resource:prod-eu, component:default/payments]'),
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Group',
        'metadata: { name: Team-A }',
        'spec: { type: team, children: [], parent: platform, members: [alice] }',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: User',
        'metadata: { name: alice }',
        'spec: { memberOf: [team-a] }',
        '',
      ].join('\n'),
    );
    const catalog = await load();

    expect((await catalog.getEntityByRef('component:default/checkout'))?.relations).toEqual([
      { type: 'dependsOn', targetRef: 'component:default/payments' },
      { type: 'dependsOn', targetRef: 'resource:default/prod-eu' },
      { type: 'ownedBy', targetRef: 'group:default/team-a' },
      { type: 'partOf', targetRef: 'system:default/shop' },
    ]);
    expect((await catalog.getEntityByRef('group:default/team-a'))?.relations).toEqual([
      { type: 'childOf', targetRef: 'group:default/platform' },
      { type: 'hasMember', targetRef: 'user:default/alice' },
      { type: 'ownerOf', targetRef: 'component:default/checkout' },
    ]);
    expect((await catalog.getEntityByRef('user:default/alice'))?.relations).toEqual([
      { type: 'memberOf', targetRef: 'group:default/team-a' },
    ]);
  });

  it('rejects an entity whose dependsOn ref has no kind, naming the field and line', async () => {
    const file = await write('deps.yaml', component('checkout', '  dependsOn:\n    - prod-eu'));
    const catalog = await load();

    expect(await catalog.listEntities({})).toEqual([]);
    expect(catalog.problems()).toEqual([
      {
        location: `${file}:10`,
        message: expect.stringMatching(/^Component "checkout": spec.dependsOn\[0\]: .*missing or empty kind/),
      },
    ]);
  });

  it('hands out entities that cannot be changed behind the catalog’s back', async () => {
    await write('a.yaml', component('checkout'));
    const catalog = await load();
    const entity = await catalog.getEntityByRef('component:default/checkout');

    expect(() => {
      (entity as { metadata: { name: string } }).metadata.name = 'changed';
    }).toThrow(TypeError);
  });

  it('reload() picks up edits, additions and removals', async () => {
    const file = await write('a.yaml', component('checkout'));
    const catalog = await load();
    await writeFile(file, `${component('payments')}---\n${component('storefront')}`);
    await catalog.reload();

    expect((await catalog.listEntities({})).map((e) => e.metadata.name)).toEqual(['payments', 'storefront']);
    expect(await catalog.getEntityByRef('component:default/checkout')).toBeUndefined();
  });

  it('accepts single files of any name and reads a file listed twice only once', async () => {
    const file = await write('catalog-info.txt', component('checkout'));
    const catalog = await load([file, dir]);

    expect(await catalog.listEntities({})).toHaveLength(1);
    expect(catalog.problems()).toEqual([]);
  });

  it('fails with CONFIG_INVALID naming a path that does not exist', async () => {
    const missing = join(dir, 'nope');
    await expect(load([missing])).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining(`Catalog path ${missing} cannot be read`),
    });
  });

  it('loads the example catalog without problems', async () => {
    const catalog = await load([join(import.meta.dirname, '../../examples/catalog')]);

    expect(catalog.problems()).toEqual([]);
    const byKind = (await catalog.listEntities({})).map((e) => e.kind).sort();
    expect(byKind).toEqual([
      'Component',
      'Component',
      'Component',
      'Group',
      'Group',
      'Resource',
      'System',
      'User',
      'User',
    ]);
    expect((await catalog.getEntityByRef('component:default/checkout'))?.relations).toContainEqual({
      type: 'ownedBy',
      targetRef: 'group:default/team-checkout',
    });
  });
});
