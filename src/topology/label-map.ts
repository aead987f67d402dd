import { ConfigError, type Issue } from '../errors/errors.ts';
import { parseFieldPath, readFieldPath, type FieldPath } from './field-path.ts';
import type { FieldValue, LabelMap, PathAttempt } from './types.ts';

/** The seed's defaults: Backstage's own Kubernetes annotations, and the owner from `spec.owner`. */
export const DEFAULT_LABEL_MAP: LabelMap = Object.freeze({
  component_kubernetes_id: Object.freeze(['annotations.backstage.io/kubernetes-id']),
  component_kubernetes_namespace: Object.freeze(['annotations.backstage.io/kubernetes-namespace']),
  component_owner: Object.freeze(['spec.owner', 'annotations.backstage.io/owner']),
});

export const LABEL_MAP_KEYS = [
  'component_kubernetes_id',
  'component_kubernetes_namespace',
  'component_owner',
] as const;
export type LabelMapKey = (typeof LABEL_MAP_KEYS)[number];

/** A label_map with every path parsed, ready to read components. */
export type CompiledLabelMap = Record<LabelMapKey, readonly FieldPath[]>;

export type LabelMapValidation = { ok: true; labelMap: LabelMap } | { ok: false; issues: Issue[] };

/**
 * Checks a raw `label_map` (from YAML) and fills omitted keys from the defaults. Reports every bad
 * entry with its location under `at`, e.g. `scrapers.backstage.instances[0].label_map.component_owner[1]`.
 *
 * @example
 * validateLabelMap({ component_owner: ['annotations.example.com/team'] }, 'label_map')
 * // → { ok: true, labelMap: { component_kubernetes_id: [...defaults], ..., component_owner: ['annotations.example.com/team'] } }
 */
export function validateLabelMap(raw: unknown, at = 'label_map'): LabelMapValidation {
  if (raw === undefined || raw === null) return { ok: true, labelMap: DEFAULT_LABEL_MAP };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      issues: [{ path: at, message: `must be a mapping with keys ${LABEL_MAP_KEYS.join(', ')}` }],
    };
  }
  const issues: Issue[] = [];
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(LABEL_MAP_KEYS as readonly string[]).includes(key)) {
      issues.push({
        path: `${at}.${key}`,
        message: `unknown key; expected one of ${LABEL_MAP_KEYS.join(', ')}`,
      });
    }
  }
  const labelMap = { ...DEFAULT_LABEL_MAP };
  for (const key of LABEL_MAP_KEYS) {
    const value = record[key];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) {
      issues.push({
        path: `${at}.${key}`,
        message: `must be a list of field paths, e.g. ["${DEFAULT_LABEL_MAP[key][0]}"]`,
      });
      continue;
    }
    if (value.length === 0) {
      issues.push({
        path: `${at}.${key}`,
        message: 'must list at least one field path; omit the key to use the default',
      });
      continue;
    }
    value.forEach((entry: unknown, index) => {
      const where = `${at}.${key}[${index}]`;
      if (typeof entry !== 'string') {
        issues.push({
          path: where,
          message: `must be a string field path, found ${entry === null ? 'null' : typeof entry}`,
        });
        return;
      }
      const parsed = parseFieldPath(entry);
      if (!parsed.ok) issues.push({ path: where, message: parsed.error });
    });
    labelMap[key] = value as string[];
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, labelMap };
}

/** Parses every path of a label_map once; throws a ConfigError listing each bad path. */
export function compileLabelMap(labelMap: LabelMap, at = 'label_map'): CompiledLabelMap {
  const validation = validateLabelMap(labelMap, at);
  if (!validation.ok) throw new ConfigError(validation.issues);
  const compiled = {} as Record<LabelMapKey, FieldPath[]>;
  for (const key of LABEL_MAP_KEYS) {
    compiled[key] = validation.labelMap[key].map((source) => {
      const parsed = parseFieldPath(source);
      if (!parsed.ok) throw new ConfigError([{ path: at, message: parsed.error }]);
      return parsed.path;
    });
  }
  return compiled;
}

/** The first path that yields a non-empty string, with that path; undefined when none does. */
export function resolveField(entity: unknown, paths: readonly FieldPath[]): FieldValue | undefined {
  const { found } = resolveFirst(entity, paths, () => ({ ok: true, result: undefined }));
  return found && { value: found.value, path: found.path };
}

/** What a path's value resolved to, or why it did not. */
export type Acceptance<T> =
  { ok: true; result: T } | { ok: false; attempt: Omit<PathAttempt, 'path' | 'value'> };

/**
 * The first path whose value resolves: each path in order is read, and its value handed to `accept`;
 * a path with no value, or one `accept` refuses, is passed over. `tried` lists those passed over.
 *
 * @example
 * resolveFirst(entity, paths, (v) => (isName(v) ? { ok: true, result: v } : { ok: false, attempt: { reason: 'invalid' } }))
 * // → { found: { value: 'cart', path: 'metadata.name', result: 'cart' }, tried: [{ path: 'annotations.x', reason: 'invalid', value: 'Cart!' }] }
 */
export function resolveFirst<T>(
  entity: unknown,
  paths: readonly FieldPath[],
  accept: (value: string) => Acceptance<T>,
): { found?: FieldValue & { result: T }; tried: PathAttempt[] } {
  const tried: PathAttempt[] = [];
  for (const path of paths) {
    const value = readFieldPath(entity, path);
    if (value === undefined) {
      tried.push({ path: path.source, reason: 'no-value' });
      continue;
    }
    const accepted = accept(value);
    if (accepted.ok) return { found: { value, path: path.source, result: accepted.result }, tried };
    tried.push({ path: path.source, value, ...accepted.attempt });
  }
  return { tried };
}
