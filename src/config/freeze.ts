/**
 * A deep copy with `undefined`-valued keys left out, every object and array frozen: the loaded
 * config is shared by every module, so nobody may change it under the others.
 */
export function deepFreeze<T>(value: T): T {
  return freezeCopy(value) as T;
}

function freezeCopy(value: unknown): unknown {
  if (Array.isArray(value)) return Object.freeze(value.map(freezeCopy));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child !== undefined) out[key] = freezeCopy(child);
  }
  return Object.freeze(out);
}
