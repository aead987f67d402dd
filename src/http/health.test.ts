import { describe, expect, it } from 'vitest';
import { StitchboardError } from '../errors/errors.ts';
import { fastify } from 'fastify';
import { createHealthChecks, registerReadiness } from './health.ts';
import { buildTestServer } from './test-helpers.ts';

describe('createHealthChecks', () => {
  it('is ok with no checks', async () => {
    expect(await createHealthChecks().run()).toEqual({ status: 'ok', checks: {} });
  });

  it('reports each check and is degraded when one is not ok', async () => {
    const health = createHealthChecks();
    health.register('catalog', () => ({ status: 'ok', entities: 412 }));
    health.register('store', async () => ({ status: 'degraded', message: 'replica lagging' }));
    expect(await health.run()).toEqual({
      status: 'degraded',
      checks: {
        catalog: { status: 'ok', entities: 412 },
        store: { status: 'degraded', message: 'replica lagging' },
      },
    });
  });

  it('replaces a check registered again under the same name', async () => {
    const health = createHealthChecks();
    health.register('catalog', () => ({ status: 'failing' }));
    health.register('catalog', () => ({ status: 'ok' }));
    expect(await health.run()).toEqual({ status: 'ok', checks: { catalog: { status: 'ok' } } });
  });

  it.each([
    [
      'a StitchboardError, with its message',
      new StitchboardError('CATALOG_UNAVAILABLE', 'catalog did not answer'),
      { status: 'failing', message: 'catalog did not answer', code: 'CATALOG_UNAVAILABLE' },
    ],
    [
      'any other error, by kind only',
      new TypeError('token=abc'),
      { status: 'failing', message: 'check threw TypeError' },
    ],
  ])('turns a check that throws %s into failing', async (_case, error, result) => {
    const health = createHealthChecks();
    health.register('catalog', () => {
      throw error;
    });
    expect(await health.run()).toEqual({ status: 'degraded', checks: { catalog: result } });
  });

  it('does not wait longer than the timeout for a hanging check', async () => {
    const health = createHealthChecks({ timeoutMs: 20 });
    health.register('catalog', () => new Promise(() => {}));
    expect(await health.run()).toEqual({
      status: 'degraded',
      checks: { catalog: { status: 'failing', message: 'check timed out after 20 ms' } },
    });
  });
});

describe('GET /healthz', () => {
  it('answers ok with the registered checks, including ones added after the server was built', async () => {
    const health = createHealthChecks();
    const server = await buildTestServer({ health });
    try {
      const empty = await server.app.inject({ method: 'GET', url: '/healthz' });
      expect(empty.json()).toEqual({ status: 'ok', checks: {} });

      health.register('catalog', () => ({ status: 'degraded', message: '3 entities skipped' }));
      const res = await server.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        status: 'degraded',
        checks: { catalog: { status: 'degraded', message: '3 entities skipped' } },
      });
    } finally {
      await server.app.close();
    }
  });
});

describe('GET /readyz', () => {
  it.each([
    [
      { ready: false, clusters: { a: 'syncing' as const }, message: 'watch caches syncing: a' },
      503,
      'warming',
    ],
    [{ ready: true, clusters: { a: 'synced' as const, b: 'timed out' as const } }, 200, 'ready'],
  ])('answers %j with %i', async (report, code, status) => {
    const app = fastify();
    registerReadiness(app, { report: () => report });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(code);
    expect(res.json()).toEqual({ status, ...report });
    await app.close();
  });
});
