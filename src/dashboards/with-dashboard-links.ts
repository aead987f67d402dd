import type {
  ClusterObjects,
  FetchResponseType,
  KubeObject,
  ObjectsByEntityResponse,
} from '../contract/kubernetes.ts';
import { KIND_OF_TYPE } from '../contract/kinds.ts';
import type {
  ClusterDashboardLinks,
  ObjectDashboardLink,
  ObjectsWithDashboardLinks,
} from '../contract/stitchboard.ts';
import { messageOf } from '../errors/errors.ts';
import { formatDashboardLink } from './format-link.ts';

/**
 * Stitchboard's own API: Backstage's response, each cluster slot carrying `dashboard` with a link for
 * the cluster and for every object the dashboard app can show. The Backstage-shaped fields are left
 * exactly as they are. A cluster whose dashboard settings are wrong gets `errors`, never a failure.
 */
export function withDashboardLinks(
  response: ObjectsByEntityResponse,
  options: { origin?: string } = {},
): ObjectsWithDashboardLinks {
  return {
    items: response.items.map((item) => ({ ...item, dashboard: clusterLinks(item, options.origin) })),
  };
}

function clusterLinks(item: ClusterObjects, origin: string | undefined): ClusterDashboardLinks {
  const errors = new Set<string>();
  const attempt = (fn: () => string | undefined): string | undefined => {
    try {
      return fn();
    } catch (error) {
      errors.add(messageOf(error));
      return undefined;
    }
  };
  const base = { cluster: item.cluster, ...(origin ? { origin } : {}) };
  const links: ClusterDashboardLinks = { objects: [], errors: [] };
  const clusterUrl = attempt(() => formatDashboardLink(base));
  if (clusterUrl) links.url = clusterUrl;
  if (item.cluster.dashboardUrl || item.cluster.dashboardParameters) {
    for (const response of item.resources) {
      for (const object of response.resources) {
        const kind = kindOf(response.type, object);
        const url = attempt(() => formatDashboardLink({ ...base, object, kind }));
        if (url) links.objects.push(describe(response.type, kind, object, url));
      }
    }
  }
  links.errors = [...errors];
  return links;
}

function kindOf(type: FetchResponseType, object: KubeObject): string {
  return type === 'customresources' ? (object.kind ?? '') : KIND_OF_TYPE[type];
}

function describe(
  type: FetchResponseType,
  kind: string,
  object: KubeObject,
  url: string,
): ObjectDashboardLink {
  const link: ObjectDashboardLink = { type, kind, name: object.metadata?.name ?? '', url };
  if (object.metadata?.namespace) link.namespace = object.metadata.namespace;
  if (object.metadata?.uid) link.uid = object.metadata.uid;
  return link;
}
