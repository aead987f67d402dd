import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import type { Credential } from '../../auth/types.ts';
import type { ClusterDetails } from '../../clusters/types.ts';
import type { KubernetesFetchError } from '../../contract/kubernetes.ts';
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
  readonly #agents = new Map<string, Agent>();

  async open(cluster: ClusterDetails, path: string, options: StreamOptions): Promise<StreamAnswer> {
    const base = new URL(cluster.url);
    const resourcePath = `${base.pathname.replace(/\/+$/, '')}${path}`;
    const url = new URL(resourcePath, base.origin);
    for (const [k, v] of Object.entries(options.query)) url.searchParams.set(k, v);
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

  /** Destroys every socket: callers abort their watches first, so nothing is cut mid-answer. */
  async close(): Promise<void> {
    const agents = [...this.#agents.values()];
    this.#agents.clear();
    await Promise.all(agents.map((a) => a.destroy()));
  }

  #agentFor(cluster: ClusterDetails, credential: Credential): Agent {
    const cert = credential.type === 'x509 client certificate' ? credential : undefined;
    const key = [
      cluster.url,
      cluster.skipTLSVerify,
      cluster.caData ?? '',
      cluster.caFile ?? '',
      cert?.cert ?? '',
    ].join('|');
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = new Agent({
        keepAliveTimeout: 30_000,
        connect: {
          rejectUnauthorized: !cluster.skipTLSVerify,
          ...caOption(cluster),
          ...(cert ? { cert: cert.cert, key: cert.key } : {}),
        },
      });
      this.#agents.set(key, agent);
    }
    return agent;
  }
}

async function* readLines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const splitter = new LineSplitter();
  for await (const chunk of body) yield* splitter.push(chunk);
  yield* splitter.flush();
}

function caOption(cluster: ClusterDetails): { ca?: string } {
  if (cluster.caData) return { ca: Buffer.from(cluster.caData, 'base64').toString('utf8') };
  if (cluster.caFile) return { ca: readFileSync(cluster.caFile, 'utf8') };
  return {};
}
