import type { NormalizeContext } from './normalize-context.ts';
import { isPlainObject, typeName, type PathSegment } from './path.ts';
import { parseHumanDuration } from './duration.ts';

export const DEFAULT_MIDDLEWARE_CACHE = { maxSize: 100, ttlMs: 60_000 } as const;

/**
 * `kubernetes.proxy.middlewareCache`: Backstage falls back to its defaults for a bad value, so we
 * do too, with a warning. `ttl` is Backstage's duration object (`{ milliseconds: 60000 }`, or
 * seconds/minutes/hours) or a duration string such as `"60s"`.
 */
export function normalizeMiddlewareCache(
  raw: unknown,
  path: PathSegment[],
  ctx: NormalizeContext,
): { maxSize: number; ttlMs: number } {
  const out: { maxSize: number; ttlMs: number } = { ...DEFAULT_MIDDLEWARE_CACHE };
  if (raw === undefined) return out;
  if (!isPlainObject(raw)) {
    ctx.issues.warn(
      path,
      `expected a mapping, received ${typeName(raw)}; using the defaults (maxSize 100, ttl 60s)`,
    );
    return out;
  }
  if (raw.maxSize !== undefined) {
    const size = typeof raw.maxSize === 'string' ? Number(raw.maxSize) : raw.maxSize;
    if (typeof size === 'number' && Number.isInteger(size) && size >= 1) out.maxSize = size;
    else ctx.issues.warn([...path, 'maxSize'], 'expected a whole number ≥ 1; using the default 100');
  }
  if (raw.ttl !== undefined) {
    const ms = parseHumanDuration(raw.ttl);
    if (ms !== undefined) out.ttlMs = ms;
    else {
      ctx.issues.warn(
        [...path, 'ttl'],
        'expected { milliseconds: N } (or seconds/minutes/hours) or a duration such as "60s"; using the default 60000 ms',
      );
    }
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'maxSize' && key !== 'ttl') {
      ctx.issues.warn([...path, key], 'not a key Stitchboard knows (ignored)');
    }
  }
  return out;
}
