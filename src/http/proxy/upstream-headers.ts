import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Headers about one hop (RFC 9110 §7.6.1), never forwarded as they are. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * What identifies the caller to Stitchboard or Backstage, or would let it act as someone else on
 * the cluster. The cluster gets only the credential Stitchboard chose for it.
 */
function isCallerCredential(name: string): boolean {
  return (
    name === 'authorization' ||
    name === 'cookie' ||
    name === 'host' ||
    name.startsWith('backstage-') ||
    name.startsWith('impersonate-')
  );
}

/** Header names the `Connection` header lists are hop-by-hop too. */
function connectionListed(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection;
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(
    text
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** `Connection: Upgrade` with `Upgrade: websocket`, as Backstage detects a WebSocket handshake. */
export function isWebSocketUpgrade(headers: IncomingHttpHeaders): boolean {
  return connectionListed(headers).has('upgrade') && headers.upgrade?.toLowerCase() === 'websocket';
}

/**
 * The request headers the cluster sees: the caller's, minus hop-by-hop headers and everything that
 * carries the caller's own credentials (`Authorization`, cookies, every `Backstage-*` header), plus
 * `authorization` when a bearer credential was chosen. A WebSocket handshake keeps its `Upgrade`.
 *
 * @example
 * upstreamRequestHeaders(request.headers, { authorization: 'Bearer <cluster token>', upgrade: false });
 */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  options: { authorization?: string; upgrade: boolean },
): OutgoingHttpHeaders {
  const listed = connectionListed(incoming);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name) || isCallerCredential(name)) continue;
    out[name] = value;
  }
  if (options.upgrade) {
    out.connection = 'Upgrade';
    out.upgrade = 'websocket';
  }
  if (options.authorization !== undefined) out.authorization = options.authorization;
  return out;
}

/** The cluster's response headers the caller sees: all but the hop-by-hop ones. */
export function downstreamResponseHeaders(upstream: IncomingHttpHeaders): Record<string, string | string[]> {
  const listed = connectionListed(upstream);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** The raw head of a `101 Switching Protocols` answer, relayed as the cluster sent it. */
export function switchingProtocolsHead(rawHeaders: readonly string[]): string {
  const lines = ['HTTP/1.1 101 Switching Protocols'];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) lines.push(`${rawHeaders[i]}: ${rawHeaders[i + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}
