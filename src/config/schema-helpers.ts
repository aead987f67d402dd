import { z } from 'zod';
import { oneOfList, quote } from './issues.ts';
import { isPlainObject, typeName } from './path.ts';

/**
 * Shared building blocks for the config schemas. Values that come through `${VAR}` substitution
 * are always strings, so numbers and booleans also accept their string spelling, as Backstage's
 * config reader does.
 */

/** A boolean with a default; `'true'`/`'false'` strings are accepted. */
export function bool(defaultValue: boolean) {
  return z.preprocess(
    (v) => (v === 'true' ? true : v === 'false' ? false : v),
    z.boolean().default(defaultValue),
  );
}

/** A number (checked by `inner`); numeric strings are accepted. */
export function num<T extends z.ZodType = z.ZodNumber>(inner?: T) {
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v),
    (inner ?? z.number()) as T,
  );
}

/** An optional string where `''` means unset, as Backstage's `if (value)` checks treat it. */
export function optString() {
  return z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
}

/** A string that parses as an http(s) URL without credentials in it. The value is never echoed. */
export function httpUrl() {
  return z.string().superRefine((value, ctx) => {
    const problem = urlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

export function optHttpUrl() {
  return z.preprocess((v) => (v === '' ? undefined : v), httpUrl().optional());
}

export function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a valid URL (expected an absolute URL such as https://host:6443)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    // `host:6443` parses with "host:" as its scheme; say what is missing rather than echo it.
    if (!value.includes('://')) return 'not a valid URL: the scheme is missing (e.g. https://host:6443)';
    return `must be an http or https URL, not ${url.protocol.replace(/:$/, '')}`;
  }
  // Error messages and the clusters list show URLs: a password in one would leak into both.
  if (url.username || url.password) {
    return 'must not carry a user name or password (credentials go in the auth settings, not the URL)';
  }
  return undefined;
}

/** One of a fixed set of names, with "unknown <what> "x" (expected one of: ...)" on a miss. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, {
    error: (iss) =>
      iss.input === undefined
        ? `required (${oneOfList(values)})`
        : typeof iss.input === 'string'
          ? `unknown ${what} ${quote(iss.input)} (${oneOfList(values)})`
          : `expected string, received ${typeName(iss.input)}`,
  });
}

/** A `{ group, apiVersion, plural }` custom resource matcher. */
export const customResourceSchema = z.object({
  group: z.string(),
  apiVersion: z.string().min(1),
  plural: z.string().min(1),
});

/** A free-form mapping (frontend-only keys, dashboard parameters): any keys, not checked further. */
export const freeMapping = z.record(z.string(), z.unknown());

/** Metadata values are strings in Backstage; plain scalars are stringified rather than rejected. */
export const stringMap = z.record(
  z.string(),
  z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string()),
);

/**
 * A cross-field rule that still runs when sibling fields failed their own checks, so one run
 * reports every problem. `value` is therefore only as typed as the rule checks it to be.
 */
export function everyTime<T extends z.ZodType>(
  schema: T,
  rule: (value: Record<string, unknown>, ctx: RuleContext) => void,
): T {
  return schema.superRefine(
    (value, ctx) => {
      if (!isPlainObject(value)) return;
      rule(value, {
        error: (path, message) => ctx.addIssue({ code: 'custom', path: [...path], message }),
      });
    },
    { when: () => true },
  ) as unknown as T;
}

export interface RuleContext {
  error(path: readonly (string | number)[], message: string): void;
}

/** The issue messages every config schema shares: names the expected and received types, never values. */
export function configErrorMap(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'required';
      if (iss.expected === 'int' && typeof iss.input === 'number') return 'must be a whole number';
      return `expected ${iss.expected}, received ${typeName(iss.input)}`;
    case 'too_small':
      if (iss.origin === 'string') {
        return iss.minimum === 1 ? 'must not be empty' : `must be at least ${iss.minimum} characters long`;
      }
      if (iss.origin === 'array' || iss.origin === 'set') return `needs at least ${iss.minimum} item(s)`;
      return `must be ${iss.inclusive ? 'at least' : 'greater than'} ${iss.minimum}`;
    case 'too_big':
      if (iss.origin === 'string') return `must be at most ${iss.maximum} characters long`;
      return `must be ${iss.inclusive ? 'at most' : 'less than'} ${iss.maximum}`;
    case 'invalid_value':
      return oneOfList(iss.values.map(String));
    case 'not_multiple_of':
      return 'must be a whole number';
    default:
      return undefined;
  }
}
