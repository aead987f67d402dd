/**
 * A tiny loopback server for the cloud fakes: one handler, the whole request body read first, and a
 * close that also drops keep-alive sockets so test files end promptly.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  url: URL;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | object;
}

export interface FakeServer {
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startFakeServer(
  handler: (req: FakeRequest) => FakeReply | Promise<FakeReply>,
  tls?: { cert: string; key: string },
): Promise<FakeServer> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      }
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      Promise.resolve()
        .then(() => handler(request))
        .then(
          (reply) => send(res, reply),
          (error: unknown) => send(res, { status: 500, body: { error: String(error) } }),
        );
    });
  };
  const server: Server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, reply: FakeReply): void {
  const isText = typeof reply.body === 'string' || reply.body === undefined;
  const body = isText ? ((reply.body as string | undefined) ?? '') : JSON.stringify(reply.body);
  res.writeHead(reply.status ?? 200, {
    'content-type': isText ? 'text/plain' : 'application/json; charset=utf-8',
    ...reply.headers,
  });
  res.end(body);
}
