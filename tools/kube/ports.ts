/**
 * Free TCP ports on 127.0.0.1 for test daemons, in 20000–31999: below Linux's ephemeral range
 * (32768+), so an outgoing connection never grabs a port a stopped API server wants back.
 */
import { createServer } from 'node:net';

export const PORT_MIN = 20_000;
export const PORT_MAX = 31_999;

// Clusters started in parallel from one process would otherwise probe, find and pick the same
// port before any of them binds it.
const handedOut = new Set<number>();

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port nobody listens on now and that this process has not handed out before. */
export async function pickFreePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PORT_MIN + Math.floor(Math.random() * (PORT_MAX - PORT_MIN + 1));
    if (handedOut.has(port)) continue;
    if (await isPortFree(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port found in ${PORT_MIN}-${PORT_MAX} on 127.0.0.1 after 200 tries`);
}

/** Marks a port as taken by this process (e.g. one read back from a cluster's saved state). */
export function claimPort(port: number): void {
  handedOut.add(port);
}
