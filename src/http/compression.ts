import type { FastifyInstance } from 'fastify';
import { compress, COMPRESS_THRESHOLD_BYTES } from '../shared/compress.ts';
import { addVary, negotiateCoding } from './content-coding.ts';

/** JSON (`application/json`, `…+json`) and text: what Stitchboard itself writes. */
const COMPRESSIBLE = /^(?:application\/(?:[\w.-]+\+)?json|text\/)/i;

/**
 * Compresses every JSON or text body Stitchboard builds (the stitching API, the Components page's reads, the
 * rollups, `/metrics`, error answers) of 1 KiB or more, in the coding the client weighs highest, as
 * Backstage's backend does with its compression middleware. Left as they are: bodies a route has already
 * coded (objects answers, compressed once per cached answer), streams (the UI's files, the proxy's
 * upstream answers, the watch stream) and anything else.
 */
export function registerCompression(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    const type = reply.getHeader('content-type');
    const eligible =
      (typeof payload === 'string' || Buffer.isBuffer(payload)) &&
      !reply.hasHeader('content-encoding') &&
      typeof type === 'string' &&
      COMPRESSIBLE.test(type);
    if (!eligible || Buffer.byteLength(payload) < COMPRESS_THRESHOLD_BYTES) return done(null, payload);
    addVary(reply, 'Accept-Encoding');
    const coding = negotiateCoding(request.headers['accept-encoding']);
    if (!coding) return done(null, payload);
    // A string is encoded only when it is to be compressed: every other body goes out as fastify has it.
    compress(typeof payload === 'string' ? Buffer.from(payload) : payload, coding).then(
      (coded) => {
        reply.header('content-encoding', coding).removeHeader('content-length');
        done(null, coded);
      },
      (error: unknown) => {
        // The body is still good as it is: a failed compression costs bytes on the wire, not the answer.
        request.log.warn({ err: error }, 'compression failed; sent the body as it is');
        done(null, payload);
      },
    );
  });
}
