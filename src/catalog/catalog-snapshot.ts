import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { EntityFilter, EntityProblem } from './types.ts';
import { attachRelations, type EmittedRelation } from './relations.ts';
import { validateEntity } from './validate-entity.ts';
import { parseYamlDocuments } from './yaml-documents.ts';
import { deepFreeze } from '../shared/deep-freeze.ts';

/** An immutable, indexed set of valid entities and the problems met while building it. */
export interface CatalogSnapshot {
  /** Keyed by the lower-cased full ref (`component:default/checkout`). */
  byRef: ReadonlyMap<string, Entity>;
  entities: readonly Entity[];
  problems: readonly EntityProblem[];
}

export interface CatalogFile {
  path: string;
  text: string;
}

/**
 * Validates every document of every file, keeps the first entity of each ref, and attaches relations
 * the way the catalog stitches them: an entity carries every relation whose source it is, including the
 * reverse ones other entities emit (`ownerOf` on a group comes from a component's `spec.owner`).
 */
export async function buildSnapshot(files: readonly CatalogFile[]): Promise<CatalogSnapshot> {
  const problems: EntityProblem[] = [];
  const accepted = new Map<string, { entity: Entity; location: string; relations: EmittedRelation[] }>();

  for (const file of files) {
    const parsed = parseYamlDocuments(file.path, file.text);
    problems.push(...parsed.problems);
    for (const doc of parsed.documents) {
      const result = await validateEntity(doc.raw);
      if (!result.ok) {
        problems.push({
          location: doc.locate(result.path),
          message: `${describe(doc.raw)}: ${result.message}`,
        });
        continue;
      }
      const ref = stringifyEntityRef(result.entity);
      const first = accepted.get(ref);
      if (first) {
        problems.push({
          location: doc.location,
          message: `duplicate entity ${ref}, already defined at ${first.location}`,
        });
        continue;
      }
      accepted.set(ref, { entity: result.entity, location: doc.location, relations: result.relations });
    }
  }

  const relations = attachRelations(
    [...accepted.values()].flatMap((a) => a.relations),
    new Set(accepted.keys()),
  );
  const byRef = new Map<string, Entity>();
  for (const [ref, { entity }] of accepted) {
    byRef.set(ref, deepFreeze({ ...entity, relations: relations.get(ref) ?? [] }));
  }
  return { byRef, entities: [...byRef.values()], problems };
}

/** `Component "checkout"`, or as much of it as the raw document has, so a problem says which entity it is. */
function describe(raw: unknown): string {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as {
    kind?: unknown;
    metadata?: { name?: unknown };
  };
  const kind = typeof r.kind === 'string' ? r.kind : 'entity';
  const name = typeof r.metadata?.name === 'string' ? ` "${r.metadata.name}"` : '';
  return `${kind}${name}`;
}

export function matchesFilter(entity: Entity, filter: EntityFilter): boolean {
  if (filter.kinds && filter.kinds.length > 0) {
    const kind = entity.kind.toLowerCase();
    if (!filter.kinds.some((k) => k.toLowerCase() === kind)) return false;
  }
  if (filter.specType !== undefined) {
    const type = (entity.spec as { type?: unknown } | undefined)?.type;
    if (typeof type !== 'string' || type.toLowerCase() !== filter.specType.toLowerCase()) return false;
  }
  return true;
}
