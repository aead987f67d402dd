import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireBody } from './sequential.ts';

/**
 * The floor: a bare `node:http` server in this process answering each component's query with the bytes
 * Stitchboard gave it (compressed as they came), held in memory. It reads and parses the request body as
 * any server must and does nothing else, so the same client against it measures what this machine, its
 * loopback and Node's HTTP cost for the same answers at that moment, with the same clusters up:
 * Stitchboard's figures are read against it. A component it has no body for gets a 404, which the client
 * counts as an error.
 */
export async function startFloor(
  bodies: ReadonlyMap<string, WireBody>,
): Promise<{ address: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = bodies.get(componentOf(Buffer.concat(chunks)));
      if (!answer) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': answer.body.length,
        ...(answer.encoding ? { 'content-encoding': answer.encoding } : {}),
      });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function componentOf(requestBody: Buffer): string {
  try {
    const { entity } = JSON.parse(requestBody.toString('utf8')) as {
      entity?: { metadata?: { name?: unknown } };
    };
    return String(entity?.metadata?.name);
  } catch {
    return '';
  }
}
