import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load.ts';
import { createTempDir, PEM, PEM_BASE64, type TempDir } from './test-support.ts';

/** The full example in docs/configuration.md must stay a configuration Stitchboard accepts. */
const DOC = join(import.meta.dirname, '../../docs/configuration.md');

let tmp: TempDir;
beforeEach(async () => {
  tmp = await createTempDir();
});
afterEach(() => tmp.remove());

async function exampleFiles(): Promise<[string, string]> {
  const blocks = [...(await readFile(DOC, 'utf8')).matchAll(/```yaml\n(.*?)```/gs)].map((m) => m[1] ?? '');
  const [main, local] = blocks.slice(-2);
  if (main === undefined || local === undefined) {
    throw new Error('docs/configuration.md lost its full example');
  }
  await tmp.write('secrets/prod-eu-token', 'prod-eu-token\n');
  await tmp.write('certs/prod-eu-ca.pem', PEM);
  await tmp.write('catalog/extra-components.yaml', '');
  return [await tmp.write('app-config.yaml', main), await tmp.write('app-config.local.yaml', local)];
}

const ENV = {
  PORT: '8080',
  STITCHBOARD_TOKEN: 'example-token-123',
  PG_PASSWORD: 'pw',
  STAGING_CA_DATA: PEM_BASE64,
  BACKSTAGE_CATALOG_TOKEN: 'catalog-token',
};

describe('docs/configuration.md full example', () => {
  it('loads with only the ignored `app` section warned about', async () => {
    const [main] = await exampleFiles();
    const { config, warnings } = await loadConfig([main], { cwd: tmp.path, env: ENV });
    expect(warnings.map((w) => w.path)).toEqual(['app']);
    expect(config.backend.listen.port).toBe(8080);
    expect(config.kubernetes?.clusterLocatorMethods.map((l) => l.type)).toEqual(['config', 'catalog', 'gke']);
    const [locator] = config.kubernetes?.clusterLocatorMethods ?? [];
    expect(locator?.type === 'config' && locator.clusters[0]).toMatchObject({
      serviceAccountToken: 'prod-eu-token',
      caFile: join(tmp.path, 'certs/prod-eu-ca.pem'),
    });
  });

  it('with the local override replaces lists and keeps the rest', async () => {
    const files = await exampleFiles();
    const { config } = await loadConfig(files, { cwd: tmp.path, env: ENV });
    expect(config.backend.listen).toEqual({ host: '0.0.0.0', port: 7007 });
    expect(config.backend.auth.externalAccess).toEqual([]);
    expect(config.backend.database).toEqual({ client: 'sqlite', path: ':memory:' });
    expect(config.kubernetes?.clusterLocatorMethods).toEqual([{ type: 'localKubectlProxy' }]);
    expect(config.kubernetes?.objectTypes).toHaveLength(6);
    expect(config.stitchboard.catalog).toEqual([{ type: 'file', paths: [join(tmp.path, 'catalog')] }]);
  });
});
