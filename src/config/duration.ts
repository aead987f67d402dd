import { z } from 'zod';
import { isPlainObject, typeName } from './path.ts';

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/;
const MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** The units of Backstage's duration object (`HumanDuration`) that Stitchboard reads. */
const HUMAN_UNIT_MS: Record<string, number> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
};

/** Milliseconds from a number or a bare numeric string (both milliseconds), or a duration such as `500ms`, `5s`, `2m`. */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined;
  const match = DURATION.exec(value);
  if (!match) return undefined;
  const ms = Math.round(Number(match[1]) * (MS[match[2] ?? 'ms'] ?? 1));
  return ms > 0 ? ms : undefined;
}

/**
 * Milliseconds from Backstage's duration object (`{ milliseconds: 60000 }`, or seconds, minutes,
 * hours, summed), or from anything `parseDuration` reads; undefined when it is neither or not positive.
 */
export function parseHumanDuration(value: unknown): number | undefined {
  if (typeof value === 'string' || typeof value === 'number') return parseDuration(value);
  if (!isPlainObject(value)) return undefined;
  let total = 0;
  for (const [unit, amount] of Object.entries(value)) {
    const scale = HUMAN_UNIT_MS[unit];
    const n = typeof amount === 'string' ? Number(amount) : amount;
    if (scale === undefined || typeof n !== 'number' || !Number.isFinite(n) || n < 0) return undefined;
    total += n * scale;
  }
  return total > 0 ? total : undefined;
}

/**
 * A config duration: milliseconds as a number, or a duration string (`500ms`, `5s`, `2m`), read
 * into milliseconds. With `minMs`, shorter durations are refused and the message names the floor.
 */
export function durationSchema(minMs?: number) {
  const message =
    minMs === undefined
      ? 'expected a positive number of milliseconds or a duration such as "500ms", "5s" or "1m"'
      : `expected a duration of at least ${minMs} ms, such as "30s" or "5m"`;
  return z
    .union([z.number(), z.string()], {
      error: (iss) => `expected number or duration, received ${typeName(iss.input)}`,
    })
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined || ms < (minMs ?? 0)) {
        ctx.issues.push({ code: 'custom', input: value, message });
        return z.NEVER;
      }
      return ms;
    });
}
