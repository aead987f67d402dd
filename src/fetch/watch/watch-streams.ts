import { request } from 'undici';
import type { Credential } from '../../auth/types.ts';
import type { ClusterDetails } from '../../clusters/types.ts';
import type { KubernetesFetchError } from '../../contract/kubernetes.ts';
import { ClusterAgents, clusterRequestTarget } from '../cluster-request.ts';
import { errorTypeForStatus, fetchErrorFor } from '../error-type.ts';
import { LineSplitter } from './watch-event.ts';

export type StreamAnswer =
  | { ok: true; lines: AsyncIterable<string> }
  | { ok: false; error: KubernetesFetchError; statusCode?: number };

export interface StreamOptions {
  credential: Credential;
  query: Record<string, string>;
  signal: AbortSignal;
  /** A watch silent for longer than this is dead (a half-open socket sends nothing, not even bookmarks). */
  idleTimeoutMs: number;
}

/**
 * Long-lived streaming GETs (`?watch=1`) to API servers, next to `ClusterConnections`, which answers plain
 * GETs. Watches get their own keep-alive agents, built the same way (per URL, TLS settings and client
 * certificate): a watch holds its socket for minutes, and stopping the cache must close exactly its sockets.
 */
export class WatchStreams {
  readonly #agents = new ClusterAgents();

  async open(cluster: ClusterDetails, path: string, options: StreamOptions): Promise<StreamAnswer> {
    const { url, resourcePath, headers } = clusterRequestTarget(
      cluster,
      path,
      options.query,
      options.credential,
    );
    try {
      const res = await request(url, {
        method: 'GET',
        headers,
        dispatcher: this.#agents.agentFor(cluster, options.credential),
        signal: options.signal,
        headersTimeout: 30_000,
        bodyTimeout: options.idleTimeoutMs,
      });
      if (res.statusCode < 200 || res.statusCode >= 300) {
        await res.body.dump();
        const error = {
          errorType: errorTypeForStatus(res.statusCode),
          statusCode: res.statusCode,
          resourcePath,
        };
        return { ok: false, error, statusCode: res.statusCode };
      }
      return { ok: true, lines: readLines(res.body) };
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      return { ok: false, error: fetchErrorFor(error, cluster) };
    }
  }

  /** Replaces the cluster's agent if it is older than `since`: see `ClusterAgents.renew`. */
  renew(cluster: ClusterDetails, credential: Credential, since: number): void {
    this.#agents.renew(cluster, credential, since);
  }

  /** Destroys every socket: callers abort their watches first, so nothing is cut mid-answer. */
  async close(): Promise<void> {
    await this.#agents.close({ graceful: false });
  }
}

async function* readLines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const splitter = new LineSplitter();
  for await (const chunk of body) yield* splitter.push(chunk);
  yield* splitter.flush();
}
