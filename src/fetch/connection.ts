import { request } from 'undici';
import type { KubernetesFetchError } from '../contract/kubernetes.ts';
import type { Credential } from '../auth/types.ts';
import type { ClusterDetails } from '../clusters/types.ts';
import { ClusterAgents, clusterRequestTarget } from './cluster-request.ts';
import { errorTypeForStatus, fetchErrorFor } from './error-type.ts';

export type ClusterAnswer<T> = { ok: true; body: T } | { ok: false; error: KubernetesFetchError };

export interface GetOptions {
  credential: Credential;
  query?: Record<string, string>;
  signal: AbortSignal;
}

/**
 * Plain GETs to Kubernetes API servers over keep-alive connections (watches stream through
 * watch/watch-streams.ts). Every failure is data: a status error with Backstage's errorType, or a
 * FETCH_ERROR saying what to check; only the caller's own abort is thrown.
 */
export class ClusterConnections {
  readonly #agents = new ClusterAgents();

  async getJson<T = unknown>(
    cluster: ClusterDetails,
    path: string,
    options: GetOptions,
  ): Promise<ClusterAnswer<T>> {
    const { url, resourcePath, headers } = clusterRequestTarget(
      cluster,
      path,
      options.query ?? {},
      options.credential,
    );
    try {
      const res = await request(url, {
        method: 'GET',
        headers,
        dispatcher: this.#agents.agentFor(cluster, options.credential),
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
    await this.#agents.close({ graceful: true });
  }
}
