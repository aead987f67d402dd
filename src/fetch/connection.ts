import { Agent, request } from 'undici';
import type { KubernetesFetchError } from '../contract/kubernetes.ts';
import type { Credential } from '../auth/types.ts';
import type { ClusterDetails } from '../clusters/types.ts';
import { clusterTlsKey, clusterTlsOptions } from './cluster-tls.ts';
import { errorTypeForStatus, fetchErrorFor } from './error-type.ts';

export type ClusterAnswer<T> = { ok: true; body: T } | { ok: false; error: KubernetesFetchError };

export interface GetOptions {
  credential: Credential;
  query?: Record<string, string>;
  signal: AbortSignal;
}

/**
 * The only code that sends HTTP to Kubernetes API servers. One keep-alive undici Agent per distinct
 * (url, TLS settings, client certificate), so repeated queries reuse warm TLS connections.
 */
export class ClusterConnections {
  readonly #agents = new Map<string, Agent>();

  async getJson<T = unknown>(
    cluster: ClusterDetails,
    path: string,
    options: GetOptions,
  ): Promise<ClusterAnswer<T>> {
    const base = new URL(cluster.url);
    const resourcePath = `${base.pathname.replace(/\/+$/, '')}${path}`;
    const url = new URL(resourcePath, base.origin);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'stitchboard' };
    if (options.credential.type === 'bearer token') {
      headers.authorization = `Bearer ${options.credential.token}`;
    }
    try {
      const res = await request(url, {
        method: 'GET',
        headers,
        dispatcher: this.#agentFor(cluster, options.credential),
        signal: options.signal,
      });
      if (res.statusCode < 200 || res.statusCode >= 300) {
        await res.body.dump();
        return {
          ok: false,
          error: { errorType: errorTypeForStatus(res.statusCode), statusCode: res.statusCode, resourcePath },
        };
      }
      return { ok: true, body: (await res.body.json()) as T };
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      return { ok: false, error: fetchErrorFor(error, cluster) };
    }
  }

  async close(): Promise<void> {
    const agents = [...this.#agents.values()];
    this.#agents.clear();
    await Promise.all(agents.map((a) => a.close()));
  }

  #agentFor(cluster: ClusterDetails, credential: Credential): Agent {
    const key = clusterTlsKey(cluster, credential);
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = new Agent({
        keepAliveTimeout: 30_000,
        connect: {
          // A handshake slower than the cluster's whole deadline is a dead cluster; don't hold the socket.
          timeout: cluster.timeoutMs,
          ...clusterTlsOptions(cluster, credential),
        },
      });
      this.#agents.set(key, agent);
    }
    return agent;
  }
}
