import type { CustomResourceMatcher, ObjectType } from '../contract/kubernetes.ts';
import type { ObjectToFetch } from '../fetch/types.ts';

/** Every object type Backstage can fetch, in Backstage's order (ALL_OBJECTS). */
export const ALL_OBJECTS: readonly Readonly<ObjectToFetch>[] = [
  { objectType: 'pods', group: '', apiVersion: 'v1', plural: 'pods' },
  { objectType: 'services', group: '', apiVersion: 'v1', plural: 'services' },
  { objectType: 'configmaps', group: '', apiVersion: 'v1', plural: 'configmaps' },
  { objectType: 'secrets', group: '', apiVersion: 'v1', plural: 'secrets' },
  { objectType: 'limitranges', group: '', apiVersion: 'v1', plural: 'limitranges' },
  { objectType: 'resourcequotas', group: '', apiVersion: 'v1', plural: 'resourcequotas' },
  { objectType: 'deployments', group: 'apps', apiVersion: 'v1', plural: 'deployments' },
  { objectType: 'replicasets', group: 'apps', apiVersion: 'v1', plural: 'replicasets' },
  {
    objectType: 'horizontalpodautoscalers',
    group: 'autoscaling',
    apiVersion: 'v2',
    plural: 'horizontalpodautoscalers',
  },
  { objectType: 'jobs', group: 'batch', apiVersion: 'v1', plural: 'jobs' },
  { objectType: 'cronjobs', group: 'batch', apiVersion: 'v1', plural: 'cronjobs' },
  { objectType: 'ingresses', group: 'networking.k8s.io', apiVersion: 'v1', plural: 'ingresses' },
  { objectType: 'statefulsets', group: 'apps', apiVersion: 'v1', plural: 'statefulsets' },
  { objectType: 'daemonsets', group: 'apps', apiVersion: 'v1', plural: 'daemonsets' },
  { objectType: 'persistentvolumes', group: '', apiVersion: 'v1', plural: 'persistentvolumes' },
  {
    objectType: 'persistentvolumeclaims',
    group: '',
    apiVersion: 'v1',
    plural: 'persistentvolumeclaims',
  },
];

/** Opt-in only: never fetched unless named in `objectTypes`. */
const OPT_IN: ReadonlySet<ObjectType> = new Set(['secrets', 'persistentvolumes', 'persistentvolumeclaims']);

/** Cluster-scoped: LISTed without a namespace even when the entity names one. */
export const CLUSTER_SCOPED: ReadonlySet<string> = new Set(['persistentvolumes']);

export interface ObjectTypeSettings {
  objectTypes?: readonly ObjectType[];
  apiVersionOverrides?: Partial<Record<string, string>>;
}

/**
 * The built-in types to LIST for a query. `objectTypes` filters ALL_OBJECTS (in ALL_OBJECTS order, unknown
 * names ignored), otherwise the 13 defaults; `apiVersionOverrides` then replaces only the apiVersion.
 * Unlike Backstage, nothing shared is mutated: every call returns fresh objects.
 */
export function selectObjectTypes(settings: ObjectTypeSettings): ObjectToFetch[] {
  const wanted = settings.objectTypes ? new Set<string>(settings.objectTypes) : undefined;
  return ALL_OBJECTS.filter((o) =>
    wanted ? wanted.has(o.objectType) : !OPT_IN.has(o.objectType as ObjectType),
  ).map((o) => ({ ...o, apiVersion: settings.apiVersionOverrides?.[o.objectType] ?? o.apiVersion }));
}

export function customResourcesToFetch(matchers: readonly CustomResourceMatcher[]): ObjectToFetch[] {
  return matchers.map((m) => ({
    objectType: 'customresources',
    group: m.group,
    apiVersion: m.apiVersion,
    plural: m.plural,
  }));
}

/**
 * `/api/<v>` for the core group, `/apis/<group>/<v>` otherwise, then `/namespaces/<ns>`, then `/<plural>`;
 * each segment URI-encoded. The cluster URL's own path is prefixed by the connection, not here.
 */
export function listPath(
  o: Pick<ObjectToFetch, 'group' | 'apiVersion' | 'plural'>,
  namespace?: string,
): string {
  const base = o.group
    ? `/apis/${encodeURIComponent(o.group)}/${encodeURIComponent(o.apiVersion)}`
    : `/api/${encodeURIComponent(o.apiVersion)}`;
  const ns = namespace && !CLUSTER_SCOPED.has(o.plural) ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${encodeURIComponent(o.plural)}`;
}
