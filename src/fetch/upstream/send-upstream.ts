import {
  request as httpRequest,
  type Agent,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import type { Duplex } from 'node:stream';

/** The cluster's answer: a response (streamed, any status), or a switched protocol with its socket. */
export type UpstreamAnswer =
  | { kind: 'response'; response: IncomingMessage }
  | { kind: 'upgrade'; response: IncomingMessage; socket: Duplex; head: Buffer };

export interface UpstreamRequest {
  /** The cluster URL: only its scheme, host and port are used; `path` replaces its path. */
  origin: URL;
  path: string;
  method: string;
  headers: OutgoingHttpHeaders;
  agent: Agent;
  /** The caller's body, streamed as it arrives; absent for a WebSocket handshake. */
  body?: Readable;
  /** How long opening the connection (TCP and TLS) may take; a watch may then stay open for hours. */
  connectTimeoutMs: number;
}

export interface PendingUpstream {
  answer: Promise<UpstreamAnswer>;
  /** Ends the request and whatever it streams, e.g. when the caller went away. */
  abort(): void;
}

/**
 * One request to a cluster through Node's http client. Rejects only when no answer came at all
 * (refused, TLS, connect timeout); every HTTP status is an answer, passed on as it is.
 */
export function sendUpstream(options: UpstreamRequest): PendingUpstream {
  const secure = options.origin.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  const req = send({
    protocol: options.origin.protocol,
    hostname: options.origin.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: options.origin.port || (secure ? 443 : 80),
    path: options.path,
    method: options.method,
    headers: options.headers,
    agent: options.agent,
  });
  let timer: NodeJS.Timeout | undefined;
  const answer = new Promise<UpstreamAnswer>((resolve, reject) => {
    req.once('response', (response) => resolve({ kind: 'response', response }));
    req.once('upgrade', (response, socket, head) => resolve({ kind: 'upgrade', response, socket, head }));
    req.once('error', reject);
  }).finally(() => clearTimeout(timer));
  // After the answer, errors belong to the response stream; this keeps a late one from being unhandled.
  answer.catch(() => {});
  req.on('error', () => {});

  req.once('socket', (socket) => {
    if (!socket.connecting) return;
    timer = setTimeout(() => {
      const error = Object.assign(new Error(`connecting timed out after ${options.connectTimeoutMs} ms`), {
        code: 'UND_ERR_CONNECT_TIMEOUT',
      });
      req.destroy(error);
    }, options.connectTimeoutMs);
    socket.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(timer));
  });

  if (options.body) {
    options.body.once('error', (error) => req.destroy(error));
    options.body.pipe(req);
  } else {
    req.end();
  }
  return { answer, abort: () => req.destroy() };
}
