import {
  RELATION_API_CONSUMED_BY,
  RELATION_API_PROVIDED_BY,
  RELATION_CHILD_OF,
  RELATION_CONSUMES_API,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_MEMBER,
  RELATION_HAS_PART,
  RELATION_MEMBER_OF,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PARENT_OF,
  RELATION_PART_OF,
  RELATION_PROVIDES_API,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
  type EntityRelation,
} from '@backstage/catalog-model';

/** One relation emitted while processing an entity; it is stored on `source`, which may be another entity. */
export interface EmittedRelation {
  source: string;
  type: string;
  target: string;
}

interface RelationRule {
  field: string;
  /** Kind assumed when a ref has none; unset means the ref must name its kind (`resource:my-cluster`). */
  defaultKind?: string;
  outgoing: string;
  incoming: string;
}

const owner: RelationRule = {
  field: 'owner',
  defaultKind: 'Group',
  outgoing: RELATION_OWNED_BY,
  incoming: RELATION_OWNER_OF,
};
const system: RelationRule = {
  field: 'system',
  defaultKind: 'System',
  outgoing: RELATION_PART_OF,
  incoming: RELATION_HAS_PART,
};
const dependsOn: RelationRule = {
  field: 'dependsOn',
  outgoing: RELATION_DEPENDS_ON,
  incoming: RELATION_DEPENDENCY_OF,
};
const dependencyOf: RelationRule = {
  field: 'dependencyOf',
  outgoing: RELATION_DEPENDENCY_OF,
  incoming: RELATION_DEPENDS_ON,
};

/** The spec fields Backstage's BuiltinKindsEntityProcessor turns into relations, per kind. */
const RULES: Record<string, RelationRule[]> = {
  component: [
    owner,
    {
      field: 'subcomponentOf',
      defaultKind: 'Component',
      outgoing: RELATION_PART_OF,
      incoming: RELATION_HAS_PART,
    },
    {
      field: 'providesApis',
      defaultKind: 'API',
      outgoing: RELATION_PROVIDES_API,
      incoming: RELATION_API_PROVIDED_BY,
    },
    {
      field: 'consumesApis',
      defaultKind: 'API',
      outgoing: RELATION_CONSUMES_API,
      incoming: RELATION_API_CONSUMED_BY,
    },
    dependsOn,
    dependencyOf,
    system,
  ],
  api: [owner, system],
  resource: [owner, dependsOn, dependencyOf, system],
  user: [
    { field: 'memberOf', defaultKind: 'Group', outgoing: RELATION_MEMBER_OF, incoming: RELATION_HAS_MEMBER },
  ],
  group: [
    { field: 'parent', defaultKind: 'Group', outgoing: RELATION_CHILD_OF, incoming: RELATION_PARENT_OF },
    { field: 'children', defaultKind: 'Group', outgoing: RELATION_PARENT_OF, incoming: RELATION_CHILD_OF },
    { field: 'members', defaultKind: 'User', outgoing: RELATION_HAS_MEMBER, incoming: RELATION_MEMBER_OF },
  ],
  system: [
    owner,
    { field: 'domain', defaultKind: 'Domain', outgoing: RELATION_PART_OF, incoming: RELATION_HAS_PART },
  ],
  domain: [
    owner,
    { field: 'subdomainOf', defaultKind: 'Domain', outgoing: RELATION_PART_OF, incoming: RELATION_HAS_PART },
  ],
};

/**
 * The relations one entity emits, both directions, with refs lower-cased as the catalog stores them.
 * Throws an Error naming the field when a ref cannot be parsed (Backstage fails the entity the same way).
 */
export function emitRelations(entity: Entity): EmittedRelation[] {
  const self = getCompoundEntityRef(entity);
  const selfRef = stringifyEntityRef(self);
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const out: EmittedRelation[] = [];
  for (const rule of RULES[entity.kind.toLowerCase()] ?? []) {
    const value = spec[rule.field];
    if (value === undefined || value === null) continue;
    const targets = Array.isArray(value) ? value : [value];
    targets.forEach((target, i) => {
      const where = Array.isArray(value) ? `spec.${rule.field}[${i}]` : `spec.${rule.field}`;
      const targetRef = parseTarget(target, where, {
        defaultKind: rule.defaultKind,
        defaultNamespace: self.namespace,
      });
      out.push({ source: selfRef, type: rule.outgoing, target: targetRef });
      out.push({ source: targetRef, type: rule.incoming, target: selfRef });
    });
  }
  return out;
}

function parseTarget(
  target: unknown,
  where: string,
  context: { defaultKind?: string; defaultNamespace: string },
): string {
  if (typeof target !== 'string') {
    throw new Error(`${where} must be an entity ref string, found ${JSON.stringify(target)}`);
  }
  try {
    return stringifyEntityRef(parseEntityRef(target, context));
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Groups emitted relations by source, as the catalog's stitcher does: distinct, ordered by type then
 * target. Relations whose source is not a known entity are dropped, since there is nothing to attach them to.
 */
export function attachRelations(
  emitted: Iterable<EmittedRelation>,
  known: ReadonlySet<string>,
): Map<string, EntityRelation[]> {
  const bySource = new Map<string, Set<string>>();
  for (const r of emitted) {
    if (!known.has(r.source)) continue;
    let set = bySource.get(r.source);
    if (!set) bySource.set(r.source, (set = new Set()));
    set.add(`${r.type}\u0000${r.target}`);
  }
  const result = new Map<string, EntityRelation[]>();
  for (const [source, set] of bySource) {
    const relations = [...set].sort().map((key) => {
      const [type = '', targetRef = ''] = key.split('\u0000');
      return { type, targetRef };
    });
    result.set(source, relations);
  }
  return result;
}
