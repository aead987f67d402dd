import type { Entity } from '@backstage/catalog-model';
import { resolveField, type CompiledLabelMap } from './label-map.ts';
import { entityRefOf, parseOwnerRef } from './owner.ts';
import type { OwnerResolution, StitchedComponent } from './types.ts';

function specString(entity: Entity, key: string): string | undefined {
  const spec = entity.spec;
  if (!spec || !Object.hasOwn(spec, key)) return undefined;
  const value = spec[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Reads what stitching needs from one Component: its catalog facts, the Service name and namespace
 * the label_map points at, and its owner. `ownerInCatalog` answers whether a canonical ref exists.
 */
export function readComponent(
  entity: Entity,
  labelMap: CompiledLabelMap,
  ownerInCatalog: (ref: string) => boolean,
): StitchedComponent {
  const namespace = entity.metadata.namespace ?? 'default';
  const kubernetesId = resolveField(entity, labelMap.component_kubernetes_id);
  const kubernetesNamespace = resolveField(entity, labelMap.component_kubernetes_namespace);
  const title = typeof entity.metadata.title === 'string' ? entity.metadata.title : undefined;
  const type = specString(entity, 'type');
  const lifecycle = specString(entity, 'lifecycle');
  const system = specString(entity, 'system');

  let owner: OwnerResolution = { status: 'unresolved' };
  const ownerValue = resolveField(entity, labelMap.component_owner);
  if (ownerValue) {
    const parsed = parseOwnerRef(ownerValue.value, namespace);
    if (!parsed.ok) {
      owner = { status: 'invalid', value: ownerValue.value, path: ownerValue.path, message: parsed.message };
    } else {
      owner = {
        status: ownerInCatalog(parsed.ref) ? 'linked' : 'not-in-catalog',
        ref: parsed.ref,
        kind: parsed.kind,
        value: ownerValue.value,
        path: ownerValue.path,
      };
    }
  }

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
    owner,
  };
}
