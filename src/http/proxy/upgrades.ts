import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';

const CLIENT_HEAD = Symbol('stitchboard.clientHead');

type WithHead = IncomingMessage & { [CLIENT_HEAD]?: Buffer };

/** Bytes the caller sent after its handshake, before the answer (usually none). */
export function clientHeadOf(request: IncomingMessage): Buffer {
  return (request as WithHead)[CLIENT_HEAD] ?? Buffer.alloc(0);
}

/**
 * Sends HTTP upgrade requests (WebSocket handshakes) through Fastify's own routing, so they pass
 * the same token check, permission check, logging and error bodies as any request. Node hands an
 * upgrade to the `upgrade` event with a bare socket; a ServerResponse on that socket lets Fastify
 * answer a refusal (401, 403, 404) as usual, and the proxy route hijacks the socket on success.
 */
export function routeUpgrades(app: FastifyInstance): void {
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    (request as WithHead)[CLIENT_HEAD] = head;
    const response = new ServerResponse(request);
    response.shouldKeepAlive = false;
    response.assignSocket(socket as Socket);
    response.once('finish', () => socket.end());
    socket.once('error', () => socket.destroy());
    app.routing(request, response);
  };
  app.server.on('upgrade', onUpgrade);
  app.addHook('onClose', async () => {
    app.server.off('upgrade', onUpgrade);
  });
}
