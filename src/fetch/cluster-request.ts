import { Agent } from 'undici';
import type { Credential } from '../auth/types.ts';
import type { ClusterDetails } from '../clusters/types.ts';
import { clusterTlsKey, clusterTlsOptions } from './cluster-tls.ts';

export interface ClusterRequestTarget {
  url: URL;
  /** The URL's path, cluster sub-path included, without the query: Backstage's `resourcePath`. */
  resourcePath: string;
  headers: Record<string, string>;
}

/** Where a GET of `path` on `cluster` goes, keeping any sub-path of the cluster URL, and with which headers. */
export function clusterRequestTarget(
  cluster: ClusterDetails,
  path: string,
  query: Record<string, string>,
  credential: Credential,
): ClusterRequestTarget {
  const base = new URL(cluster.url);
  const resourcePath = `${base.pathname.replace(/\/+$/, '')}${path}`;
  const url = new URL(resourcePath, base.origin);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'stitchboard' };
  if (credential.type === 'bearer token') headers.authorization = `Bearer ${credential.token}`;
  return { url, resourcePath, headers };
}

/**
 * Keep-alive undici agents, one per cluster TLS identity (URL, TLS settings, client certificate), so
 * repeated requests reuse warm connections and one identity's sockets never serve another.
 */
export class ClusterAgents {
  readonly #agents = new Map<string, { agent: Agent; createdAt: number }>();

  agentFor(cluster: ClusterDetails, credential: Credential): Agent {
    const key = clusterTlsKey(cluster, credential);
    let entry = this.#agents.get(key);
    if (!entry) {
      const agent = new Agent({
        keepAliveTimeout: 30_000,
        connect: {
          // A handshake slower than the cluster's whole deadline is a dead cluster; don't hold the socket.
          timeout: cluster.timeoutMs,
          ...clusterTlsOptions(cluster, credential),
        },
      });
      entry = { agent, createdAt: Date.now() };
      this.#agents.set(key, entry);
    }
    return entry.agent;
  }

  /**
   * After a connection to `cluster` went silent at `since` (epoch ms), the path to it may be dead for every
   * socket opened before then (a NAT or load balancer dropped the flows): an agent older than that is replaced,
   * so the next request opens a fresh connection instead of waiting on a kept-alive one. Answers in flight on
   * the old agent finish, or end at their own deadlines.
   */
  renew(cluster: ClusterDetails, credential: Credential, since: number): void {
    const key = clusterTlsKey(cluster, credential);
    const entry = this.#agents.get(key);
    if (!entry || entry.createdAt > since) return;
    this.#agents.delete(key);
    entry.agent.close().catch(() => {});
  }

  /** Closes every agent: `graceful` lets answers in flight finish, otherwise sockets are destroyed. */
  async close({ graceful }: { graceful: boolean }): Promise<void> {
    const agents = [...this.#agents.values()].map((e) => e.agent);
    this.#agents.clear();
    await Promise.all(agents.map((a) => (graceful ? a.close() : a.destroy())));
  }
}
