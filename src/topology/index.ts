/**
 * Stitching catalog Components to Kubernetes Services: pure rules, no I/O. The rules, the field
 * path syntax, the labels and the report reasons are documented in docs/stitching.md.
 *
 * @example
 * const labelMap = validateLabelMap(instanceConfig.label_map, 'scrapers.backstage.instances[0].label_map');
 * if (!labelMap.ok) throw new ConfigError(labelMap.issues);
 * const result = stitch({ instance: 'main', components, groups, users, services, labelMap: labelMap.labelMap, clusters });
 * await store.replaceInstanceResults('main', result, { complete: clusters.map((cluster) => ({ cluster })) });
 */
export { stitch } from './stitch.ts';
export { serviceImpact } from './impact.ts';
export {
  DEFAULT_LABEL_MAP,
  LABEL_MAP_KEYS,
  compileLabelMap,
  resolveField,
  validateLabelMap,
} from './label-map.ts';
export type { CompiledLabelMap, LabelMapKey, LabelMapValidation } from './label-map.ts';
export { parseFieldPath, readFieldPath } from './field-path.ts';
export type { FieldPath, FieldPathParse, FieldPathSegment } from './field-path.ts';
export { entityRefOf, ownerFromEntity, parseOwnerRef } from './owner.ts';
export { attemptText, attemptsText } from './attempts.ts';
export type { OwnerRefParse } from './owner.ts';
export { OwnerLabel, ServiceLabel } from './labels.ts';
export { compareServiceKeys, compareStrings } from './order.ts';
export type * from './types.ts';
