import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileCatalogSource } from '../catalog/file-catalog.ts';
import { silentLogger } from '../shared/logger.ts';
import { DEFAULT_LABEL_MAP } from '../topology/label-map.ts';
import { readCatalog } from './catalog-reader.ts';
import type { CatalogInstance } from './types.ts';

const component = (name: string) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: ${name} }
spec: { type: service, lifecycle: production, owner: team-a }
`;

describe('readCatalog of scrapers.catalog', () => {
  it('re-reads catalog files on every run, so an edited catalog is stitched without a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-catalog-run-'));
    const file = join(dir, 'catalog-info.yaml');
    await writeFile(file, component('cart'));
    const catalog = await FileCatalogSource.load({ paths: [file], logger: silentLogger() });
    const instance = {
      name: 'local',
      source: { type: 'catalog' },
      catalog,
      labelMap: DEFAULT_LABEL_MAP,
    } as CatalogInstance;
    const read = () => readCatalog(instance, { timeoutMs: 5000, logger: silentLogger() });

    expect((await read()).components.map((c) => c.metadata.name)).toEqual(['cart']);
    await writeFile(file, `${component('cart')}---\n${component('checkout')}`);
    expect((await read()).components.map((c) => c.metadata.name).sort()).toEqual(['cart', 'checkout']);
  });
});
