import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastify, type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErrorHandler, notFoundHandler } from '../error-handler.ts';
import { registerAuth, createStaticTokenVerifier } from '../auth.ts';
import { createLogger } from '../../shared/logger.ts';
import { uiRoutes } from './ui.ts';

// A real Fastify app with the real auth hook and a real web root on disk: the UI's files must be
// reachable without a token, the API behind it must not, and an unknown API path stays a 404.
let root: string;
let app: FastifyInstance;
let bare: FastifyInstance;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sb-ui-'));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(join(root, 'secret.txt.bak'), 'x');
  const build = async (webRoot: string) => {
    const a = fastify();
    a.setErrorHandler(createErrorHandler({ bodyLimit: 1024 }));
    a.setNotFoundHandler(notFoundHandler);
    registerAuth(a, {
      verifiers: [createStaticTokenVerifier([{ token: 'tok-123', subject: 't' }])],
      logger: createLogger({ level: 'silent' }),
    });
    a.get('/api/stitchboard/ping', async () => ({ pong: true }));
    await a.register(uiRoutes, { root: webRoot });
    return a;
  };
  app = await build(root);
  bare = await build(join(root, 'missing'));
});

afterAll(async () => {
  await app?.close();
  await bare?.close();
  await rm(root, { recursive: true, force: true });
});

describe('uiRoutes', () => {
  it.each([
    ['/', 'text/html'],
    ['/components', 'text/html'],
    ['/components/component/default/shop?object=alpha~Pod~shop~web-1', 'text/html'],
    ['/owners/group/default/team-a', 'text/html'],
  ])('serves index.html for %s without a token', async (url, type) => {
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(type);
    expect(res.body).toContain('<div id="root">');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('serves hashed assets as immutable', async () => {
    const res = await app.inject({ url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it.each([
    '/api/stitchboard/nope',
    '/api/kubernetes/unknown',
    '/healthz/x',
    '/readyz/x',
    '/metrics/x',
    '/assets/missing.js',
    '/%E0%A4%A',
  ])('answers 404 (400 for a malformed path) for %s, never the index page', async (url) => {
    const res = await app.inject({ url });
    expect([400, 404]).toContain(res.statusCode);
    expect(res.body).not.toContain('<div id="root">');
  });

  it.each(['/..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2f..%2fetc%2fhostname'])(
    'does not step outside its root for %s',
    async (url) => {
      const res = await app.inject({ url });
      expect(res.body).not.toContain('root:');
      if (res.statusCode === 200) expect(res.body).toContain('<div id="root">');
    },
  );

  it('leaves the API behind its token', async () => {
    expect((await app.inject({ url: '/api/stitchboard/ping' })).statusCode).toBe(401);
    const res = await app.inject({
      url: '/api/stitchboard/ping',
      headers: { authorization: 'Bearer tok-123' },
    });
    expect(res.json()).toEqual({ pong: true });
  });

  it('says how to build the UI when it is not built', async () => {
    const res = await bare.inject({ url: '/components' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:web');
  });
});
