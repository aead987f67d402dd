import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StitchboardError } from '../errors/errors.ts';
import type { TokenVerifier } from './auth.ts';
import { startTestIssuer, type TestIssuer } from './backstage-issuer.test-support.ts';
import { createBackstageTokenVerifier } from './backstage-token.ts';
import { buildTestServer, captureLogs, RecordingObjectsService, type TestServer } from './test-helpers.ts';

const ALICE = 'user:default/alice';
const ALICE_ENT = [ALICE, 'group:default/sre'];

let issuer: TestIssuer;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  issuer = await startTestIssuer();
  await issuer.addKey();
});
afterAll(() => issuer.close());

function verifier(overrides: { algorithms?: string[]; jwksUrl?: string; jwksCooldownMs?: number } = {}) {
  logs = captureLogs();
  return createBackstageTokenVerifier({
    issuer: issuer.issuer,
    jwksUrl: overrides.jwksUrl ?? issuer.jwksUrl,
    audience: 'backstage',
    algorithms: overrides.algorithms ?? ['ES256'],
    userInfoUrl: issuer.userInfoUrl,
    logger: logs.logger,
    jwksCooldownMs: overrides.jwksCooldownMs ?? 0,
    requestTimeoutMs: 2000,
  });
}

async function refusal(v: TokenVerifier, token: string) {
  const error = await v.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StitchboardError);
  const { code, status, message } = error as StitchboardError;
  // Whatever went wrong, the token itself is never echoed.
  expect(message).not.toContain(token);
  expect(message).not.toContain(token.split('.')[2]);
  return { code, status, message };
}

describe('Backstage user tokens', () => {
  it('maps sub and ent to the principal', async () => {
    const token = await issuer.sign({ sub: ALICE, ent: ALICE_ENT });
    expect(await verifier().verify(token)).toEqual({
      type: 'backstage',
      subject: ALICE,
      ownershipRefs: ALICE_ENT,
    });
  });

  it('accepts the older form without a typ header, by its audience', async () => {
    const token = await issuer.sign({ sub: ALICE, ent: ALICE_ENT }, { typ: null });
    expect((await verifier().verify(token))?.subject).toBe(ALICE);
  });

  it('reads the keys once and reuses them', async () => {
    const v = verifier({ jwksCooldownMs: 30_000 });
    const before = issuer.jwksReads;
    for (let i = 0; i < 5; i++) await v.verify(await issuer.sign({ sub: ALICE, ent: [ALICE] }));
    expect(issuer.jwksReads - before).toBe(1);
  });

  it('reads the JWKS again when a token names a key it has not seen (a rotated key)', async () => {
    const v = verifier();
    const before = issuer.jwksReads;
    await v.verify(await issuer.sign({ sub: ALICE, ent: [ALICE] }));
    const rotated = await issuer.addKey();
    const principal = await v.verify(await issuer.sign({ sub: ALICE, ent: [ALICE] }, { kid: rotated }));
    expect(principal?.subject).toBe(ALICE);
    expect(issuer.jwksReads - before).toBe(2);
  });

  it('asks userinfo for the ownership refs of a token without ent, once per token', async () => {
    issuer.userInfo.set('user:default/bob', ['user:default/bob', 'group:default/dba']);
    const v = verifier();
    const token = await issuer.sign({ sub: 'user:default/bob' });
    const before = issuer.userInfoReads;
    expect(await v.verify(token)).toEqual({
      type: 'backstage',
      subject: 'user:default/bob',
      ownershipRefs: ['user:default/bob', 'group:default/dba'],
    });
    await v.verify(token);
    expect(issuer.userInfoReads - before).toBe(1);
  });

  it('falls back to the subject alone when userinfo has no answer, and says so without the token', async () => {
    const v = verifier();
    const token = await issuer.sign({ sub: 'user:default/carol' });
    expect((await v.verify(token))?.ownershipRefs).toEqual(['user:default/carol']);
    const warning = logs.records().find((r) => r.msg === 'userinfo read failed');
    expect(warning).toMatchObject({ subject: 'user:default/carol', reason: 'HTTP 404' });
    expect(logs.lines().join('\n')).not.toContain(token);
  });

  it.each(['ci-token-5f0c2b9e7d1a4c38', 'a.b', 'not.a.jwt', ''])(
    'leaves %j to the other verifiers',
    async (token) => {
      expect(await verifier().verify(token)).toBeUndefined();
    },
  );
});

