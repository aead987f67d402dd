import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** One request as a loopback upstream saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The client certificate's subject CN, on an https upstream that asks for one. */
  clientCertCN?: string;
}

export interface LoopbackUpstream {
  url: string;
  seen: SeenRequest[];
  /** Requests whose connection closed before the answer ended. */
  aborted: string[];
  close(): Promise<void>;
}

export type Respond = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void;

const defaultRespond: Respond = (_req, res, seen) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ echo: seen.url }));
};

/**
 * An API server stand-in on 127.0.0.1 that records exactly what reaches it (headers, raw body), so
 * tests can assert what the proxy forwards and, above all, what it does not. With `tls`, it serves
 * https and asks for a client certificate.
 */
export async function startLoopbackUpstream(
  options: { respond?: Respond; tls?: { cert: string; key: string; ca: string } } = {},
): Promise<LoopbackUpstream> {
  const seen: SeenRequest[] = [];
  const aborted: string[] = [];
  const respond = options.respond ?? defaultRespond;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const socket = req.socket as { getPeerCertificate?: () => { subject?: { CN?: string } } };
      const cn = socket.getPeerCertificate?.()?.subject?.CN;
      if (cn) entry.clientCertCN = cn;
      seen.push(entry);
      res.on('close', () => {
        if (!res.writableFinished) aborted.push(entry.url);
      });
      respond(req, res, entry);
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ ...options.tls, requestCert: true, rejectUnauthorized: true }, handler)
    : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    aborted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
