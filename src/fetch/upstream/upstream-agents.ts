import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Credential } from '../../auth/types.ts';
import type { ClusterDetails } from '../../clusters/types.ts';
import { clusterTlsKey, clusterTlsOptions } from '../cluster-tls.ts';
import { BoundedCache } from '../../shared/bounded-cache.ts';

/** How long an idle kept-alive connection to a cluster stays open. */
const IDLE_SOCKET_MS = 30_000;

/**
 * Keep-alive agents for the proxy, one per cluster TLS identity (URL, CA, skipTLSVerify, client
 * certificate), so an x509 credential never rides a connection opened for another. Node's agents
 * rather than undici's because a WebSocket handshake must be able to come back as a plain
 * response (403, 404), which `http.request` reports and undici's `upgrade` does not.
 */
export class UpstreamAgents {
  readonly #cache: BoundedCache<string, HttpAgent>;

  constructor(options: { maxSize: number; ttlMs: number }) {
    this.#cache = new BoundedCache({ ...options, onEvict: releaseIdle });
  }

  agentFor(cluster: ClusterDetails, credential: Credential): HttpAgent {
    const https = new URL(cluster.url).protocol === 'https:';
    return this.#cache.getOrCreate(`${cluster.name}|${clusterTlsKey(cluster, credential)}`, () =>
      https
        ? new HttpsAgent({
            keepAlive: true,
            timeout: IDLE_SOCKET_MS,
            ...clusterTlsOptions(cluster, credential),
          })
        : new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    );
  }

  get size(): number {
    return this.#cache.size;
  }

  /** Ends every connection of the agents still cached, busy or not: the server is shutting down. */
  close(): void {
    this.#cache.clear((agent) => agent.destroy());
  }
}

/**
 * An evicted agent may still carry a long watch or an exec session: only its idle sockets are
 * closed. Sockets in use finish their request, and the agent's idle timeout closes them after.
 */
function releaseIdle(agent: HttpAgent): void {
  for (const sockets of Object.values(agent.freeSockets)) {
    for (const socket of sockets ?? []) socket.destroy();
  }
}