describe('refused Backstage tokens', () => {
  it('an expired token', async () => {
    const token = await issuer.sign({ sub: ALICE, ent: [ALICE] }, { expiresIn: -60 });
    expect(await refusal(verifier(), token)).toEqual({
      code: 'UNAUTHENTICATED',
      status: 401,
      message: 'Backstage token has expired',
    });
  });

  it('a token whose claims were changed after signing', async () => {
    const token = await issuer.sign({ sub: 'user:default/mallory', ent: ['user:default/mallory'] });
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()),
        sub: ALICE,
      }),
    ).toString('base64url');
    expect((await refusal(verifier(), `${header}.${forged}.${signature}`)).message).toBe(
      'Backstage token signature is invalid',
    );
  });

  it('a token signed by another key that claims a published kid', async () => {
    const published = await issuer.addKey();
    const forger = await issuer.addKey({ publish: false });
    const token = await issuer.sign({ sub: ALICE, ent: [ALICE] }, { kid: forger, headerKid: published });
    expect((await refusal(verifier(), token)).message).toBe('Backstage token signature is invalid');
  });

  it('a token signed by a key the JWKS does not have', async () => {
    const stranger = await issuer.addKey({ publish: false });
    const token = await issuer.sign({ sub: ALICE, ent: [ALICE] }, { kid: stranger });
    expect((await refusal(verifier(), token)).message).toBe(
      `Backstage token is signed with a key that is not in the JWKS at ${issuer.jwksUrl}`,
    );
  });

  it('a token from another issuer, before any key is fetched', async () => {
    const before = issuer.jwksReads;
    const token = await issuer.sign({ iss: 'https://other-backstage.example.com/api/auth', sub: ALICE });
    expect((await refusal(verifier(), token)).message).toBe(
      `Backstage token issuer 'https://other-backstage.example.com/api/auth' is not the configured issuer '${issuer.issuer}' (stitchboard.auth.backstageTokens.issuer)`,
    );
    expect(issuer.jwksReads).toBe(before);
  });

  it('a token with no issuer', async () => {
    const token = await issuer.sign({ iss: undefined, sub: ALICE });
    expect((await refusal(verifier(), token)).message).toBe(
      `Backstage token has no issuer (iss); expected '${issuer.issuer}'`,
    );
  });

  it('a token for another audience', async () => {
    const token = await issuer.sign({ aud: 'grafana', sub: ALICE }, { typ: null });
    expect((await refusal(verifier(), token)).message).toBe("Backstage token audience is not 'backstage'");
  });

  it('a token without a subject', async () => {
    const token = await issuer.sign({ ent: [ALICE] });
    expect((await refusal(verifier(), token)).message).toBe("Backstage token has no 'sub' claim");
  });

  it('a token signed with an algorithm that is not allowed', async () => {
    const rsa = await issuer.addKey({ alg: 'RS256' });
    const token = await issuer.sign({ sub: ALICE, ent: [ALICE] }, { kid: rsa });
    expect((await refusal(verifier({ algorithms: ['ES256'] }), token)).message).toBe(
      'Backstage token algorithm is not allowed (allowed: ES256)',
    );
    expect((await verifier({ algorithms: ['ES256', 'RS256'] }).verify(token))?.subject).toBe(ALICE);
  });

  it.each([
    [
      'vnd.backstage.limited-user',
      'Backstage limited user tokens (cookie sessions) are not accepted: send the user token',
    ],
    [
      'vnd.backstage.plugin',
      'Backstage plugin tokens are not accepted: machines use a static token (backend.auth.externalAccess)',
    ],
    ['JWT', 'Token is a JWT but not a Backstage user token (unexpected typ header)'],
  ])('a %s token', async (typ, message) => {
    const token = await issuer.sign({ sub: ALICE }, { typ });
    expect((await refusal(verifier(), token)).message).toBe(message);
  });

  it('any token while the JWKS cannot be read: 503, the token may be fine', async () => {
    const token = await issuer.sign({ sub: ALICE, ent: [ALICE] });
    const unreachable = 'http://127.0.0.1:9/api/auth/.well-known/jwks.json';
    const { code, status, message } = await refusal(verifier({ jwksUrl: unreachable }), token);
    expect({ code, status }).toEqual({ code: 'AUTH_UNAVAILABLE', status: 503 });
    expect(message).toMatch(
      `Cannot check the Backstage token: the JWKS at ${unreachable} could not be read (`,
    );
  });
});

describe('Backstage user tokens over HTTP', () => {
  let server: TestServer;
  afterEach(() => server?.app.close());

  async function start() {
    server = await buildTestServer({
      tokens: [{ token: 'ci-token-5f0c2b9e7d1a4c38', subject: 'ci-pipeline' }],
      kubernetes: new RecordingObjectsService({
        clusters: [{ name: 'prod', authProvider: 'serviceAccount' }],
      }),
      access: {
        auth: {
          backstageTokens: {
            issuer: issuer.issuer,
            jwksUrl: issuer.jwksUrl,
            audience: 'backstage',
            algorithms: ['ES256'],
            userInfoUrl: issuer.userInfoUrl,
          },
        },
      },
    });
    return server;
  }

  const getClusters = (token: string) =>
    server.app.inject({
      method: 'GET',
      url: '/api/kubernetes/clusters',
      headers: { authorization: `Bearer ${token}` },
    });

  it('serves a Backstage user, and machines with their static tokens as before', async () => {
    await start();
    const user = await getClusters(await issuer.sign({ sub: ALICE, ent: ALICE_ENT }));
    const machine = await getClusters('ci-token-5f0c2b9e7d1a4c38');
    expect([user.statusCode, machine.statusCode]).toEqual([200, 200]);
    expect(user.json()).toEqual({ items: [{ name: 'prod', authProvider: 'serviceAccount' }] });
  });

  it('answers an expired token with 401 and the reason, in Backstage error shape', async () => {
    await start();
    const token = await issuer.sign({ sub: ALICE, ent: ALICE_ENT }, { expiresIn: -1 });
    const res = await getClusters(token);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json()).toEqual({
      error: { name: 'AuthenticationError', message: 'Backstage token has expired', code: 'UNAUTHENTICATED' },
      request: { method: 'GET', url: '/api/kubernetes/clusters' },
      response: { statusCode: 401 },
    });
    expect(server.logs.lines().join('\n')).not.toContain(token);
  });

  it('still refuses an unknown opaque token', async () => {
    await start();
    const res = await getClusters('not-a-configured-token');
    expect([res.statusCode, res.json().error.message]).toEqual([401, 'Invalid token']);
  });
});
