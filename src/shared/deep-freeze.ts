/**
 * Freezes `value` and everything reachable from it, in place, and returns it. A subtree already frozen is
 * taken as frozen throughout (objects are frozen bottom-up here, and shared frozen subtrees are common).
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
