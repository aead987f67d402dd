import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { testClusters, uniqueNamespace } from '../helpers/clusters.ts';
import { podObject } from '../helpers/pod.ts';
import { appConfigHead, startServe, type RunningServer } from '../helpers/serve.ts';

// The whole product as a user runs it: an app-config.yaml with Backstage's kubernetes section verbatim,
// secrets from the environment, a file catalog, the real `stitchboard serve` process, plain HTTP.
const { alpha, beta } = testClusters();
const ns = uniqueNamespace('e2e');
const id = `e2e-${ns.slice(-6)}`;
const API_TOKEN = 'e2e-static-token-0123456789';
let dir: string;
let server: RunningServer;
const env = () => ({ ALPHA_TOKEN: alpha.info.adminToken, BETA_TOKEN: beta.info.adminToken, API_TOKEN });

beforeAll(async () => {
  for (const c of [alpha, beta]) {
    await c.client.ensureNamespace(ns);
    await c.client.create(podObject(`${id}-${c.info.name}`, ns, { 'backstage.io/kubernetes-id': id }));
  }
  dir = await mkdtemp(join(tmpdir(), 'sb-e2e-'));
  await writeFile(
    join(dir, 'catalog-info.yaml'),
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: shop
  annotations:
    backstage.io/kubernetes-id: ${id}
spec: { type: service, lifecycle: production, owner: team-a }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-a }
spec: { type: team, children: [] }
`,
  );
  await writeFile(join(dir, 'alpha-ca.crt'), Buffer.from(alpha.info.caData, 'base64'));
  await writeFile(
    join(dir, 'app-config.yaml'),
    `${appConfigHead(dir, 'e2e-tests')}  catalog:
    - type: file
      path: ./catalog-info.yaml
kubernetes:
  serviceLocatorMethod:
    type: 'multiTenant'
  clusterLocatorMethods:
    - type: 'config'
      clusters:
        - url: ${alpha.info.url}
          name: ${alpha.info.name}
          title: 'Alpha cluster'
          authProvider: 'serviceAccount'
          skipTLSVerify: false
          skipMetricsLookup: true
          serviceAccountToken: \${ALPHA_TOKEN}
          dashboardUrl: https://dashboard.example.com/
          dashboardApp: standard
          caFile: ./alpha-ca.crt
        - url: ${beta.info.url}
          name: ${beta.info.name}
          authProvider: 'serviceAccount'
          skipMetricsLookup: true
          serviceAccountToken: \${BETA_TOKEN}
          caData: ${beta.info.caData}
  apiVersionOverrides:
    cronjobs: 'v1beta1'
    horizontalpodautoscalers: 'v2beta2'
`,
  );
  server = await startServe(['--config', join(dir, 'app-config.yaml')], { env: env() });
});

afterAll(async () => {
  if (server) expect(await server.stop()).toBe(0);
});

const call = (path: string, init: RequestInit = {}, token: string | null = API_TOKEN) =>
  fetch(`${server.url}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...init.headers,
    },
  });

describe('stitchboard serve', () => {
  it('lists the configured clusters without secrets', async () => {
    const res = await call('/api/kubernetes/clusters');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      items: [
        {
          name: alpha.info.name,
          title: 'Alpha cluster',
          dashboardUrl: 'https://dashboard.example.com/',
          authProvider: 'serviceAccount',
        },
        { name: beta.info.name, authProvider: 'serviceAccount' },
      ],
    });
  });

  it('serves an entity’s objects from both clusters, re-reading the entity from the catalog', async () => {
    // The posted entity's annotations are ignored: the catalog's copy decides the selector.
    const posted = {
      kind: 'Component',
      metadata: { name: 'shop', namespace: 'default', annotations: { 'backstage.io/kubernetes-id': 'nope' } },
    };
    const res = await call('/api/kubernetes/services/shop', {
      method: 'POST',
      body: JSON.stringify({ entity: posted }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      items: {
        cluster: Record<string, unknown>;
        errors: unknown[];
        resources: { type: string; resources: { metadata: { name: string } }[] }[];
      }[];
    };
    expect(body.items.map((i) => i.cluster)).toEqual([
      {
        name: alpha.info.name,
        title: 'Alpha cluster',
        dashboardUrl: 'https://dashboard.example.com/',
        dashboardApp: 'standard',
      },
      { name: beta.info.name },
    ]);
    for (const item of body.items) {
      expect(item.errors).toEqual([]);
      expect(item.resources.find((r) => r.type === 'pods')?.resources.map((p) => p.metadata.name)).toEqual([
        `${id}-${item.cluster.name}`,
      ]);
    }

    const workloads = await call('/api/kubernetes/resources/workloads/query', {
      method: 'POST',
      body: JSON.stringify({ entityRef: 'component:default/shop', auth: {} }),
    });
    expect(await workloads.json()).toEqual(body);
  });

  it('answers bad input with 4xx and a message, and requires the static token', async () => {
    expect((await call('/api/kubernetes/clusters', {}, null)).status).toBe(401);
    expect((await call('/api/kubernetes/clusters', {}, 'wrong-token-123')).status).toBe(401);
    const unknown = await call('/api/kubernetes/resources/workloads/query', {
      method: 'POST',
      body: JSON.stringify({ entityRef: 'component:default/ghost' }),
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(
      'Entity ref missing, component:default/ghost',
    );
    const broken = await call('/api/kubernetes/services/x', { method: 'POST', body: '{"entity": ' });
    expect(broken.status).toBe(400);
    expect((await call('/healthz', {}, null)).status).toBe(200);
    const metrics = await (await call('/metrics', {}, null)).text();
    expect(metrics).toMatch(/stitchboard_http_requests_total\{.*statusCode="401".*\} [1-9]/);
  });

  it('never writes a token to its logs', () => {
    const output = server.output();
    expect(output).toContain('stitchboard listening');
    for (const secret of [alpha.info.adminToken, beta.info.adminToken, API_TOKEN, beta.info.caData]) {
      expect(output).not.toContain(secret);
    }
  });
});

describe('stitchboard CLI', () => {
  const run = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { ...process.env, ...env() },
      cwd: dir,
    });
    return { code, stdout, stderr };
  };

  it('objects prints a table per cluster and type', async () => {
    const { code, stdout } = await run('objects', 'shop');
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`Alpha cluster\\s+pods\\s+1\\s+${id}-${alpha.info.name}`));
    expect(stdout).toMatch(new RegExp(`${beta.info.name}\\s+pods\\s+1\\s+${id}-${beta.info.name}`));
  });

  it('objects --json prints the API response; an unknown entity fails clearly', async () => {
    const json = await run('objects', 'component:default/shop', '--json');
    expect(JSON.parse(json.stdout).items).toHaveLength(2);
    const missing = await run('objects', 'ghost');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no entity component:default/ghost in the catalog');
  });

  it('check-config resolves the clusters and never prints a token', async () => {
    const { code, stdout } = await run('check-config', 'app-config.yaml');
    expect(code).toBe(0);
    expect(stdout).toContain('Configuration is valid');
    expect(stdout).toMatch(
      new RegExp(
        `${alpha.info.name}\\s+${alpha.info.url.replace(/[.]/g, '\\.')}\\s+serviceAccount\\s+config`,
      ),
    );
    expect(stdout).not.toContain(alpha.info.adminToken);
  });
});
