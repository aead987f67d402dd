import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ConfigError } from '../errors/errors.ts';
import { inspectConfig, loadConfig } from './load.ts';
import { createTempDir, PEM, type TempDir } from './test-support.ts';

let tmp: TempDir;
beforeEach(async () => {
  tmp = await createTempDir();
});
afterEach(() => tmp.remove());

const KUBERNETES = `kubernetes:
  serviceLocatorMethod: { type: multiTenant }
  clusterLocatorMethods:
    - type: config
      clusters:
        - name: dev
          url: https://dev.example.com:6443
          authProvider: serviceAccount
          serviceAccountToken: \${DEV_TOKEN}
`;

const load = (files: string[], env: NodeJS.ProcessEnv = {}) => loadConfig(files, { cwd: tmp.path, env });

async function loadError(files: string[], env: NodeJS.ProcessEnv = {}): Promise<ConfigError> {
  const error = await load(files, env).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadConfig', () => {
  it('loads one file, substituting variables, and fills every default', async () => {
    await tmp.write('app-config.yaml', KUBERNETES);
    const { config, warnings } = await load(['app-config.yaml'], { DEV_TOKEN: 'tok' });
    expect(warnings).toEqual([]);
    const [locator] = config.kubernetes?.clusterLocatorMethods ?? [];
    expect(locator).toMatchObject({
      type: 'config',
      clusters: [{ name: 'dev', serviceAccountToken: 'tok' }],
    });
    expect(config.backend.listen).toEqual({ host: '0.0.0.0', port: 7007 });
    expect(config.stitchboard.dataDir).toBe(join(tmp.path, '.data'));
  });

  it('with no files at all yields the defaults and no kubernetes section', async () => {
    const { config } = await load([]);
    expect(config.kubernetes).toBeUndefined();
    expect(config.stitchboard.kubernetes.timeoutMs).toBe(5000);
  });

  it('merges several files: later wins, objects merge, arrays replace', async () => {
    await tmp.write(
      'app-config.yaml',
      `${KUBERNETES}backend:\n  listen: { port: 7007, host: 127.0.0.1 }\nstitchboard:\n  catalog:\n    - { type: file, path: a.yaml }\n    - { type: file, path: b.yaml }\n`,
    );
    await tmp.write(
      'app-config.production.yaml',
      'backend:\n  listen: { port: 8080 }\nstitchboard:\n  catalog:\n    - { type: file, path: c.yaml }\n',
    );
    const { config } = await load(['app-config.yaml', 'app-config.production.yaml'], { DEV_TOKEN: 't' });
    expect(config.backend.listen).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.stitchboard.catalog).toEqual([{ type: 'file', paths: [join(tmp.path, 'c.yaml')] }]);
    expect(config.kubernetes).toBeDefined();
  });

  it('resolves relative paths against the directory of the file that holds them', async () => {
    await tmp.write(
      'base/app-config.yaml',
      `${KUBERNETES}          caFile: certs/ca.pem\nstitchboard:\n  dataDir: ./state\n`,
    );
    await tmp.write('base/certs/ca.pem', PEM);
    await tmp.write(
      'env/prod.yaml',
      'stitchboard:\n  catalog:\n    - { type: file, path: ../catalog/all.yaml }\n',
    );
    const { config } = await load(['base/app-config.yaml', 'env/prod.yaml'], { DEV_TOKEN: 't' });
    const [locator] = config.kubernetes?.clusterLocatorMethods ?? [];
    expect(locator?.type === 'config' && locator.clusters[0]?.caFile).toBe(
      join(tmp.path, 'base/certs/ca.pem'),
    );
    expect(config.stitchboard.dataDir).toBe(join(tmp.path, 'base/state'));
    expect(config.stitchboard.catalog).toEqual([
      { type: 'file', paths: [join(tmp.path, 'catalog/all.yaml')] },
    ]);
    expect(config.backend.database).toEqual({
      client: 'sqlite',
      path: join(tmp.path, 'base/state/stitchboard.sqlite'),
    });
  });

  it('reads $file and $include, resolving an included file’s paths against its own directory', async () => {
    await tmp.write('secrets/dev-token', 'from-file\n');
    await tmp.write(
      'clusters/dev.yaml',
      'name: dev\nurl: https://dev:6443\nauthProvider: serviceAccount\ncaFile: ca.pem\n',
    );
    await tmp.write('clusters/ca.pem', PEM);
    await tmp.write(
      'app-config.yaml',
      `kubernetes:
  serviceLocatorMethod: { type: multiTenant }
  clusterLocatorMethods:
    - type: config
      clusters:
        - $include: clusters/dev.yaml
        - name: other
          url: https://other:6443
          authProvider: serviceAccount
          serviceAccountToken: { $file: secrets/dev-token }
`,
    );
    const { config } = await load(['app-config.yaml']);
    const [locator] = config.kubernetes?.clusterLocatorMethods ?? [];
    expect(locator?.type === 'config' && locator.clusters).toMatchObject([
      { name: 'dev', caFile: join(tmp.path, 'clusters/ca.pem') },
      { name: 'other', serviceAccountToken: 'from-file' },
    ]);
  });

  it('returns a deep-frozen config', async () => {
    await tmp.write('app-config.yaml', KUBERNETES);
    const { config } = await load(['app-config.yaml'], { DEV_TOKEN: 't' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.backend.listen)).toBe(true);
    expect(Object.isFrozen(config.kubernetes?.clusterLocatorMethods)).toBe(true);
    expect(() => {
      (config.backend.listen as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('names a missing file clearly', async () => {
    const error = await loadError(['nope.yaml']);
    expect(error.issues).toEqual([
      { path: 'nope.yaml', message: `cannot read config file ${join(tmp.path, 'nope.yaml')}: no such file` },
    ]);
    expect(error.message).toContain('nope.yaml');
  });

  it('names file and line for a YAML syntax error', async () => {
    await tmp.write('app-config.yaml', 'backend:\n  listen:\n    port: 7007\n   host: x\n');
    const error = await loadError(['app-config.yaml']);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toMatch(/^app-config\.yaml:4:\d+$/);
  });

  it('carries every issue, each with its path, from every file', async () => {
    await tmp.write('a.yaml', `${KUBERNETES}          skipTLSVerify: maybe\n`);
    await tmp.write(
      'b.yaml',
      'backend:\n  listen: { port: 99999 }\nstitchboard:\n  kubernetes: { mode: poll }\n',
    );
    const error = await loadError(['a.yaml', 'b.yaml'], { DEV_TOKEN: 't' });
    expect(error.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'kubernetes.clusterLocatorMethods[0].clusters[0].skipTLSVerify',
        'backend.listen.port',
        'stitchboard.kubernetes.mode',
      ]),
    );
    for (const issue of error.issues) expect(error.message).toContain(`${issue.path}: ${issue.message}`);
  });

  it.each([
    ['a missing caFile', null, /cannot read CA file .*ca\.pem: no such file/],
    ['a caFile that is a directory', 'dir', /cannot read CA file .*: it is a directory/],
    ['a caFile without a certificate', 'hello', /holds no PEM certificate/],
  ])('rejects %s', async (_, content, message) => {
    await tmp.write('app-config.yaml', `${KUBERNETES}          caFile: ca.pem\n`);
    if (content === 'dir') await tmp.write('ca.pem/x', '');
    else if (content !== null) await tmp.write('ca.pem', content);
    const error = await loadError(['app-config.yaml'], { DEV_TOKEN: 't' });
    expect(error.issues).toEqual([
      {
        path: 'kubernetes.clusterLocatorMethods[0].clusters[0].caFile',
        message: expect.stringMatching(message),
      },
    ]);
  });

  it('explains a "required" key that an unset variable left out, in one issue', async () => {
    await tmp.write(
      'app-config.yaml',
      'stitchboard:\n  catalog:\n    - type: backstage\n      endpoint: ${CATALOG_URL}\n',
    );
    const report = await inspectConfig(['app-config.yaml'], { cwd: tmp.path, env: {} });
    expect(report.errors).toEqual([
      {
        path: 'stitchboard.catalog[0].endpoint',
        message: expect.stringMatching(/^required, but environment variable CATALOG_URL is not set/),
      },
    ]);
    expect(report.warnings).toEqual([]);
  });

  it('warns, without failing, about an unset variable on an optional key', async () => {
    await tmp.write('app-config.yaml', KUBERNETES);
    const { warnings } = await load(['app-config.yaml']);
    expect(warnings).toEqual([
      {
        path: 'kubernetes.clusterLocatorMethods[0].clusters[0].serviceAccountToken',
        message: expect.stringMatching(/environment variable DEV_TOKEN is not set/),
      },
    ]);
  });

  it('does not pile "required" on top of a failed $file', async () => {
    await tmp.write(
      'app-config.yaml',
      'stitchboard:\n  catalog:\n    - type: backstage\n      endpoint: { $file: url.txt }\n',
    );
    const error = await loadError(['app-config.yaml']);
    expect(error.issues).toEqual([
      { path: 'stitchboard.catalog[0].endpoint', message: expect.stringMatching(/^\$file: cannot read/) },
    ]);
  });
});
