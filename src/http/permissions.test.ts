import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Permission, PermissionRuleConfig } from '../config/types.ts';
import type { Principal } from './auth.ts';
import { startTestIssuer, type TestIssuer } from './backstage-issuer.test-support.ts';
import {
  isAllowed,
  permissionForRoute,
  refusal,
  WRITES_NEED_ADMIN,
  WRITES_NEED_TOKENS,
} from './permissions.ts';
import { buildTestServer, component, RecordingObjectsService, type TestServer } from './test-helpers.ts';

const alice: Principal = {
  type: 'backstage',
  subject: 'user:default/alice',
  ownershipRefs: ['user:default/alice', 'group:default/sre'],
};
const bob: Principal = {
  type: 'backstage',
  subject: 'user:default/bob',
  ownershipRefs: ['user:default/bob'],
};
const ciBot: Principal = { type: 'static', subject: 'ci-bot' };

const rules: PermissionRuleConfig[] = [
  { allow: ['kubernetes.clusters.read', 'kubernetes.resources.read'], users: ['*'], groups: [] },
  { allow: ['kubernetes.proxy'], users: ['ci-bot'], groups: ['group:default/sre'] },
];

describe('isAllowed', () => {
  it.each<[string, Principal | undefined, Permission, boolean]>([
    ['anyone reads clusters', bob, 'kubernetes.clusters.read', true],
    ['anyone reads resources', ciBot, 'kubernetes.resources.read', true],
    ['a group member proxies', alice, 'kubernetes.proxy', true],
    ['a static subject named in users proxies', ciBot, 'kubernetes.proxy', true],
    ['someone else does not proxy', bob, 'kubernetes.proxy', false],
    ['no caller (open API) is only "*"', undefined, 'kubernetes.proxy', false],
    ['no caller (open API) matches "*"', undefined, 'kubernetes.clusters.read', true],
  ])('%s', (_name, principal, permission, expected) => {
    expect(isAllowed(rules, principal, permission)).toBe(expected);
  });

  it('allows every read to everyone without rules, as Backstage with its allow-all policy, and no write', () => {
    expect(isAllowed(undefined, bob, 'kubernetes.proxy')).toBe(true);
    expect(isAllowed(undefined, bob, 'stitchboard.read')).toBe(true);
    expect(isAllowed(undefined, bob, 'stitchboard.admin')).toBe(false);
  });

  it('refuses every write while the API is open, whatever the rules, saying how to enable writes', () => {
    const everyone: PermissionRuleConfig[] = [{ allow: ['stitchboard.admin'], users: ['*'], groups: [] }];
    expect(refusal(everyone, undefined, 'stitchboard.admin', true)).toBe(WRITES_NEED_TOKENS);
    expect(refusal(everyone, ciBot, 'stitchboard.admin', false)).toBeUndefined();
    expect(refusal(rules, ciBot, 'stitchboard.admin', false)).toBe(WRITES_NEED_ADMIN);
    expect(refusal(undefined, undefined, 'stitchboard.read', true)).toBeUndefined();
    expect(refusal(rules, bob, 'kubernetes.proxy', false)).toBe('Unauthorized');
    expect(refusal(undefined, bob, null, false)).toBe('Unauthorized');
  });

  it('allows nothing with an empty list', () => {
    expect(isAllowed([], alice, 'kubernetes.clusters.read')).toBe(false);
  });

  it('compares refs without regard to case, as the catalog does', () => {
    const mixed: Principal = {
      type: 'backstage',
      subject: 'user:default/Alice',
      ownershipRefs: ['group:default/SRE'],
    };
    const byUser: PermissionRuleConfig[] = [
      { allow: ['kubernetes.proxy'], users: ['user:default/alice'], groups: [] },
    ];
    expect([
      isAllowed(byUser, mixed, 'kubernetes.proxy'),
      isAllowed(rules, mixed, 'kubernetes.proxy'),
    ]).toEqual([true, true]);
  });

  it('does not take a subject for an ownership ref, nor the reverse', () => {
    const sneaky: Principal = { type: 'static', subject: 'group:default/sre' };
    const onlyGroups: PermissionRuleConfig[] = [
      { allow: ['kubernetes.proxy'], users: [], groups: ['group:default/sre'] },
    ];
    expect(isAllowed(onlyGroups, sneaky, 'kubernetes.proxy')).toBe(false);
  });
});

