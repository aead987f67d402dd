import { createServer } from 'node:net';
import { fetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { StitchboardError } from '../errors/errors.ts';
import { toCatalogError } from './catalog-error.ts';

const token = 'sekret-token-123456';
const context = { endpoint: 'https://backstage.example.com', token, timeoutMs: 1234 };

/** The shape of @backstage/errors' ResponseError, which catalog-client throws for non-2xx answers. */
const responseError = (status: number, message = 'upstream says no') =>
  Object.assign(new Error(`Request failed with ${status}`), {
    name: 'ResponseError',
    statusCode: status,
    response: { status },
    body: { error: { name: 'Error', message } },
  });

describe('toCatalogError', () => {
  it.each([
    [
      responseError(401),
      'Backstage at https://backstage.example.com rejected the token (401): check the token',
    ],
    [responseError(403), 'Backstage at https://backstage.example.com rejected the token (403)'],
    [responseError(404), 'answered 404 for the Catalog API: is it a Backstage backend'],
    [
      responseError(500, 'database is locked'),
      'Backstage at https://backstage.example.com failed with HTTP 500: database is locked',
    ],
    [responseError(503, `token ${token} was bad`), 'failed with HTTP 503: token [redacted] was bad'],
    [responseError(429), 'failed with HTTP 429'],
    [
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      'did not answer within 1234 ms',
    ],
    [new SyntaxError('Unexpected token < in JSON'), 'answered with something other than Catalog API JSON'],
    [
      Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND nope'), { code: 'ENOTFOUND' }),
      }),
      'is unreachable: getaddrinfo ENOTFOUND nope',
    ],
    [
      Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      }),
      'is unreachable: DEPTH_ZERO_SELF_SIGNED_CERT self-signed certificate',
    ],
  ])('%s', (error, message) => {
    const mapped = toCatalogError(error, context);
    expect(mapped).toBeInstanceOf(StitchboardError);
    expect(mapped.code).toBe('CATALOG_UNAVAILABLE');
    expect(mapped.message).toContain(message);
    expect(mapped.message).not.toContain(token);
    expect(JSON.stringify(mapped.details)).not.toContain(token);
  });

  it('tells a token-less source to set one', () => {
    expect(toCatalogError(responseError(401), { ...context, token: undefined }).message).toBe(
      'Backstage at https://backstage.example.com rejected the token (401): set a token for this catalog source',
    );
  });

  it('passes StitchboardErrors through unchanged', () => {
    const original = new StitchboardError('INPUT_INVALID', 'bad ref');
    expect(toCatalogError(original, context)).toBe(original);
  });

  it('names a refused connection, from a real fetch to a closed port', async () => {
    const port = await closedPort();
    const error = await fetch(`http://127.0.0.1:${port}/api/catalog/entities`).catch((e: unknown) => e);
    const mapped = toCatalogError(error, { ...context, endpoint: `http://127.0.0.1:${port}` });
    expect(mapped.message).toMatch(
      new RegExp(`^Backstage at http://127.0.0.1:${port} is unreachable: .*ECONNREFUSED`),
    );
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
