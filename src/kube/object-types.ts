import type { CustomResourceMatcher, ObjectType } from '../contract/kubernetes.ts';
import { FETCHED_KINDS } from '../contract/kinds.ts';

/** One kind of object to LIST: a built-in object type or a custom resource. */
export interface ObjectToFetch {
  objectType: ObjectType | 'customresources';
  group: string;
  apiVersion: string;
  plural: string;
}

/** Every object type Backstage can fetch, in Backstage's order (ALL_OBJECTS): the kind table's fetched kinds. */
export const ALL_OBJECTS: readonly Readonly<ObjectToFetch>[] = FETCHED_KINDS.map((k) => ({
  objectType: k.plural,
  group: k.group,
  apiVersion: k.version,
  plural: k.plural,
}));

/** Opt-in only: never fetched unless named in `objectTypes`. */
const OPT_IN: ReadonlySet<string> = new Set(
  FETCHED_KINDS.filter((k) => k.fetch === 'opt-in').map((k) => k.plural),
);

/** Cluster-scoped: LISTed without a namespace even when the entity names one. */
export const CLUSTER_SCOPED: ReadonlySet<string> = new Set(
  FETCHED_KINDS.filter((k) => !k.namespaced).map((k) => k.plural),
);

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
  return ALL_OBJECTS.filter((o) => (wanted ? wanted.has(o.objectType) : !OPT_IN.has(o.objectType))).map(
    (o) => ({ ...o, apiVersion: settings.apiVersionOverrides?.[o.objectType] ?? o.apiVersion }),
  );
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
