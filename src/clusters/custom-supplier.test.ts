import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from '../errors/errors.ts';
import { loadConfig } from '../config/load.ts';
import { createTempDir, multiTenant, PEM_BASE64, type TempDir } from '../config/test-support.ts';
import { captureLogs } from '../http/test-helpers.ts';
import { buildClusterSupplier } from './index.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/custom-cluster-supplier/supplier.ts', import.meta.url));

let tmp: TempDir;
beforeEach(async () => {
  tmp = await createTempDir('stitchboard-custom-supplier-');
});
afterEach(() => tmp.remove());

/** Loads a real config file naming `module`, and builds the real supplier from it. */
async function supplierFor(
  module: string,
  options: Record<string, unknown> = {},
  extra: { continueOnError?: boolean; env?: NodeJS.ProcessEnv; stitchboard?: string } = {},
) {
  await tmp.write(
    'app-config.yaml',
    `kubernetes:
  serviceLocatorMethod: { type: multiTenant }
  clusterLocatorContinueOnError: ${extra.continueOnError ?? false}
  clusterLocatorMethods:
    - type: custom
      module: ${JSON.stringify(module)}
      options: ${JSON.stringify(options)}
${extra.stitchboard ?? ''}`,
  );
  const { config } = await loadConfig(['app-config.yaml'], { cwd: tmp.path, env: extra.env ?? {} });
  const logs = captureLogs();
  const supplier = buildClusterSupplier(config, { logger: logs.logger });
  const warnings = () =>
    logs
      .records()
      .filter((r) => r.level === 40)
      .map((r) => r.msg as string);
  return { config, supplier, logs, warnings };
}

/** A module in the temp dir; `.ts` so Node's type stripping is exercised as users will. */
async function writeModule(name: string, source: string): Promise<string> {
  return tmp.write(name, source);
}

describe('the example supplier (examples/custom-cluster-supplier)', () => {
  it('reads clusters from a JSON file, tokens from the environment, and follows the file', async () => {
    const file = await tmp.write(
      'clusters.json',
      JSON.stringify([
        { name: 'prod', url: 'https://prod.example.com', authProvider: 'google', title: 'Prod' },
        {
          name: 'lab',
          url: 'https://lab.example.com:6443',
          authProvider: 'serviceAccount',
          tokenEnv: 'LAB_TOKEN',
          caData: PEM_BASE64,
          skipMetricsLookup: true,
        },
      ]),
    );
    process.env.LAB_TOKEN = 'lab-token-value';
    try {
      const { supplier, logs } = await supplierFor(
        EXAMPLE,
        { file },
        {
          stitchboard:
            'stitchboard:\n  kubernetes:\n    clusters:\n      lab: { timeout: 9000, mode: watch }\n',
        },
      );
      const clusters = await supplier.getClusters();
      expect(clusters).toEqual([
        {
          name: 'prod',
          title: 'Prod',
          url: 'https://prod.example.com',
          authMetadata: { 'kubernetes.io/auth-provider': 'google' },
          skipTLSVerify: false,
          skipMetricsLookup: false,
          timeoutMs: 5000,
          mode: 'live',
        },
        {
          name: 'lab',
          url: 'https://lab.example.com:6443',
          caData: PEM_BASE64,
          authMetadata: {
            'kubernetes.io/auth-provider': 'serviceAccount',
            serviceAccountToken: 'lab-token-value',
          },
          skipTLSVerify: false,
          skipMetricsLookup: true,
          timeoutMs: 9000,
          mode: 'watch',
        },
      ]);
      // A later mtime: the example reads the file again.
      await new Promise((r) => setTimeout(r, 20));
      await tmp.write(
        'clusters.json',
        JSON.stringify([{ name: 'new', url: 'https://new.example.com', authProvider: 'aks' }]),
      );
      expect((await supplier.getClusters()).map((c) => c.name)).toEqual(['new']);
      expect(logs.lines().join('\n')).not.toContain('lab-token-value');
    } finally {
      delete process.env.LAB_TOKEN;
    }
  });

  it('skips a cluster whose token variable is unset, and fails clearly without options.file', async () => {
    const file = await tmp.write(
      'clusters.json',
      JSON.stringify([
        {
          name: 'lab',
          url: 'https://lab.example.com',
          authProvider: 'serviceAccount',
          tokenEnv: 'NOPE_UNSET',
        },
      ]),
    );
    const { supplier, warnings } = await supplierFor(EXAMPLE, { file });
    expect(await supplier.getClusters()).toEqual([]);
    expect(warnings()).toEqual(['cluster lab skipped: environment variable NOPE_UNSET is not set']);

    const bad = await supplierFor(EXAMPLE, {});
    await expect(bad.supplier.getClusters()).rejects.toThrow(
      `custom cluster supplier ${EXAMPLE}: its factory failed: options.file is required`,
    );
  });
});

