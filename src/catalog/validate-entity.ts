import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  makeValidator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  type Entity,
} from '@backstage/catalog-model';
import { emitRelations, type EmittedRelation } from './relations.ts';

/** The catalog backend's default policies, in its order: schema first so later policies see a sound envelope. */
const policy = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(makeValidator()),
]);

const kindValidators = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
];

const SUPPORTED_KINDS = 'API, Component, Domain, Group, Location, Resource, System, User';

/** Ref lists the catalog sorts before storing, so an entity reads the same from a file as from Backstage. */
const SORTED_SPEC_FIELDS = [
  'providesApis',
  'consumesApis',
  'dependsOn',
  'dependencyOf',
  'memberOf',
  'children',
  'members',
];

export type ValidationResult =
  | { ok: true; entity: Entity; relations: EmittedRelation[] }
  | { ok: false; message: string; path?: string[] };

/** Validates one raw document the way Backstage's catalog would accept it, and emits its relations. */
export async function validateEntity(raw: unknown): Promise<ValidationResult> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      message: `an entity must be a mapping, found ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}`,
    };
  }
  try {
    const entity = await policy.enforce(structuredClone(raw) as Entity);
    if (!entity) return { ok: false, message: 'rejected by the entity policies' };
    if (!(await isKnownKind(entity))) {
      return {
        ok: false,
        message: `unsupported kind "${entity.kind}" with apiVersion "${entity.apiVersion}"; supported kinds: ${SUPPORTED_KINDS}`,
        path: ['kind'],
      };
    }
    sortRefLists(entity);
    return { ok: true, entity, relations: emitRelations(entity) };
  } catch (e) {
    const message = cleanMessage(e instanceof Error ? e.message : String(e));
    const path = errorPath(message);
    return path ? { ok: false, message, path } : { ok: false, message };
  }
}

async function isKnownKind(entity: Entity): Promise<boolean> {
  for (const validator of kindValidators) {
    if (await validator.check(entity)) return true;
  }
  return false;
}

function sortRefLists(entity: Entity): void {
  const spec = entity.spec as Record<string, unknown> | undefined;
  if (!spec) return;
  for (const field of SORTED_SPEC_FIELDS) {
    const value = spec[field];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) value.sort();
  }
}

/** Drops the link to Backstage's file-format ADR that every field-format message ends with. */
export function cleanMessage(message: string): string {
  return message.replace(/\.?\s*To learn more about catalog file format, visit: \S+$/, '').trim();
}

/**
 * Where in the document an error message points, so the problem can name the offending line:
 * JSON-pointer prefixes from schema errors (`/spec must have...`), quoted dotted fields from the
 * field-format policy (`"metadata.name" is not valid`, `"annotations.<key>"`), and our own
 * `spec.field[i]:` prefixes.
 */
export function errorPath(message: string): string[] | undefined {
  const body = message.replace(/^Malformed envelope, /, '');
  const pointer = /^(\/\S*) /.exec(body);
  if (pointer?.[1]) {
    return pointer[1]
      .split('/')
      .slice(1)
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  }
  const quoted = /^"([^"]+)" is not valid/.exec(body);
  if (quoted?.[1]) {
    const [head = '', ...rest] = quoted[1].split('.');
    if (head === 'labels' || head === 'annotations') return ['metadata', head, rest.join('.')];
    if (head === 'tags' || head === 'links') return ['metadata', head, ...rest];
    return [head, ...rest];
  }
  const field = /^(spec\.[A-Za-z]+)(?:\[(\d+)\])?[: ]/.exec(body);
  if (field?.[1]) return [...field[1].split('.'), ...(field[2] === undefined ? [] : [field[2]])];
  return undefined;
}
