import { request } from 'undici';
import type { KubernetesFetchError } from '../contract/kubernetes.ts';
import type { Credential } from '../auth/types.ts';
import type { ClusterDetails } from '../clusters/types.ts';
import { raceAbort } from '../shared/abort.ts';
import { ClusterAgents, clusterRequestTarget } from './cluster-request.ts';
import { errorTypeForStatus, fetchErrorFor } from './error-type.ts';

export type ClusterAnswer<T> = { ok: true; body: T } | { ok: false; error: KubernetesFetchError };

export interface GetOptions {
  credential: Credential;
  query?: Record<string, string>;
  /** The caller's own abort (shutdown, a deadline over several requests): thrown as its reason. */
  signal?: AbortSignal;
  /**
   * Bound on this one request, handshake included: past it the answer is a FETCH_ERROR saying the
   * cluster did not answer in time (the caller's `signal` is not aborted by it).
   */
  timeoutMs?: number;
}

export interface ClusterRequestOptions extends GetOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON (`content-type: application/json`). */
  body?: unknown;
}

/**
 * Every request Stitchboard makes to a Kubernetes API server with a credential, over keep-alive
 * connections (watches stream through watch/watch-streams.ts, on the same agents' recipe). The URL keeps
 * the cluster's sub-path; the credential becomes the auth header or the client certificate; TLS trusts the
 * cluster's CA; one pool per TLS identity. Every failure is data: a status error with Backstage's
 * errorType, or a FETCH_ERROR saying what to check (never the credential); only the caller's own abort is
 * thrown.
 *
 * @example
 * const answer = await connections.request(cluster, '/api/v1/namespaces/tools/secrets', {
 *   method: 'POST', credential, body: secret, timeoutMs: 5000,
 * });
 * if (!answer.ok && 'statusCode' in answer.error && answer.error.statusCode === 409) ...
 */
export class ClusterConnections {
  readonly #agents = new ClusterAgents();

  /** A GET answered as JSON: `request` with its defaults. */
  getJson<T = unknown>(
    cluster: ClusterDetails,
    path: string,
    options: GetOptions,
  ): Promise<ClusterAnswer<T>> {
    return this.request<T>(cluster, path, options);
  }

  async request<T = unknown>(
    cluster: ClusterDetails,
    path: string,
    options: ClusterRequestOptions,
  ): Promise<ClusterAnswer<T>> {
    const { url, resourcePath, headers } = clusterRequestTarget(
      cluster,
      path,
      options.query ?? {},
      options.credential,
    );
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const deadline = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const signal = combined(options.signal, deadline);
    try {
      const work = (async (): Promise<ClusterAnswer<T>> => {
        const res = await request(url, {
          method: options.method ?? 'GET',
          headers,
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
          dispatcher: this.#agents.agentFor(cluster, options.credential),
          ...(signal ? { signal } : {}),
        });
        if (res.statusCode < 200 || res.statusCode >= 300) {
          await res.body.dump();
          const errorType = errorTypeForStatus(res.statusCode);
          return { ok: false, error: { errorType, statusCode: res.statusCode, resourcePath } };
        }
        return { ok: true, body: (await res.body.json()) as T };
      })();
      // undici ignores the signal during a TLS handshake that never completes: race it so deadlines hold.
      return signal ? await raceAbort(work, signal) : await work;
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (deadline?.aborted) {
        const message = `cluster '${cluster.name}' did not answer within ${options.timeoutMs} ms`;
        return { ok: false, error: { errorType: 'FETCH_ERROR', message } };
      }
      return { ok: false, error: fetchErrorFor(error, cluster) };
    }
  }

  /** Replaces the cluster's agent if it is older than `since`: see `ClusterAgents.renew`. */
  renew(cluster: ClusterDetails, credential: Credential, since: number): void {
    this.#agents.renew(cluster, credential, since);
  }

  async close(): Promise<void> {
    await this.#agents.close({ graceful: true });
  }
}

function combined(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  return present.length > 1 ? AbortSignal.any(present) : present[0];
}
