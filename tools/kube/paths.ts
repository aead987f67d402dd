/**
 * REST paths for Kubernetes objects, from their apiVersion, kind and metadata alone (no discovery):
 * enough for the fixtures tests, the demo and the benchmark create. Pure.
 */
import { KINDS } from '../../src/contract/kinds.ts';
import type { KubeObject } from '../../src/contract/kubernetes.ts';

export interface KindInfo {
  plural: string;
  namespaced: boolean;
}

/** Built-in kinds, from the kind table; a kind name means the same resource in every group that serves it. */
const BUILT_IN: Readonly<Record<string, KindInfo>> = Object.fromEntries(
  KINDS.map((k) => [k.kind, { plural: k.plural, namespaced: k.namespaced }]),
);

/** English plural as Kubernetes derives it for CRDs that do not name one: lowercased kind + s/es/ies. */
export function guessPlural(kind: string): string {
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

/**
 * How `obj`'s kind is served. Known kinds come from the table; any other kind is taken as a custom
 * resource whose plural is guessed and which is namespaced exactly when the object names a
 * namespace. Pass `override` when a CRD's plural is irregular.
 */
export function kindInfo(obj: KubeObject, override?: Partial<KindInfo>): KindInfo {
  const known = obj.kind ? BUILT_IN[obj.kind] : undefined;
  const guessed = known ?? { plural: guessPlural(obj.kind ?? ''), namespaced: !!obj.metadata?.namespace };
  return { ...guessed, ...override };
}

/** `/api/v1` for the core group, `/apis/GROUP/VERSION` otherwise. */
export function apiBase(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The collection path (`POST` target) of `obj`, e.g. `/apis/apps/v1/namespaces/web/deployments`. */
export function collectionPathFor(obj: KubeObject, override?: Partial<KindInfo>): string {
  const what = describe(obj);
  if (!obj.apiVersion || !obj.kind) throw new Error(`${what}: apiVersion and kind are required`);
  const info = kindInfo(obj, override);
  const namespace = obj.metadata?.namespace;
  if (info.namespaced && !namespace) {
    throw new Error(`${what}: ${obj.kind} is namespaced, metadata.namespace is missing`);
  }
  const scope = info.namespaced ? `/namespaces/${encodeURIComponent(namespace as string)}` : '';
  return `${apiBase(obj.apiVersion)}${scope}/${info.plural}`;
}

/** The object path (`GET`/`PUT`/`DELETE` target) of `obj`, e.g. `/api/v1/namespaces/web/pods/web-0`. */
export function pathFor(obj: KubeObject, override?: Partial<KindInfo>): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error(`${describe(obj)}: metadata.name is required`);
  return `${collectionPathFor(obj, override)}/${encodeURIComponent(name)}`;
}

function describe(obj: KubeObject): string {
  const where = obj.metadata?.namespace ? `${obj.metadata.namespace}/` : '';
  return `${obj.kind ?? '(no kind)'} ${where}${obj.metadata?.name ?? '(no name)'}`;
}
