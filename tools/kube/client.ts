/**
 * A small admin client for the test clusters, used by tests, the demo and the benchmark to put
 * objects in place and set their status (nothing else would: no controllers run). Keep-alive
 * HTTPS with the cluster's own CA; compact JSON (the server pretty-prints only for curl-like
 * User-Agents).
 *
 * @example
 *   const kube = new KubeClient(info);
 *   await kube.ensureNamespace('shop');
 *   await kube.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, spec });
 *   await kube.patchStatus('/api/v1/namespaces/shop/pods/web', { phase: 'Running' });
 */
import https from 'node:https';
import type { KubeObject } from '../../src/contract/kubernetes.ts';
import { collectionPathFor, pathFor } from './paths.ts';
import { serviceAccountToken } from './service-account-token.ts';
import type { ServiceAccountTokenOptions } from './service-account-token.ts';
import type { ClusterInfo } from './types.ts';

export type ClusterTarget = Pick<ClusterInfo, 'name' | 'url' | 'caData' | 'adminToken'>;

export interface RequestOptions {
  body?: unknown;
  /** Defaults to `application/json` when there is a body. */
  contentType?: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface KubeResponse<T = unknown> {
  status: number;
  /** Parsed JSON when the server sent JSON, the text otherwise. */
  body: T;
}

export interface KubeList<T = KubeObject> {
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** A request the server answered with an unexpected status. The message never holds the token. */
export class KubeRequestError extends Error {
  readonly status: number;
  readonly method: string;
  readonly path: string;

  constructor(cluster: string, method: string, path: string, res: KubeResponse) {
    const body = res.body as { message?: string; reason?: string } | string;
    const detail =
      typeof body === 'string' ? body.slice(0, 300) : `${body?.reason ?? ''} ${body?.message ?? ''}`;
    super(`${method} ${path} on cluster ${cluster}: HTTP ${res.status} ${detail.trim()}`);
    this.name = 'KubeRequestError';
    this.status = res.status;
    this.method = method;
    this.path = path;
  }
}

export interface BulkResult {
  created: number;
  existed: number;
  ms: number;
  perSecond: number;
}

export class KubeClient {
  readonly cluster: ClusterTarget;
  readonly #token: string;
  readonly #agent: https.Agent;
  readonly #base: URL;

  constructor(cluster: ClusterTarget, options: { token?: string; maxSockets?: number } = {}) {
    this.cluster = cluster;
    this.#token = options.token ?? cluster.adminToken;
    this.#base = new URL(cluster.url);
    this.#agent = new https.Agent({
      keepAlive: true,
      maxSockets: options.maxSockets ?? 32,
      ca: Buffer.from(cluster.caData, 'base64'),
    });
  }

