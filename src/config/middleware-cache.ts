import type { NormalizeContext } from './normalize-context.ts';
import { isPlainObject, typeName, type PathSegment } from './path.ts';
import { parseDuration } from './size.ts';

export const DEFAULT_MIDDLEWARE_CACHE = { maxSize: 100, ttlMs: 60_000 } as const;

const UNIT_MS: Record<string, number> = { milliseconds: 1, seconds: 1000, minutes: 60_000, hours: 3_600_000 };

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
    const ms = ttlMs(raw.ttl);
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

function ttlMs(ttl: unknown): number | undefined {
  if (typeof ttl === 'string' || typeof ttl === 'number') return parseDuration(ttl);
  if (!isPlainObject(ttl)) return undefined;
  let total = 0;
  for (const [unit, amount] of Object.entries(ttl)) {
    const scale = UNIT_MS[unit];
    const value = typeof amount === 'string' ? Number(amount) : amount;
    if (scale === undefined || typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      return undefined;
    }
    total += value * scale;
  }
  return total > 0 ? total : undefined;
}