describe('CustomClusterSupplier', () => {
  it('resolves the module against the config file and passes options and a logger to the factory', async () => {
    await writeModule(
      'suppliers/echo.ts',
      `import type { Logger } from 'pino';
export default function (options: Record<string, unknown>, context: { logger: Logger }) {
  context.logger.info({ seen: Object.keys(options).sort() }, 'factory ran');
  return { getClusters: () => [{ name: String(options.name), url: 'https://echo.example.com', authMetadata: { 'kubernetes.io/auth-provider': 'aks' } }] };
}
`,
    );
    const { supplier, logs } = await supplierFor('./suppliers/echo.ts', { name: 'echoed', apiKey: 'k' });
    expect((await supplier.getClusters()).map((c) => c.name)).toEqual(['echoed']);
    await supplier.getClusters();
    const ran = logs.records().filter((r) => r.msg === 'factory ran');
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({ seen: ['apiKey', 'name'], locator: 'custom', module: 'echo.ts' });
  });

  it('skips each bad cluster, naming its index and field, and keeps the good ones', async () => {
    await writeModule(
      'mixed.ts',
      `export default () => ({
  async getClusters() {
    return [
      { name: 'good', url: 'https://good.example.com', authMetadata: { 'kubernetes.io/auth-provider': 'google' } },
      { url: 'https://user:pw@x.example.com', authMetadata: { 'kubernetes.io/auth-provider': 'google' } },
      { name: 'no-provider', url: 'kube:6443', authMetadata: {} },
      { name: 'odd', url: 'https://odd.example.com', authMetadata: { 'kubernetes.io/auth-provider': 'kerberos' }, skipTLSVerify: 'yes', caData: 'not base64!', dashboardParameters: [1], timeoutMs: -1, mode: 'fast' },
      { name: 'oidc', url: 'https://o.example.com', authMetadata: { 'kubernetes.io/auth-provider': 'oidc' } },
      'just a string',
      { name: 'good', url: 'https://dup.example.com', authMetadata: { 'kubernetes.io/auth-provider': 'google' } },
    ];
  },
});
`,
    );
    const { supplier, warnings, logs } = await supplierFor('mixed.ts');
    expect((await supplier.getClusters()).map((c) => c.url)).toEqual(['https://good.example.com']);
    const where = `custom cluster supplier ${tmp.path}/mixed.ts`;
    expect(warnings()).toEqual([
      `${where}: clusters[1].name: required, a non-empty string; the cluster is skipped`,
      `${where}: clusters[1].url: must not carry a user name or password (credentials go in the auth settings, not the URL); the cluster is skipped`,
      `${where}: clusters[2].url: not a valid URL: the scheme is missing (e.g. https://host:6443); the cluster is skipped`,
      `${where}: clusters[2].authMetadata["kubernetes.io/auth-provider"]: required; the cluster is skipped`,
      `${where}: clusters[3].authMetadata["kubernetes.io/auth-provider"]: unknown auth provider "kerberos" (expected one of: serviceAccount, google, googleServiceAccount, aws, azure, oidc, aks, localKubectlProxy); the cluster is skipped`,
      `${where}: clusters[3].skipTLSVerify: expected true or false, received string; the cluster is skipped`,
      `${where}: clusters[3].caData: is not base64 (caData must be a base64-encoded PEM certificate bundle); the cluster is skipped`,
      `${where}: clusters[3].dashboardParameters: expected an object, received array; the cluster is skipped`,
      `${where}: clusters[3].timeoutMs: expected a positive number of milliseconds; the cluster is skipped`,
      `${where}: clusters[3].mode: expected "live" or "watch"; the cluster is skipped`,
      `${where}: clusters[4].authMetadata["kubernetes.io/oidc-token-provider"]: Must specify a token provider for 'oidc' strategy (e.g. okta, google, microsoft); the cluster is skipped`,
      `${where}: clusters[5]: expected an object, received string; the cluster is skipped`,
      `${where}: clusters[6].name "good" is a duplicate; the first is used`,
    ]);
    // Logged once, not on every poll.
    await supplier.getClusters();
    expect(warnings()).toHaveLength(13);
    expect(logs.lines().join('\n')).not.toContain('user:pw');
  });

  it.each([
    [
      'no default export',
      'export const supplier = 1;',
      'has no default export function',
      'its default export is nothing',
    ],
    [
      'a default that is not a function',
      'export default { getClusters() { return []; } };',
      'has no default export function',
      'its default export is object',
    ],
    [
      'a throwing factory',
      "export default () => { throw new Error('inventory down'); };",
      'its factory failed: inventory down',
      '',
    ],
    [
      'a factory without getClusters',
      'export default async () => ({ clusters: [] });',
      'its factory must return an object with a getClusters() method (it returned object)',
      '',
    ],
    [
      'getClusters returning no list',
      'export default () => ({ getClusters: async () => ({ items: [] }) });',
      'getClusters() must return a list of clusters, not object',
      '',
    ],
    [
      'getClusters throwing',
      "export default () => ({ getClusters: async () => { throw new Error('timeout'); } });",
      'getClusters() failed: timeout',
      '',
    ],
    ['a syntax error', 'export default (', 'cannot be loaded:', ''],
  ])('fails the locator on %s, naming the module', async (_what, source, message, more) => {
    const module = await writeModule('broken.ts', source);
    const { supplier } = await supplierFor(module);
    const error = await supplier.getClusters().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'CONFIG_INVALID',
      path: 'kubernetes.clusterLocatorMethods[0].module',
    });
    expect((error as Error).message).toContain(`custom cluster supplier ${module}: ${message}`);
    expect((error as Error).message).toContain(more);
  });

  it('is skipped with a warning under clusterLocatorContinueOnError', async () => {
    const module = await writeModule(
      'down.ts',
      "export default () => { throw new Error('inventory down'); };",
    );
    const { supplier, warnings } = await supplierFor(module, {}, { continueOnError: true });
    expect(await supplier.getClusters()).toEqual([]);
    expect(warnings()).toEqual(['cluster locator failed; skipped']);
  });

  it('loads again after a failed load', async () => {
    const module = await writeModule(
      'flaky.ts',
      "export default () => { if (!process.env.FLAKY_READY) throw new Error('not yet'); return { getClusters: () => [] }; };",
    );
    const { supplier } = await supplierFor(module);
    await expect(supplier.getClusters()).rejects.toThrow('not yet');
    process.env.FLAKY_READY = '1';
    try {
      await expect(supplier.getClusters()).resolves.toEqual([]);
    } finally {
      delete process.env.FLAKY_READY;
    }
  });
});

describe('custom locator config', () => {
  it('requires module, and reports an unreadable module with its path', async () => {
    await tmp.write(
      'app-config.yaml',
      stringify({ kubernetes: multiTenant({ type: 'custom' }, { type: 'custom', module: './missing.ts' }) }),
    );
    const error = await loadConfig(['app-config.yaml'], { cwd: tmp.path, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
    expect(issues).toEqual([expect.stringMatching(/^kubernetes\.clusterLocatorMethods\[0\]\.module: /)]);
  });

  it('reports a module file that does not exist, resolved against the config file', async () => {
    await tmp.write(
      'conf/app-config.yaml',
      stringify({ kubernetes: multiTenant({ type: 'custom', module: './missing.ts' }) }),
    );
    const error = await loadConfig(['conf/app-config.yaml'], { cwd: tmp.path, env: {} }).catch(
      (e: unknown) => e,
    );
    expect((error as ConfigError).issues).toEqual([
      {
        path: 'kubernetes.clusterLocatorMethods[0].module',
        message: expect.stringContaining(`cannot read cluster supplier module ${tmp.path}/conf/missing.ts`),
      },
    ]);
  });
});
