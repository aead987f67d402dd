import { afterEach, describe, expect, it } from 'vitest';
import type { CorsConfig } from '../config/types.ts';
import { validateConfig } from '../config/validate.ts';
import { originMatcher } from './cors.ts';
import { buildTestServer, type TestServer } from './test-helpers.ts';

const TOKEN = 'cors-test-token-0123';
const BACKSTAGE = 'https://backstage.example.com';

describe('originMatcher', () => {
  it.each([
    [['https://*.example.com'], 'https://backstage.example.com', true],
    [['https://*.example.com'], 'https://BACKSTAGE.example.com', true],
    [['https://*.example.com'], 'https://evil.com/.example.com', false],
    [['http://localhost:700[0-9]'], 'http://localhost:7007', true],
    [['http://localhost:700[0-9]'], 'http://localhost:7010', false],
    [['https://sub-+([0-9]).example.com'], 'https://sub-42.example.com', true],
    [[BACKSTAGE, 'http://localhost:3000'], 'http://localhost:3000', true],
    [[BACKSTAGE], 'https://backstage.example.com.evil.com', false],
  ])('%j matches %s: %s', (patterns, origin, expected) => {
    expect(originMatcher(patterns)(origin)).toBe(expected);
  });
});

describe('backend.cors in the config', () => {
  const validate = (cors: unknown) => validateConfig({ backend: { cors } }, { cwd: '/srv' });

  it('is off unless set', () => {
    expect(validateConfig({}, { cwd: '/srv' }).config?.backend).not.toHaveProperty('cors');
  });

  it("takes Backstage's string-or-list forms and fills the cors package's defaults", () => {
    const { config, errors, warnings } = validate({ origin: BACKSTAGE, credentials: true });
    expect([errors, warnings]).toEqual([[], []]);
    expect(config?.backend.cors).toEqual({
      origin: [BACKSTAGE],
      methods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'],
      credentials: true,
      optionsSuccessStatus: 204,
    });
    expect(
      validate({
        origin: [BACKSTAGE, 'http://localhost:700[0-9]'],
        methods: 'GET',
        allowedHeaders: ['Authorization', 'Content-Type'],
        exposedHeaders: 'X-Request-Id',
        maxAge: '600',
      }).config?.backend.cors,
    ).toEqual({
      origin: [BACKSTAGE, 'http://localhost:700[0-9]'],
      methods: ['GET'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      exposedHeaders: ['X-Request-Id'],
      credentials: false,
      maxAge: 600,
      optionsSuccessStatus: 204,
    });
  });

  it.each([
    [{ origin: 42 }, 'backend.cors.origin', 'expected string or list of strings, received number'],
    [{ origin: [BACKSTAGE, 7] }, 'backend.cors.origin', 'expected string or list of strings'],
    [{ credentials: 'yes' }, 'backend.cors.credentials', 'expected boolean'],
    [{ maxAge: -1 }, 'backend.cors.maxAge', '0'],
  ])('%j is refused at %s', (cors, path, message) => {
    expect(validate(cors).errors).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it('warns about what it does not do', () => {
    const { warnings } = validate({ preflightContinue: true });
    expect(warnings.map((w) => w.path)).toEqual(['backend.cors', 'backend.cors.preflightContinue']);
  });
});

describe('CORS over HTTP', () => {
  let server: TestServer;
  afterEach(() => server?.app.close());
  const cors: CorsConfig = {
    origin: ['https://*.example.com'],
    methods: ['GET', 'POST'],
    credentials: true,
    exposedHeaders: ['X-Request-Id'],
    maxAge: 600,
    optionsSuccessStatus: 204,
  };
  const start = async (config?: CorsConfig) => {
    server = await buildTestServer({
      tokens: [{ token: TOKEN, subject: 'tests' }],
      ...(config ? { cors: config } : {}),
    });
  };
  const preflight = (origin: string) =>
    server.app.inject({
      method: 'OPTIONS',
      url: '/api/kubernetes/clusters',
      headers: {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });

  it('answers a preflight from an allowed origin without a token', async () => {
    await start(cors);
    const res = await preflight(BACKSTAGE);
    expect(res.statusCode).toBe(204);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': BACKSTAGE,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization',
      'access-control-max-age': '600',
    });
  });

  it('gives an allowed origin its headers on the answer, a refusal included', async () => {
    await start(cors);
    const ok = await server.app.inject({
      method: 'GET',
      url: '/api/kubernetes/clusters',
      headers: { origin: BACKSTAGE, authorization: `Bearer ${TOKEN}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(BACKSTAGE);
    expect(ok.headers['access-control-expose-headers']).toBe('X-Request-Id');
    const refused = await server.app.inject({
      method: 'GET',
      url: '/api/kubernetes/clusters',
      headers: { origin: BACKSTAGE },
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(BACKSTAGE);
  });

  it('gives another origin no CORS headers, and its preflight goes unanswered', async () => {
    await start(cors);
    const res = await preflight('https://evil.example.org');
    expect(res.statusCode).toBe(401);
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const get = await server.app.inject({
      method: 'GET',
      url: '/api/kubernetes/clusters',
      headers: { origin: 'https://evil.example.org', authorization: `Bearer ${TOKEN}` },
    });
    expect(get.statusCode).toBe(200);
    expect(Object.keys(get.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('is off by default: no CORS headers for anyone', async () => {
    await start();
    const res = await preflight(BACKSTAGE);
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect(res.statusCode).not.toBe(204);
  });
});
