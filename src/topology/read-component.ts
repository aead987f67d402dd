import type { Entity } from '@backstage/catalog-model';
import { namespaceProblem, serviceNameProblem } from '../kube/names.ts';
import { resolveFirst, type Acceptance, type CompiledLabelMap } from './label-map.ts';
import { entityRefOf, parseOwnerRef } from './owner.ts';
import type { FieldValue, OwnerKind, OwnerResolution, PathAttempt, StitchedComponent } from './types.ts';

function specString(entity: Entity, key: string): string | undefined {
  const spec = entity.spec;
  if (!spec || !Object.hasOwn(spec, key)) return undefined;
  const value = spec[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Accepts a value that is a valid Kubernetes name by `problem`, else passes it over as `invalid`. */
const validName =
  (problem: (value: string) => string | undefined) =>
  (value: string): Acceptance<undefined> => {
    const message = problem(value);
    return message === undefined
      ? { ok: true, result: undefined }
      : { ok: false, attempt: { reason: 'invalid', message } };
  };

/** Attempts worth keeping: any with an unusable value, or all of them when nothing resolved and `always`. */
function kept(tried: PathAttempt[], resolved: boolean, always: boolean): PathAttempt[] | undefined {
  if (tried.length === 0) return undefined;
  if (tried.some((t) => t.reason !== 'no-value') || (!resolved && always)) return tried;
  return undefined;
}

/**
 * The owner: the first `component_owner` path whose value is a group or user ref (parsed as Backstage
 * parses `spec.owner`) that the catalog holds. A value that does not parse, names another kind, or
 * names an owner the catalog lacks is passed over for the next path.
 */
function resolveOwner(
  entity: Entity,
  labelMap: CompiledLabelMap,
  namespace: string,
  ownerInCatalog: (ref: string) => boolean,
): OwnerResolution {
  const { found, tried } = resolveFirst(
    entity,
    labelMap.component_owner,
    (value): Acceptance<{ ref: string; kind: OwnerKind }> => {
      const parsed = parseOwnerRef(value, namespace);
      if (!parsed.ok) return { ok: false, attempt: { reason: 'invalid', message: parsed.message } };
      if (!ownerInCatalog(parsed.ref)) {
        return { ok: false, attempt: { reason: 'not-in-catalog', ref: parsed.ref, kind: parsed.kind } };
      }
      return { ok: true, result: { ref: parsed.ref, kind: parsed.kind } };
    },
  );
  if (!found) return { status: 'unresolved', tried };
  return { status: 'linked', ...found.result, value: found.value, path: found.path, tried };
}

/**
 * Reads what stitching needs from one Component: its catalog facts, the Service name and namespace
 * the label_map points at (the first path whose value is a valid name), and its owner.
 * `ownerInCatalog` answers whether a canonical ref exists.
 */
export function readComponent(
  entity: Entity,
  labelMap: CompiledLabelMap,
  ownerInCatalog: (ref: string) => boolean,
): StitchedComponent {
  const namespace = entity.metadata.namespace ?? 'default';
  const id = resolveFirst(entity, labelMap.component_kubernetes_id, validName(serviceNameProblem));
  const ns = resolveFirst(entity, labelMap.component_kubernetes_namespace, validName(namespaceProblem));
  const field = (found: (FieldValue & { result: unknown }) | undefined) =>
    found && { value: found.value, path: found.path };
  const kubernetesId = field(id.found);
  const kubernetesNamespace = field(ns.found);
  const kubernetesIdTried = kept(id.tried, id.found !== undefined, true);
  const kubernetesNamespaceTried = kept(ns.tried, ns.found !== undefined, false);
  const title = typeof entity.metadata.title === 'string' ? entity.metadata.title : undefined;
  const type = specString(entity, 'type');
  const lifecycle = specString(entity, 'lifecycle');
  const system = specString(entity, 'system');

  return {
    ref: entityRefOf(entity),
    name: entity.metadata.name,
    namespace,
    ...(title !== undefined && { title }),
    ...(type !== undefined && { type }),
    ...(lifecycle !== undefined && { lifecycle }),
    ...(system !== undefined && { system }),
    ...(kubernetesId && { kubernetesId }),
    ...(kubernetesNamespace && { kubernetesNamespace }),
    ...(kubernetesIdTried && { kubernetesIdTried }),
    ...(kubernetesNamespaceTried && { kubernetesNamespaceTried }),
    owner: resolveOwner(entity, labelMap, namespace, ownerInCatalog),
  };
}