describe('permissionForRoute', () => {
  it.each([
    ['/api/kubernetes/clusters', 'kubernetes.clusters.read'],
    ['/api/kubernetes/services/:serviceId', 'kubernetes.resources.read'],
    ['/api/kubernetes/resources/workloads/query', 'kubernetes.resources.read'],
    ['/api/kubernetes/resources/custom/query', 'kubernetes.resources.read'],
    ['/api/kubernetes/watch', 'kubernetes.resources.read'],
    ['/api/kubernetes/proxy', 'kubernetes.proxy'],
    ['/api/kubernetes/proxy/*', 'kubernetes.proxy'],
    ['/api/kubernetes/something-new', null],
    ['/api/kubernetesish', undefined],
    ['/healthz', undefined],
    ['/metrics', undefined],
    ['/api/stitchboard/services', 'stitchboard.read'],
    ['/api/stitchboard/owners/*', 'stitchboard.read'],
    ['/api/stitchboard/instances', 'stitchboard.read'],
    ['/api/stitchboard/a-new-read', 'stitchboard.read'],
    ['/api/stitchboard/components', 'kubernetes.resources.read'],
    ['/api/stitchboard/components/:kind/:namespace/:name', 'kubernetes.resources.read'],
    ['/api/stitchboard/events', 'kubernetes.resources.read'],
    ['/api/stitchboard/who-owns', 'kubernetes.resources.read'],
    ['/api/stitchboard/teams', 'kubernetes.resources.read'],
    ['/api/stitchboard/teams/*', 'kubernetes.resources.read'],
    ['/api/stitchboard/systems', 'kubernetes.resources.read'],
    ['/api/stitchboard/systems/*', 'kubernetes.resources.read'],
    ['/api/stitchboardish', undefined],
  ])('GET %s → %s', (route, permission) => {
    expect(permissionForRoute('GET', route)).toBe(permission);
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('%s under /api/stitchboard is a write', (method) => {
    for (const route of ['/api/stitchboard/instances', '/api/stitchboard/runs', '/api/stitchboard/events']) {
      expect(permissionForRoute(method, route)).toBe('stitchboard.admin');
    }
  });
});

/** Full paths from Fastify's route tree: each level is indented four characters under its parent. */
function routePaths(tree: string): string[] {
  const stack: string[] = [];
  const paths: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([\s│├└─]*)(\S+) \(/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    paths.push(stack.join('').replace(/\/+/g, '/'));
  }
  return paths;
}

describe('permissions over HTTP', () => {
  let issuer: TestIssuer;
  let server: TestServer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
    await issuer.addKey();
  });
  afterAll(() => issuer.close());
  afterEach(() => server?.app.close());

  const backstageTokens = () => ({
    issuer: issuer.issuer,
    jwksUrl: issuer.jwksUrl,
    audience: 'backstage',
    algorithms: ['ES256'],
    userInfoUrl: issuer.userInfoUrl,
  });

  async function start(permissions: PermissionRuleConfig[] | undefined) {
    server = await buildTestServer({
      entities: [component('checkout')],
      tokens: [{ token: 'ci-token-5f0c2b9e7d1a4c38', subject: 'ci-bot' }],
      kubernetes: new RecordingObjectsService({
        clusters: [{ name: 'prod', authProvider: 'serviceAccount' }],
      }),
      access: { auth: { backstageTokens: backstageTokens() }, ...(permissions ? { permissions } : {}) },
      proxy: {
        settings: { enabled: true, middlewareCache: { maxSize: 10, ttlMs: 60_000 } },
        clusters: { getClusters: async () => [] },
        auth: { getCredential: async () => ({ type: 'anonymous' }) },
      },
    });
  }

  const call = async (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
    server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });

  it('maps every Kubernetes route the server has to a permission', async () => {
    await start(undefined);
    const routes = routePaths(server.app.printRoutes({ commonPrefix: false })).filter((path) =>
      path.startsWith('/api/kubernetes'),
    );
    expect(routes.length).toBeGreaterThanOrEqual(6);
    for (const route of routes) expect([route, permissionForRoute('GET', route)]).not.toContainEqual(null);
  });

  it('denies with Backstage NotAllowedError "Unauthorized" and lets the allowed through', async () => {
    await start(rules);
    const bobToken = await issuer.sign({ sub: 'user:default/bob', ent: ['user:default/bob'] });
    const aliceToken = await issuer.sign({
      sub: 'user:default/alice',
      ent: ['user:default/alice', 'group:default/sre'],
    });

    const denied = await call('GET', '/api/kubernetes/proxy/api/v1/namespaces', bobToken);
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({
      error: { name: 'NotAllowedError', message: 'Unauthorized', code: 'FORBIDDEN' },
      request: { method: 'GET', url: '/api/kubernetes/proxy/api/v1/namespaces' },
      response: { statusCode: 403 },
    });
    // Past the permission check, the (empty) cluster list decides.
    const allowed = await call('GET', '/api/kubernetes/proxy/api/v1/namespaces', aliceToken);
    expect([allowed.statusCode, allowed.json().error.message]).toEqual([404, 'No Clusters configured']);
    const machine = await call('GET', '/api/kubernetes/proxy/api/v1/namespaces', 'ci-token-5f0c2b9e7d1a4c38');
    expect(machine.statusCode).toBe(404);
    expect((await call('GET', '/api/kubernetes/clusters', bobToken)).statusCode).toBe(200);
  });

  it.each<[Permission, 'GET' | 'POST', string, object | undefined]>([
    ['kubernetes.clusters.read', 'GET', '/api/kubernetes/clusters', undefined],
    [
      'kubernetes.resources.read',
      'POST',
      '/api/kubernetes/services/checkout',
      { entity: component('checkout') },
    ],
    [
      'kubernetes.resources.read',
      'POST',
      '/api/kubernetes/resources/workloads/query',
      { entityRef: 'component:checkout' },
    ],
    [
      'kubernetes.resources.read',
      'POST',
      '/api/kubernetes/resources/custom/query',
      { entityRef: 'component:checkout', customResources: [{ group: 'g', apiVersion: 'v1', plural: 'p' }] },
    ],
    ['kubernetes.proxy', 'GET', '/api/kubernetes/proxy/api', undefined],
  ])('%s guards %s %s', async (permission, method, url, payload) => {
    await start([{ allow: [permission], users: ['ci-bot'], groups: [] }]);
    const allowed = await call(method, url, 'ci-token-5f0c2b9e7d1a4c38', payload);
    expect(allowed.statusCode).not.toBe(403);
    const others: Permission[] = (
      ['kubernetes.clusters.read', 'kubernetes.resources.read', 'kubernetes.proxy'] as const
    ).filter((p) => p !== permission);
    await server.app.close();
    await start([{ allow: others, users: ['ci-bot'], groups: [] }]);
    const denied = await call(method, url, 'ci-token-5f0c2b9e7d1a4c38', payload);
    expect(denied.statusCode).toBe(403);
    expect(server.logs.records()).toContainEqual(
      expect.objectContaining({ msg: 'permission denied', permission, subject: 'ci-bot' }),
    );
  });

  it('leaves health and metrics public whatever the rules', async () => {
    await start([]);
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