  /** Any request; never throws on an HTTP status, only on a broken connection or a timeout. */
  request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<KubeResponse<T>> {
    const url = new URL(path, this.#base);
    for (const [k, v] of Object.entries(options.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const data = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'stitchboard-kube-lab',
      Authorization: `Bearer ${this.#token}`,
      ...(data
        ? { 'Content-Type': options.contentType ?? 'application/json', 'Content-Length': `${data.length}` }
        : {}),
      ...options.headers,
    };
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, headers, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = /json/.test(res.headers['content-type'] ?? '');
          let body: unknown = text;
          if (json && text) {
            try {
              body = JSON.parse(text);
            } catch {
              // keep the text: a truncated or odd body is still worth showing
            }
          }
          resolve({ status: res.statusCode ?? 0, body: body as T });
        });
      });
      req.setTimeout(options.timeoutMs ?? 30_000, () =>
        req.destroy(new Error(`${method} ${url.pathname} on cluster ${this.cluster.name}: timed out`)),
      );
      req.on('error', reject);
      req.end(data);
    });
  }

  /** Like `request`, but anything other than `expected` throws a {@link KubeRequestError}. */
  async call<T = unknown>(
    method: string,
    path: string,
    expected: number[],
    options?: RequestOptions,
  ): Promise<T> {
    const res = await this.request<T>(method, path, options);
    if (!expected.includes(res.status)) throw new KubeRequestError(this.cluster.name, method, path, res);
    return res.body;
  }

  get<T = KubeObject>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.call<T>('GET', path, [200], { query });
  }

  create<T extends KubeObject>(obj: T): Promise<T> {
    return this.call<T>('POST', collectionPathFor(obj), [200, 201], { body: obj });
  }

  /** Creates `obj`, or replaces the existing object of that name (its resourceVersion kept). */
  async apply<T extends KubeObject>(obj: T): Promise<T> {
    const created = await this.request<T>('POST', collectionPathFor(obj), { body: obj });
    if (created.status === 200 || created.status === 201) return created.body;
    if (created.status !== 409) {
      throw new KubeRequestError(this.cluster.name, 'POST', collectionPathFor(obj), created);
    }
    const path = pathFor(obj);
    for (let attempt = 0; ; attempt++) {
      const current = await this.get<KubeObject>(path);
      const next = {
        ...obj,
        metadata: { ...obj.metadata, resourceVersion: current.metadata?.resourceVersion },
      };
      const res = await this.request<T>('PUT', path, { body: next });
      if (res.status === 200) return res.body;
      // 409 here means someone wrote in between: read again and retry.
      if (res.status !== 409 || attempt >= 4) throw new KubeRequestError(this.cluster.name, 'PUT', path, res);
    }
  }

  /** Deletes by path or object; returns false when it was already gone. */
  async delete(target: string | KubeObject): Promise<boolean> {
    const path = typeof target === 'string' ? target : pathFor(target);
    const res = await this.request('DELETE', path);
    if (res.status === 404) return false;
    if (res.status !== 200 && res.status !== 202) {
      throw new KubeRequestError(this.cluster.name, 'DELETE', path, res);
    }
    return true;
  }

  /**
   * Merge-patches `status` through the `/status` subresource: the only way anything gets a status
   * here (no kubelet, no controllers). `target` is the object's path or the object itself.
   */
  patchStatus<T = KubeObject>(target: string | KubeObject, status: Record<string, unknown>): Promise<T> {
    const path = `${typeof target === 'string' ? target : pathFor(target)}/status`;
    return this.call<T>('PATCH', path, [200], {
      body: { status },
      contentType: 'application/merge-patch+json',
    });
  }

  /** Creates the namespace unless it exists; refuses one stuck in Terminating (it can never be used). */
  async ensureNamespace(name: string): Promise<void> {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
    const res = await this.request('POST', '/api/v1/namespaces', { body: ns });
    if (res.status === 201) return;
    if (res.status !== 409) throw new KubeRequestError(this.cluster.name, 'POST', '/api/v1/namespaces', res);
    const existing = await this.get<{ status?: { phase?: string } }>(
      `/api/v1/namespaces/${encodeURIComponent(name)}`,
    );
    if (existing.status?.phase === 'Terminating') {
      throw new Error(
        `namespace ${name} on cluster ${this.cluster.name} is Terminating for good: use a new name`,
      );
    }
  }

  /** Creates many objects with `concurrency` requests in flight; an existing object counts as `existed`. */
  async createMany(objs: readonly KubeObject[], concurrency = 8): Promise<BulkResult> {
    const started = performance.now();
    let next = 0;
    let created = 0;
    let existed = 0;
    const worker = async () => {
      while (next < objs.length) {
        const obj = objs[next++] as KubeObject;
        const path = collectionPathFor(obj);
        const res = await this.request('POST', path, { body: obj });
        if (res.status === 201 || res.status === 200) created++;
        else if (res.status === 409) existed++;
        else throw new KubeRequestError(this.cluster.name, 'POST', path, res);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, objs.length)) }, worker));
    const ms = performance.now() - started;
    return { created, existed, ms: Math.round(ms), perSecond: Math.round(((created + existed) * 1000) / ms) };
  }

  /** A ServiceAccount token with exactly `rules` (see {@link serviceAccountToken}). */
  serviceAccountToken(
    namespace: string,
    name: string,
    options: ServiceAccountTokenOptions = {},
  ): Promise<string> {
    return serviceAccountToken(this, namespace, name, options);
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.#agent.destroy();
  }
}
