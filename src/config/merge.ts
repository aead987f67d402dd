import { isPlainObject } from './path.ts';

/**
 * Backstage-style merge of config files, later files winning: objects merge key by key, arrays
 * and scalars replace. A `null` (an empty YAML value such as `dashboardUrl:`) means "not set": it
 * removes what earlier files gave, and never reaches validation.
 */
export function mergeConfigs(layers: readonly Record<string, unknown>[]): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  for (const layer of layers) out = mergeObjects(out, layer);
  return out;
}

function mergeObjects(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    if (value === null || value === undefined) delete out[key];
    else if (isPlainObject(prior) && isPlainObject(value)) out[key] = mergeObjects(prior, value);
    else out[key] = withoutNulls(value);
  }
  return out;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child !== null && child !== undefined) out[key] = withoutNulls(child);
  }
  return out;
}
