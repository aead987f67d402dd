import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { pathOf } from './error-handler.ts';

/**
 * Request and response log fields. Headers are left out entirely, so `Authorization` and the
 * `Backstage-Kubernetes-Authorization*` headers cannot reach a log line whatever redaction
 * covers; the query string is dropped for the same reason.
 */
export const requestSerializers = {
  req: (request: FastifyRequest) => ({
    method: request.method,
    url: pathOf(request.url),
    route: request.routeOptions.url,
    remoteAddress: request.ip,
  }),
  res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
};

/**
 * One info line per request, written when it completes and carrying method, path and status,
 * so the Backstage UI's 10-second polling costs one line per call rather than two.
 */
export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest) {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    if (this.isLogDisabled(request)) return;
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}
