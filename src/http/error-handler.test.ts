import type { Entity } from '@backstage/catalog-model';
import { errorCodes } from 'fastify';
import { describe, expect, it } from 'vitest';
import { StitchboardError } from '../errors/errors.ts';
import { classifyError, errorBody, pathOf } from './error-handler.ts';
import { buildServer } from './server.ts';
import {
  backendConfig,
  buildTestServer,
  captureLogs,
  component,
  errorResponse,
  InMemoryCatalog,
  RecordingObjectsService,
} from './test-helpers.ts';
import { createMetrics } from './metrics.ts';

const context = { bodyLimit: 1000, requestId: 'req-7', contentType: 'text/csv' };

describe('classifyError', () => {
  it.each([
    [
      new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(),
      'BODY_TOO_LARGE',
      413,
      'Request body is larger than the limit of 1000 bytes (backend.bodyLimit)',
    ],
    [
      new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(),
      'UNSUPPORTED_MEDIA_TYPE',
      415,
      "Unsupported Content-Type 'text/csv': send the request body as application/json",
    ],
    [new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), 'INPUT_INVALID', 400, 'Request body is not valid JSON'],
    [
      new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(),
      'INPUT_INVALID',
      400,
      'Request body is empty but Content-Type is application/json: send a JSON object',
    ],
    [
      new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(),
      'INPUT_INVALID',
      400,
      'Request body size does not match its Content-Length header',
    ],
    [new errorCodes.FST_ERR_NOT_FOUND(), 'NOT_FOUND', 404, 'Not Found'],
    [new errorCodes.FST_ERR_BAD_URL('/%zz'), 'INPUT_INVALID', 400, "'/%zz' is not a valid url component"],
  ])('maps Fastify’s %s', (error, code, status, message) => {
    const { error: mapped, internal } = classifyError(error, context);
    expect({ code: mapped.code, status: mapped.status, message: mapped.message, internal }).toEqual({
      code,
      status,
      message,
      internal: false,
    });
  });

  it('keeps a StitchboardError as it is', () => {
    const error = new StitchboardError(
      'CATALOG_UNAVAILABLE',
      'Catalog at http://catalog:7007 did not answer',
    );
    expect(classifyError(error, context)).toEqual({ error, internal: false });
  });

  it.each([
    ['a plain Error', new Error('password=hunter2')],
    ['a thrown string', 'token abc'],
    ['a Fastify 5xx', new errorCodes.FST_ERR_CTP_INVALID_PARSE_TYPE('x')],
    ['an object with a code', Object.assign(new Error('x'), { code: 'ECONNRESET', statusCode: 400 })],
  ])('hides %s behind a generic 500', (_case, thrown) => {
    const { error, internal } = classifyError(thrown, context);
    expect({ code: error.code, status: error.status, message: error.message, internal }).toEqual({
      code: 'INTERNAL',
      status: 500,
      message: 'Internal server error (request req-7); the server log has the details',
      internal: true,
    });
  });
});

describe('errorBody', () => {
  it('has Backstage’s shape with our code, and drops the query string', () => {
    const error = new StitchboardError('NOT_FOUND', 'No such cluster', { details: { cluster: 'x' } });
    expect(errorBody(error, { method: 'GET', url: '/api/x?token=abc' })).toEqual({
      error: { name: 'NotFoundError', message: 'No such cluster', code: 'NOT_FOUND' },
      request: { method: 'GET', url: '/api/x' },
      response: { statusCode: 404 },
    });
  });

  it.each([
    ['/a', '/a'],
    ['/a?b=c', '/a'],
    ['/a?', '/a'],
  ])('pathOf(%j) is %j', (url, path) => {
    expect(pathOf(url)).toBe(path);
  });
});

describe('the error handler in the server', () => {
  it('answers a plain Error with a generic 500, logs its stack, and keeps serving', async () => {
    const kubernetes = new RecordingObjectsService({
      clusters: [{ name: 'c', authProvider: 'serviceAccount' }],
    });
    const server = await buildTestServer({ entities: [component('a')], kubernetes });
    try {
      kubernetes.failWith = new Error('connect to https://admin:s3cr3t@10.0.0.1 failed');
      const failed = await server.app.inject({ method: 'GET', url: '/api/kubernetes/clusters' });
      expect(failed.statusCode).toBe(500);
      const generic = 'Internal server error (request req-1); the server log has the details';
      expect(failed.json()).toEqual(
        errorResponse('GET /api/kubernetes/clusters', 500, 'Error', 'INTERNAL', generic),
      );
      expect(failed.body).not.toContain('s3cr3t');
      const logged = server.logs.records().find((r) => r.msg === 'unhandled error');
      expect(logged).toMatchObject({ level: 50, reqId: 'req-1', err: { type: 'Error' } });
      expect(String((logged?.err as { stack?: string }).stack)).toContain('error-handler.test.ts');

      kubernetes.failWith = undefined;
      const next = await server.app.inject({ method: 'GET', url: '/api/kubernetes/clusters' });
      expect(next.statusCode).toBe(200);
    } finally {
      await server.app.close();
    }
  });

  it('answers a StitchboardError from the catalog with its own status and message', async () => {
    const QUERY = '/api/kubernetes/resources/workloads/query';
    const UNANSWERED = 'Backstage catalog at http://backstage:7007 did not answer';
    class UnreachableCatalog extends InMemoryCatalog {
      override async getEntityByRef(): Promise<Entity | undefined> {
        throw new StitchboardError('CATALOG_UNAVAILABLE', UNANSWERED);
      }
    }
    const logs = captureLogs();
    const app = await buildServer({
      config: backendConfig(),
      catalog: new UnreachableCatalog([]),
      kubernetes: new RecordingObjectsService(),
      logger: logs.logger,
      metrics: createMetrics(),
    });
    try {
      const res = await app.inject({
        method: 'POST',
        url: QUERY,
        payload: { entityRef: 'component:a' },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual(
        errorResponse(`POST ${QUERY}`, 503, 'ServiceUnavailableError', 'CATALOG_UNAVAILABLE', UNANSWERED),
      );
    } finally {
      await app.close();
    }
  });
});
