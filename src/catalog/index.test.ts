import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../shared/logger.ts';
import {
  BackstageCatalogSource,
  CompositeCatalogSource,
  FileCatalogSource,
  buildCatalogSource,
} from './index.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stitchboard-build-catalog-'));
  await writeFile(
    join(dir, 'a.yaml'),
    'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: team-a }\nspec: { type: team, children: [] }\n',
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const deps = { logger: silentLogger() };

describe('buildCatalogSource', () => {
  it('builds a loaded file catalog for a single file entry', async () => {
    const source = await buildCatalogSource([{ type: 'file', paths: [dir] }], deps);
    expect(source).toBeInstanceOf(FileCatalogSource);
    expect(await source.getEntityByRef('group:default/team-a')).toBeDefined();
  });

  it('builds a Backstage source whose description carries the endpoint and not the token', async () => {
    const source = await buildCatalogSource(
      [
        {
          type: 'backstage',
          endpoint: 'https://user:pw@backstage.example.com/',
          token: 'sekret-123456',
          insecureSkipVerify: false,
        },
      ],
      deps,
    );
    expect(source).toBeInstanceOf(BackstageCatalogSource);
    expect(source.description).toBe('backstage: https://backstage.example.com');
  });

  it('combines several entries in order', async () => {
    const source = await buildCatalogSource(
      [
        { type: 'file', paths: [dir] },
        { type: 'backstage', endpoint: 'http://127.0.0.1:1', insecureSkipVerify: false },
      ],
      deps,
    );
    expect(source).toBeInstanceOf(CompositeCatalogSource);
    expect(source.description).toBe(`files: ${dir} + backstage: http://127.0.0.1:1`);
    // the file source answers first, so no request reaches the (unreachable) Backstage
    expect(await source.getEntityByRef('group:default/team-a')).toBeDefined();
  });

  it('fails startup for a file path that does not exist', async () => {
    await expect(
      buildCatalogSource([{ type: 'file', paths: [join(dir, 'missing')] }], deps),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });
});
