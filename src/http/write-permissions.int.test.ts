import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { testClusters, uniqueNamespace } from '../../test/helpers/clusters.ts';
import { configCluster, rawKubernetes } from '../../test/helpers/engine.ts';
import { startServe, type RunningServer } from '../../test/helpers/serve.ts';
import { startTestIssuer, type TestIssuer } from './backstage-issuer.test-support.ts';
import { WRITES_NEED_ADMIN, WRITES_NEED_TOKENS } from './permissions.ts';

// Who may write, through the real `stitchboard serve` on a real cluster: a Backstage user in an
// admin group creates an instance (a real Secret in alpha), a read-only caller is refused; CORS for
// Backstage's frontend at another origin. Tokens are real: static ones, and Backstage user tokens
// checked against a loopback JWKS issuer.
const { alpha } = testClusters();
const tools = uniqueNamespace('perm-tools');
const ADMIN_BOT = 'perm-admin-bot-token-0123';
const VIEWER = 'perm-viewer-token-0123';
const REPORTER = 'perm-reporter-token-0123';
const FRONTEND = 'https://backstage.example.com';

let issuer: TestIssuer;
let dir: string;
let server: RunningServer;
let open: RunningServer;
let alice: string;
let bob: string;

function config(withTokens: boolean): string {
  const access = {
    auth: {
      externalAccess: [
        { type: 'static', options: { token: '${ADMIN_BOT}', subject: 'admin-bot' } },
        { type: 'static', options: { token: '${VIEWER}', subject: 'viewer' } },
        { type: 'static', options: { token: '${REPORTER}', subject: 'reporter' } },
      ],
    },
    cors: {
      origin: ['https://*.example.com', 'http://localhost:700[0-9]'],
      methods: ['GET', 'POST'],
      credentials: true,
    },
  };
  const rules = {
    auth: {
      backstageTokens: { issuer: issuer.issuer, jwksUrl: issuer.jwksUrl, userInfoUrl: issuer.userInfoUrl },
    },
    permissions: [
      {
        allow: ['stitchboard.read', 'kubernetes.clusters.read', 'kubernetes.resources.read'],
        users: ['viewer', 'admin-bot', 'user:default/alice', 'user:default/bob', 'user:default/carol'],
      },
      // Stitched data only: no reading of clusters with the server's credentials.
      { allow: ['stitchboard.read'], users: ['reporter'] },
      { allow: ['stitchboard.admin'], groups: ['group:default/platform'], users: ['admin-bot'] },
    ],
  };
  return stringify({
    backend: {
      database: { client: 'better-sqlite3', connection: ':memory:' },
      ...(withTokens ? access : {}),
    },
    stitchboard: {
      dataDir: join(dir, withTokens ? 'data-tokens' : 'data-open'),
      ...(withTokens ? rules : {}),
    },
    kubernetes: rawKubernetes([configCluster(alpha.info, { serviceAccountToken: '${ALPHA_TOKEN}' })]),
    scrapers: {
      backstage: {
        enabled: true,
        interval: '1h',
        discovery: { cluster: alpha.info.name, namespaces: [tools] },
      },
    },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-perm-'));
  issuer = await startTestIssuer();
  await issuer.addKey();
  alice = await issuer.sign({
    sub: 'user:default/alice',
    ent: ['user:default/alice', 'group:default/platform'],
  });
  bob = await issuer.sign({ sub: 'user:default/bob', ent: ['user:default/bob'] });
  await alpha.client.ensureNamespace(tools);
  await writeFile(join(dir, 'tokens.yaml'), config(true));
  await writeFile(join(dir, 'open.yaml'), config(false));
  const env = { ADMIN_BOT, VIEWER, REPORTER, ALPHA_TOKEN: alpha.info.adminToken };
  [server, open] = await Promise.all([
    startServe(['--config', join(dir, 'tokens.yaml')], { env }),
    startServe(['--config', join(dir, 'open.yaml')], { env }),
  ]);
}, 120_000);

afterAll(async () => {
  if (server) expect(await server.stop()).toBe(0);
  if (open) expect(await open.stop()).toBe(0);
  await issuer?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const call = (target: RunningServer, method: string, path: string, token?: string, body?: unknown) =>
  fetch(`${target.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const secret = (name: string) =>
  alpha.client.get<{ metadata: { labels: Record<string, string> } }>(
    `/api/v1/namespaces/${tools}/secrets/${name}`,
  );
const missing = async (name: string) => expect(secret(name)).rejects.toThrow(/404|not found/i);

describe('writes need stitchboard.admin', () => {
  it('lets a Backstage user in the admin group create an instance: a real Secret in the cluster', async () => {
    const payload = {
      namespace: tools,
      name: 'by-alice',
      endpoint: 'https://b.example.com',
      token: 'bs-token-never-shown',
    };
    const res = await call(server, 'POST', '/api/stitchboard/instances', alice, payload);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      cluster: alpha.info.name,
      namespace: tools,
      secretName: 'by-alice',
    });
    const created = await secret('by-alice');
    expect(created.metadata.labels['causely.ai/scraper']).toBe('Backstage');
  });

  it('lets an admin static token start a run', async () => {
    expect((await call(server, 'POST', '/api/stitchboard/runs', ADMIN_BOT, {})).status).toBe(202);
  });

  it.each([
    ['a Backstage user outside the group', () => bob],
    ['a read-only static token', () => VIEWER],
  ])('refuses %s with 403 FORBIDDEN, and creates nothing', async (_who, token) => {
    const payload = { namespace: tools, name: 'refused', endpoint: 'https://b.example.com' };
    for (const [path, body] of [
      ['/api/stitchboard/instances', payload],
      ['/api/stitchboard/runs', {}],
    ] as const) {
      const res = await call(server, 'POST', path, token(), body);
      expect(res.status).toBe(403);
      expect((await res.json()).error).toEqual({
        name: 'NotAllowedError',
        code: 'FORBIDDEN',
        message: WRITES_NEED_ADMIN,
      });
    }
    await missing('refused');
    // Reading is still theirs.
    expect((await call(server, 'GET', '/api/stitchboard/instances', token())).status).toBe(200);
    expect(
      (
        await call(
          server,
          'GET',
          `/api/stitchboard/events?cluster=${alpha.info.name}&namespace=${tools}&kind=Pod&name=x`,
          token(),
        )
      ).status,
    ).toBe(200);
  });

  it("checks cluster reads with the Backstage routes' read permission", async () => {
    const stranger = await issuer.sign({ sub: 'user:default/carol', ent: ['user:default/carol'] });
    expect((await call(server, 'GET', '/api/stitchboard/who-owns?q=x', stranger)).status).not.toBe(403);
    const res = await call(server, 'GET', '/api/stitchboard/who-owns?q=x');
    expect(res.status).toBe(401);
  });

  it('refuses a caller with stitchboard.read alone every route that reads clusters with the server credentials', async () => {
    for (const path of [
      '/api/stitchboard/report',
      '/api/stitchboard/instances',
      '/api/stitchboard/services',
    ]) {
      expect((await call(server, 'GET', path, REPORTER)).status, path).toBe(200);
    }
    for (const path of [
      `/api/stitchboard/events?cluster=${alpha.info.name}&namespace=${tools}&kind=Pod&name=x`,
      '/api/stitchboard/who-owns?q=x',
      '/api/stitchboard/components',
      '/api/stitchboard/components/component/default/x',
      '/api/stitchboard/teams',
      '/api/stitchboard/systems',
    ]) {
      const res = await call(server, 'GET', path, REPORTER);
      expect(res.status, path).toBe(403);
      expect((await res.json()).error, path).toMatchObject({ name: 'NotAllowedError', code: 'FORBIDDEN' });
    }
    const res = await call(server, 'POST', '/api/kubernetes/resources/workloads/query', REPORTER, {
      entityRef: 'component:default/x',
    });
    expect(res.status).toBe(403);
  });

  it('keeps reads open without tokens, and refuses every write saying how to enable it', async () => {
    expect((await call(open, 'GET', '/api/stitchboard/instances')).status).toBe(200);
    expect((await call(open, 'GET', '/api/kubernetes/clusters')).status).toBe(200);
    const payload = { namespace: tools, name: 'open-write', endpoint: 'https://b.example.com' };
    const res = await call(open, 'POST', '/api/stitchboard/instances', undefined, payload);
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({ code: 'FORBIDDEN', message: WRITES_NEED_TOKENS });
    expect((await call(open, 'POST', '/api/stitchboard/runs', undefined, {})).status).toBe(403);
    await missing('open-write');
  });
});

describe('CORS for a Backstage frontend at another origin', () => {
  const preflight = (origin: string) =>
    fetch(`${server.url}/api/kubernetes/services/cart`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
  const corsHeaders = (res: Response) =>
    [...res.headers.keys()].filter((h) => h.startsWith('access-control-'));

  it('answers the preflight and the request from an allowed origin', async () => {
    const pre = await preflight(FRONTEND);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(FRONTEND);
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    const res = await fetch(`${server.url}/api/kubernetes/clusters`, {
      headers: { origin: 'http://localhost:7007', authorization: `Bearer ${alice}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:7007');
    expect((await res.json()).items.map((c: { name: string }) => c.name)).toEqual([alpha.info.name]);
  });

  it('gives another origin no CORS headers', async () => {
    const pre = await preflight('https://evil.example.org');
    expect(pre.status).toBe(401);
    expect(corsHeaders(pre)).toEqual([]);
    const res = await fetch(`${server.url}/api/kubernetes/clusters`, {
      headers: { origin: 'https://evil.example.org', authorization: `Bearer ${alice}` },
    });
    expect(corsHeaders(res)).toEqual([]);
  });

  it('is off where backend.cors is not set', async () => {
    const res = await fetch(`${open.url}/api/kubernetes/clusters`, { headers: { origin: FRONTEND } });
    expect(corsHeaders(res)).toEqual([]);
  });
});
