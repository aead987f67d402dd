import { parseEntityRef, stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { ownerLabels } from './labels.ts';
import type { OwnerKind, ServiceOwner } from './types.ts';

export type OwnerRefParse =
  | { ok: true; ref: string; kind: OwnerKind; namespace: string; name: string }
  | { ok: false; message: string };

/**
 * Reads an owner value the way Backstage's catalog reads `spec.owner`: the kind defaults to `group`
 * and the namespace to the component's own. `team-a` in namespace `shop` is `group:shop/team-a`;
 * `user:jdoe` is `user:shop/jdoe`; `group:ops/sre` stays as written. Refs come back in Backstage's
 * canonical lower-case form. Only groups and users can own a Service.
 */
export function parseOwnerRef(value: string, componentNamespace: string): OwnerRefParse {
  let parsed: { kind: string; namespace: string; name: string };
  try {
    parsed = parseEntityRef(value, { defaultKind: 'group', defaultNamespace: componentNamespace });
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const kind = parsed.kind.toLocaleLowerCase('en-US');
  if (kind !== 'group' && kind !== 'user') {
    return { ok: false, message: `an owner must be a group or a user, not kind "${parsed.kind}"` };
  }
  const ref = stringifyEntityRef({ kind, namespace: parsed.namespace, name: parsed.name });
  return { ok: true, ref, kind, namespace: parsed.namespace.toLocaleLowerCase('en-US'), name: parsed.name };
}

/** The canonical ref of any entity: `kind:namespace/name`, lower case, namespace defaulting to `default`. */
export function entityRefOf(entity: Entity): string {
  return stringifyEntityRef(entity);
}

function stringAt(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field.trim() !== '' ? field.trim() : undefined;
}

/** A catalog Group or User as a ServiceOwner; undefined for any other kind. */
export function ownerFromEntity(entity: Entity, instance: string): ServiceOwner | undefined {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  if (kind !== 'group' && kind !== 'user') return undefined;
  const profile = entity.spec?.profile;
  const email = stringAt(profile, 'email');
  const owner: Omit<ServiceOwner, 'labels'> = {
    ref: entityRefOf(entity),
    kind,
    namespace: (entity.metadata.namespace ?? 'default').toLocaleLowerCase('en-US'),
    name: entity.metadata.name,
    displayName: stringAt(profile, 'displayName') ?? entity.metadata.name,
    ...(email !== undefined && { email }),
  };
  return { ...owner, labels: ownerLabels(owner, instance) };
}
