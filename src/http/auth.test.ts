import { afterEach, describe, expect, it } from 'vitest';
import { StitchboardError } from '../errors/errors.ts';
import { authenticate, bearerToken, createStaticTokenVerifier, type TokenVerifier } from './auth.ts';
import { buildTestServer, component, RecordingObjectsService, type TestServer } from './test-helpers.ts';

const CI_TOKEN = 'ci-token-5f0c2b9e7d1a4c38';
const OPS_TOKEN = 'ops-token-0a9b8c7d6e5f4a3b';
const tokens = [
  { token: CI_TOKEN, subject: 'ci-pipeline' },
  { token: OPS_TOKEN, subject: 'ops-dashboard' },
];

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer   abc  ', 'abc'],
    ['Bearer', undefined],
    ['Bearer ', undefined],
    ['Basic dXNlcjpwYXNz', undefined],
    ['Bearer a b', undefined],
    ['abc', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe('authenticate', () => {
  const verifiers = [createStaticTokenVerifier(tokens)];

  async function failure(header: string | undefined) {
    const error = await authenticate(verifiers, header).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StitchboardError);
    return { code: (error as StitchboardError).code, message: (error as StitchboardError).message };
  }

  it.each([
    [`Bearer ${CI_TOKEN}`, 'ci-pipeline'],
    [`Bearer ${OPS_TOKEN}`, 'ops-dashboard'],
  ])('maps a configured token to its subject', async (header, subject) => {
    expect(await authenticate(verifiers, header)).toEqual({ type: 'static', subject });
  });

  it.each([
    [undefined, 'Missing Authorization header with a bearer token'],
    ['Basic Y2k6dG9rZW4=', 'Missing Authorization header with a bearer token'],
    [`Bearer ${CI_TOKEN}x`, 'Invalid token'],
    [`Bearer ${CI_TOKEN.slice(0, -1)}`, 'Invalid token'],
    [`Bearer ${CI_TOKEN.toUpperCase()}`, 'Invalid token'],
  ])('rejects %j', async (header, message) => {
    expect(await failure(header)).toEqual({ code: 'UNAUTHENTICATED', message });
  });

  it('never accepts the empty token an entry might carry', async () => {
    const lax = [createStaticTokenVerifier([{ token: '', subject: 'nobody' }])];
    expect(await authenticate(lax, 'Bearer x').catch((e: Error) => e.message)).toBe('Invalid token');
  });

  it('tries the next verifier when one does not know the token', async () => {
    const backstageUsers: TokenVerifier = {
      async verify(token) {
        return token === 'user-jwt' ? { type: 'user', subject: 'user:default/ada' } : undefined;
      },
    };
    expect(await authenticate([...verifiers, backstageUsers], 'Bearer user-jwt')).toEqual({
      type: 'user',
      subject: 'user:default/ada',
    });
  });
});

describe('the API with access tokens configured', () => {
  let server: TestServer;

  afterEach(async () => {
    await server.app.close();
  });

  async function start() {
    server = await buildTestServer({
      tokens,
      entities: [component('checkout')],
      kubernetes: new RecordingObjectsService({ clusters: [{ name: 'c1', authProvider: 'serviceAccount' }] }),
    });
  }

  function unauthorized(method: string, url: string, message: string) {
    return {
      error: { name: 'AuthenticationError', message, code: 'UNAUTHENTICATED' },
      request: { method, url },
      response: { statusCode: 401 },
    };
  }

  it('answers 401 without a token, and asks for a bearer token', async () => {
    await start();
    const res = await server.app.inject({ method: 'GET', url: '/api/kubernetes/clusters' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json()).toEqual(
      unauthorized('GET', '/api/kubernetes/clusters', 'Missing Authorization header with a bearer token'),
    );
  });

  it('answers 401 for a wrong token, before reading the body', async () => {
    await start();
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/kubernetes/resources/workloads/query',
      headers: { authorization: 'Bearer not-a-configured-token' },
      payload: { entityRef: 'component:checkout' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(
      unauthorized('POST', '/api/kubernetes/resources/workloads/query', 'Invalid token'),
    );
    expect(server.kubernetes.queries).toEqual([]);
  });

  it('answers 200 for a configured token and logs its subject, never the token', async () => {
    await start();
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/kubernetes/services/checkout',
      headers: {
        authorization: `Bearer ${OPS_TOKEN}`,
        'backstage-kubernetes-authorization': 'Bearer kube-secret-token',
        'backstage-kubernetes-authorization-oidc-okta': 'okta-secret-token',
      },
      payload: { entity: component('checkout'), auth: { google: 'google-secret-token' } },
    });
    expect(res.statusCode).toBe(200);
    const completed = server.logs.records().find((r) => r.msg === 'request completed');
    expect(completed).toMatchObject({ subject: 'ops-dashboard', res: { statusCode: 200 } });
    const logged = server.logs.lines().join('\n');
    for (const secret of [OPS_TOKEN, 'kube-secret-token', 'okta-secret-token', 'google-secret-token']) {
      expect(logged).not.toContain(secret);
    }
    expect(logged).not.toMatch(/authorization/i);
  });

  it('never puts a presented token in a response or a log line', async () => {
    await start();
    const wrong = 'wrong-token-7e6d5c4b3a29';
    const res = await server.app.inject({
      method: 'GET',
      url: '/api/kubernetes/clusters',
      headers: { authorization: `Bearer ${wrong}` },
    });
    expect(res.statusCode).toBe(401);
    const everything = `${res.body}\n${JSON.stringify(res.headers)}\n${server.logs.lines().join('\n')}`;
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(CI_TOKEN);
    expect(everything).not.toContain(OPS_TOKEN);
  });

  it.each(['/healthz', '/metrics'])('keeps %s open', async (url) => {
    await start();
    const res = await server.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
  });

  it('answers 404, not 401, for a route that does not exist', async () => {
    await start();
    const res = await server.app.inject({ method: 'GET', url: '/api/kubernetes/nope' });
    expect(res.statusCode).toBe(404);
  });

  it('does not warn that the API is open', async () => {
    await start();
    expect(server.logs.records().filter((r) => r.level === 40)).toEqual([]);
  });
});

describe('the API with no access tokens', () => {
  it('is open, and says so once at startup', async () => {
    const server = await buildTestServer({
      kubernetes: new RecordingObjectsService({ clusters: [{ name: 'c1', authProvider: 'serviceAccount' }] }),
    });
    try {
      const first = await server.app.inject({ method: 'GET', url: '/api/kubernetes/clusters' });
      const second = await server.app.inject({ method: 'GET', url: '/api/kubernetes/clusters' });
      expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
      const warnings = server.logs.records().filter((r) => r.level === 40);
      expect(warnings.map((w) => w.msg)).toEqual([
        'No access tokens are configured (backend.auth.externalAccess): the API is open to anyone who can reach it for reads, and every write is refused',
      ]);
    } finally {
      await server.app.close();
    }
  });
});
