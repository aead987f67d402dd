import type { FetchResponse, KubeObject } from '../contract/kubernetes.ts';
import { listPath } from '../kube/object-types.ts';
import { kindFromListKind, maskSecret, withoutBulk } from '../kube/transform.ts';
import type { ClusterConnections } from './connection.ts';
import { combineOutcomes, type ListOutcome } from './list-outcomes.ts';
import { podMetricsFor, type PodMetricsList } from './pod-metrics.ts';
import type {
  FetchObjectsParams,
  FetchPodMetricsParams,
  FetchResult,
  ObjectFetcher,
  ObjectToFetch,
  PodMetricsResult,
} from './types.ts';

interface KubeList {
  kind?: string;
  items?: KubeObject[];
}

/** `live` mode: one LIST per object type on every query, as Backstage does, over keep-alive connections. */
export class LiveFetcher implements ObjectFetcher {
  readonly #connections: ClusterConnections;

  constructor(connections: ClusterConnections) {
    this.#connections = connections;
  }

  async fetchObjects(params: FetchObjectsParams): Promise<FetchResult> {
    return combineOutcomes(await Promise.all(params.objectTypes.map((o) => this.#list(params, o))));
  }

  async #list(params: FetchObjectsParams, o: ObjectToFetch): Promise<ListOutcome> {
    const answer = await this.#connections.getJson<KubeList>(params.cluster, listPath(o, params.namespace), {
      credential: params.credential,
      query: params.labelSelector ? { labelSelector: params.labelSelector } : {},
      signal: params.signal,
    });
    if (!answer.ok) return answer;
    return {
      ok: true,
      response: shapeList(o, { ...answer.body, items: answer.body.items?.map(withoutBulk) ?? [] }),
    };
  }

  async fetchPodMetrics(params: FetchPodMetricsParams): Promise<PodMetricsResult> {
    const query: Record<string, string> = params.labelSelector ? { labelSelector: params.labelSelector } : {};
    const get = <T>(path: string) =>
      this.#connections.getJson<T>(params.cluster, path, {
        credential: params.credential,
        query,
        signal: params.signal,
      });
    const perNamespace = await Promise.all(
      params.namespaces.map(async (ns) => {
        const encoded = encodeURIComponent(ns);
        const [metrics, pods] = await Promise.all([
          get<PodMetricsList>(`/apis/metrics.k8s.io/v1beta1/namespaces/${encoded}/pods`),
          get<KubeList>(`/api/v1/namespaces/${encoded}/pods`),
        ]);
        return { metrics, pods };
      }),
    );
    const result: PodMetricsResult = { podMetrics: [], errors: [] };
    for (const { metrics, pods } of perNamespace) {
      if (!metrics.ok) result.errors.push(metrics.error);
      if (!pods.ok) result.errors.push(pods.error);
      if (metrics.ok && pods.ok) {
        result.podMetrics.push(...podMetricsFor(pods.body.items ?? [], metrics.body));
      }
    }
    return result;
  }
}

/** Raw list items, unmodified, except secrets (masked) and custom resources (kind stamped). */
export function shapeList(o: ObjectToFetch, list: KubeList): FetchResponse {
  const items = list.items ?? [];
  if (o.objectType === 'secrets') return { type: 'secrets', resources: items.map(maskSecret) };
  if (o.objectType === 'customresources') {
    const kind = kindFromListKind(list.kind);
    return { type: 'customresources', resources: kind ? items.map((item) => ({ ...item, kind })) : items };
  }
  return { type: o.objectType, resources: items };
}
