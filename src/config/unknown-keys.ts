import type { z } from 'zod';
import type { Issue } from '../errors/errors.ts';
import { formatPath, isPlainObject, type PathSegment } from './path.ts';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  valueType?: z.ZodType;
  values?: unknown[];
}

const defOf = (schema: z.ZodType): Def => schema._zod.def as unknown as Def;

/**
 * Keys in `value` that `schema` does not declare, as warnings: Backstage ignores unknown keys, so
 * they are not errors, but a typo such as `authprovider` deserves a word, with a suggestion.
 */
export function unknownKeyWarnings(schema: z.ZodType, value: unknown): Issue[] {
  const found: Issue[] = [];
  walk(schema, value, [], found);
  return found;
}

function walk(schema: z.ZodType, value: unknown, path: PathSegment[], found: Issue[]): void {
  const def = defOf(schema);
  if (def.innerType) return walk(def.innerType, value, path, found);
  switch (def.type) {
    case 'pipe': {
      const input = def.in && defOf(def.in).type === 'transform' ? def.out : def.in;
      if (input) walk(input, value, path, found);
      return;
    }
    case 'array':
      if (Array.isArray(value) && def.element) {
        value.forEach((item, index) => walk(def.element as z.ZodType, item, [...path, index], found));
      }
      return;
    case 'union': {
      const option = pickOption(def, value);
      if (option) walk(option, value, path, found);
      return;
    }
    case 'record':
      if (isPlainObject(value) && def.valueType) {
        for (const [key, child] of Object.entries(value)) walk(def.valueType, child, [...path, key], found);
      }
      return;
    case 'object':
      if (isPlainObject(value) && def.shape) walkObject(def, value, path, found);
      return;
    default:
      return;
  }
}

function walkObject(def: Def, value: Record<string, unknown>, path: PathSegment[], found: Issue[]): void {
  const shape = def.shape ?? {};
  const known = Object.keys(shape);
  for (const [key, child] of Object.entries(value)) {
    const childSchema = shape[key];
    if (childSchema) walk(childSchema, child, [...path, key], found);
    else if (!def.catchall) {
      const hint = suggest(key, known);
      const what = path.length === 0 ? 'not a section Stitchboard uses' : 'not a key Stitchboard knows';
      found.push({
        path: formatPath([...path, key]),
        message: `${what} (ignored)${hint ? `; did you mean ${JSON.stringify(hint)}?` : ''}`,
      });
    }
  }
}

/** The union member that applies to `value`: by discriminator when there is one, else by shape. */
function pickOption(def: Def, value: unknown): z.ZodType | undefined {
  const options = def.options ?? [];
  if (def.discriminator && isPlainObject(value)) {
    const tag = value[def.discriminator];
    return options.find((option) => {
      const field = defOf(option).shape?.[def.discriminator as string];
      return field !== undefined && (defOf(field).values ?? []).includes(tag);
    });
  }
  return options.find((option) => {
    const type = defOf(option).type;
    return isPlainObject(value) ? type === 'object' : Array.isArray(value) ? type === 'array' : false;
  });
}

function suggest(key: string, known: string[]): string | undefined {
  const lower = key.toLowerCase();
  const exact = known.find((k) => k.toLowerCase() === lower);
  if (exact) return exact;
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best && key.length >= 3 ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
