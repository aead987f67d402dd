import type { FastifyReply, FastifyRequest } from 'fastify';
import { isStitchboardError, StitchboardError, type ErrorCode } from '../errors/errors.ts';

/** Backstage's error body (`@backstage/errors` serializeError), plus our stable `code`. */
export interface ErrorBody {
  error: { name: string; message: string; code: ErrorCode };
  request: { method: string; url: string };
  response: { statusCode: number };
}

export interface ErrorContext {
  bodyLimit: number;
  requestId: string;
  contentType?: string;
}

/**
 * What the caller sees for anything thrown. `internal` marks errors nothing classified (bugs):
 * their message is replaced, because it may hold anything, and they are logged with a stack.
 */
export function classifyError(
  error: unknown,
  context: ErrorContext,
): { error: StitchboardError; internal: boolean } {
  if (isStitchboardError(error)) return { error, internal: false };
  const fromFastify = fastifyError(error, context);
  if (fromFastify) return { error: fromFastify, internal: false };
  const message = `Internal server error (request ${context.requestId}); the server log has the details`;
  return { error: new StitchboardError('INTERNAL', message), internal: true };
}

/** Fastify's own 4xx errors (body parsing, routing) get our code and a message that says what to do. */
function fastifyError(error: unknown, context: ErrorContext): StitchboardError | undefined {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return undefined;
  if (!error.code.startsWith('FST_')) return undefined;
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new StitchboardError(
        'BODY_TOO_LARGE',
        `Request body is larger than the limit of ${context.bodyLimit} bytes (backend.bodyLimit)`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new StitchboardError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Unsupported Content-Type '${shorten(context.contentType ?? '')}': send the request body as application/json`,
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new StitchboardError(
        'INPUT_INVALID',
        'Request body is empty but Content-Type is application/json: send a JSON object',
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new StitchboardError('INPUT_INVALID', 'Request body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new StitchboardError(
        'INPUT_INVALID',
        'Request body size does not match its Content-Length header',
      );
  }
  if (status === 404) return new StitchboardError('NOT_FOUND', error.message);
  // Other Fastify 4xx messages are fixed texts about the request, safe to show.
  if (status >= 400 && status < 500) return new StitchboardError('INPUT_INVALID', error.message);
  return undefined;
}

function shorten(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}

/** The path of a request, without its query string: error bodies and logs never echo query values. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

export function errorBody(error: StitchboardError, request: { method: string; url: string }): ErrorBody {
  return {
    error: { name: error.name, message: error.message, code: error.code },
    request: { method: request.method, url: pathOf(request.url) },
    response: { statusCode: error.status },
  };
}

/** The one error → HTTP mapper, installed at the root so every route and hook goes through it. */
export function createErrorHandler(options: { bodyLimit: number }) {
  return function handleError(thrown: unknown, request: FastifyRequest, reply: FastifyReply) {
    const { error, internal } = classifyError(thrown, {
      bodyLimit: options.bodyLimit,
      requestId: String(request.id),
      contentType: request.headers['content-type'],
    });
    if (internal) {
      request.log.error({ err: thrown }, 'unhandled error');
    } else if (error.status >= 500) {
      request.log.error({ err: error }, error.message);
    } else {
      request.log.info({ code: error.code, statusCode: error.status }, error.message);
    }
    if (error.code === 'UNAUTHENTICATED') void reply.header('www-authenticate', 'Bearer');
    return reply.code(error.status).send(errorBody(error, request));
  };
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  const error = new StitchboardError('NOT_FOUND', `Route ${request.method} ${pathOf(request.url)} not found`);
  return reply.code(404).send(errorBody(error, request));
}
