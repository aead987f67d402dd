import { parseFieldPath } from '../topology/field-path.ts';
import type { LabelMap } from '../topology/types.ts';

/** What stitching reads from every Component besides its label_map paths (see topology/read-component.ts). */
const COMPONENT_BASE = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.type',
  'spec.lifecycle',
  'spec.system',
];

/** What an owner needs from a Group or User (see topology/owner.ts). */
export const OWNER_FIELDS: readonly string[] = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.profile',
];

/**
 * The Catalog API `fields=` projection for Components: only what stitching reads travels. The catalog
 * splits each field on dots, so a label_map path is cut before the first key it cannot express that
 * way (a key with a dot, such as an annotation name, or a list index), and the whole map or object
 * above it is fetched instead: `annotations.backstage.io/kubernetes-id` needs `metadata.annotations`.
 *
 * @example
 * componentFields(DEFAULT_LABEL_MAP) // [..., 'metadata.annotations', 'spec.owner']
 */
export function componentFields(labelMap: LabelMap): string[] {
  const fields = new Set(COMPONENT_BASE);
  for (const paths of [
    labelMap.component_kubernetes_id,
    labelMap.component_kubernetes_namespace,
    labelMap.component_owner,
  ]) {
    for (const source of paths) {
      const parsed = parseFieldPath(source);
      // Invalid paths are refused by config validation; one that slipped through asks for nothing.
      if (parsed.ok) fields.add(projectionOf(parsed.path.segments));
    }
  }
  return minimal([...fields]);
}

function projectionOf(segments: readonly (string | number)[]): string {
  const kept: string[] = [];
  for (const segment of segments) {
    if (typeof segment !== 'string' || segment.includes('.')) break;
    kept.push(segment);
    // Annotations and labels are flat maps whose keys hold dots and slashes: fetch the whole map.
    if (kept.length === 2 && kept[0] === 'metadata' && (kept[1] === 'annotations' || kept[1] === 'labels')) {
      break;
    }
  }
  return kept.join('.');
}

/** Drops a field another one already covers (`spec` covers `spec.owner`), and sorts the rest. */
function minimal(fields: string[]): string[] {
  const sorted = [...new Set(fields)].filter(Boolean).sort();
  return sorted.filter((field) => !sorted.some((other) => other !== field && field.startsWith(`${other}.`)));
}
