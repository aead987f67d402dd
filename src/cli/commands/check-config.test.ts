import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createTempDir, multiTenant, PEM_BASE64, type TempDir } from '../../config/test-support.ts';
import { main } from '../main.ts';
import { captureIo } from '../test-io.ts';

let tmp: TempDir;
beforeEach(async () => {
  tmp = await createTempDir('stitchboard-cli-');
});
afterEach(() => tmp.remove());

const VALID = stringify({
  kubernetes: multiTenant(
    {
      type: 'config',
      clusters: [
        {
          name: 'prod',
          url: 'https://prod.example.com:6443',
          authProvider: 'serviceAccount',
          serviceAccountToken: '${PROD_TOKEN}',
          caData: PEM_BASE64,
        },
        {
          name: 'dev',
          url: 'https://dev.example.com',
          authProvider: 'google',
          skipTLSVerify: true,
        },
      ],
    },
    { type: 'localKubectlProxy' },
  ),
  stitchboard: { kubernetes: { timeout: '2s', clusters: { prod: { mode: 'watch', timeout: '10s' } } } },
});

async function checkConfig(args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = captureIo({
    cwd: tmp.path,
    env: { STITCHBOARD_KUBECTL_PROXY_URL: 'http://127.0.0.1:8001', ...env },
  });
  const code = await main(['check-config', ...args], io);
  return { code, out: io.out, err: io.err };
}

describe('check-config', () => {
  it('on a valid config prints its warnings and the clusters it resolves to', async () => {
    await tmp.write('app-config.yaml', VALID);
    const { code, out, err } = await checkConfig(['app-config.yaml'], { PROD_TOKEN: 'secret-token-value' });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatchInlineSnapshot(`
      "warning  kubernetes.clusterLocatorMethods[0].clusters[1].skipTLSVerify: TLS verification is off for this cluster; use it only for development
      Configuration is valid (1 warning).

      NAME   URL                            AUTH PROVIDER      LOCATOR            SKIP TLS VERIFY  MODE   TIMEOUT
      prod   https://prod.example.com:6443  serviceAccount     config             false            watch  10000ms
      dev    https://dev.example.com        google             config             true             live   2000ms
      local  http://127.0.0.1:8001          localKubectlProxy  localKubectlProxy  false            live   2000ms
      "
    `);
    expect(out).not.toContain('secret-token-value');
  });

  it('on a config with three distinct errors shows all three with their paths and exits 1', async () => {
    await tmp.write(
      'app-config.yaml',
      stringify({
        backend: { listen: { port: 99999 } },
        kubernetes: multiTenant({
          type: 'config',
          clusters: [{ name: 'prod', url: 'https://prod.example.com:6443', authProvider: 'foo' }],
        }),
        stitchboard: { kubernetes: { mode: 'poll' } },
      }),
    );
    const { code, out } = await checkConfig(['app-config.yaml']);
    expect(code).toBe(1);
    expect(out).toMatchInlineSnapshot(`
      "error    backend.listen.port: must be at most 65535
      error    kubernetes.clusterLocatorMethods[0].clusters[0].authProvider: unknown provider "foo" (expected one of: serviceAccount, google, googleServiceAccount, aws, azure, oidc, aks, localKubectlProxy)
      error    stitchboard.kubernetes.mode: unknown mode "poll" (expected one of: live, watch)

      Configuration is invalid: 3 errors, 0 warnings.
      "
    `);
  });

  it('merges several files in order', async () => {
    await tmp.write('app-config.yaml', VALID);
    await tmp.write('override.yaml', 'stitchboard:\n  kubernetes: { timeout: 750ms, mode: watch }\n');
    const { code, out } = await checkConfig(['app-config.yaml', 'override.yaml', '--json'], {
      PROD_TOKEN: 't',
    });
    expect(code).toBe(0);
    const report = JSON.parse(out) as { clusters: { name: string; timeoutMs: number; mode: string }[] };
    expect(report.clusters.map((c) => [c.name, c.timeoutMs, c.mode])).toEqual([
      ['prod', 10_000, 'watch'],
      ['dev', 750, 'watch'],
      ['local', 750, 'watch'],
    ]);
  });

  it('--json on a valid config prints one JSON report', async () => {
    await tmp.write('app-config.yaml', VALID);
    const { code, out } = await checkConfig(['--json', 'app-config.yaml'], { PROD_TOKEN: 't' });
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ valid: true, files: ['app-config.yaml'], errors: [] });
    expect(report.warnings).toHaveLength(1);
    expect(report.clusters[0]).toEqual({
      name: 'prod',
      url: 'https://prod.example.com:6443',
      authProvider: 'serviceAccount',
      locator: 'config',
      skipTLSVerify: false,
      mode: 'watch',
      timeoutMs: 10_000,
    });
  });

  it('--json on an invalid config reports valid: false and exits 1', async () => {
    await tmp.write('app-config.yaml', 'backend:\n  listen: { port: -1 }\n');
    const { code, out } = await checkConfig(['app-config.yaml', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({
      valid: false,
      files: ['app-config.yaml'],
      errors: [{ path: 'backend.listen.port', message: 'must be at least 0' }],
      warnings: [],
      clusters: [],
    });
  });

  it('reports a missing file and exits 1', async () => {
    const { code, out } = await checkConfig(['missing.yaml']);
    expect(code).toBe(1);
    expect(out).toMatch(/^error {4}missing\.yaml: cannot read config file .*missing\.yaml: no such file/);
  });

  it('says so when there is no kubernetes section', async () => {
    await tmp.write('app-config.yaml', 'backend:\n  listen: { port: 7008 }\n');
    const { code, out } = await checkConfig(['app-config.yaml']);
    expect(code).toBe(0);
    expect(out).toBe('Configuration is valid.\n\nNo kubernetes section: Stitchboard serves no clusters.\n');
  });

  it('takes files from --config too', async () => {
    await tmp.write('a.yaml', VALID);
    await tmp.write('b.yaml', 'backend:\n  listen: { port: -1 }\n');
    const { code, out } = await checkConfig(['-c', 'a.yaml', '--config', 'b.yaml'], { PROD_TOKEN: 't' });
    expect(code).toBe(1);
    expect(out).toMatch(/error {4}backend\.listen\.port: must be at least 0/);
  });

  it('falls back to app-config.yaml and app-config.local.yaml in the working directory', async () => {
    await tmp.write('app-config.yaml', VALID);
    await tmp.write('app-config.local.yaml', 'stitchboard:\n  kubernetes: { timeout: 1s }\n');
    const { code, out } = await checkConfig(['--json'], { PROD_TOKEN: 't' });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ files: ['app-config.yaml', 'app-config.local.yaml'] });
  });

  it.each([['check-config'], ['serve'], ['objects', 'checkout']])(
    '`%s` without any config file says in one line where it looked and how to get one',
    async (...argv) => {
      const io = captureIo({ cwd: tmp.path });
      const code = await main(argv, io);
      expect(code).toBe(2);
      expect(io.err.trimEnd().split('\n')).toEqual([
        `no config: looked for app-config.yaml / app-config.local.yaml in ${tmp.path}; pass --config <file>, ` +
          'or run `npm run demo` (it writes a working .state/demo/app-config.yaml), ' +
          'and check yours with `npm run stitchboard -- check-config <file>`',
      ]);
    },
  );
});
