/**
 * Field paths into a catalog entity, as written in a `label_map`.
 *
 * - Dot-separated keys from the entity root: `spec.owner`, `metadata.name`, `spec.profile.email`.
 * - `annotations.<key>` and `labels.<key>` are shorthands for `metadata.annotations` and
 *   `metadata.labels`, and everything after the first dot is one key, dots and slashes included:
 *   `annotations.backstage.io/kubernetes-id` reads the annotation `backstage.io/kubernetes-id`.
 *   The same holds after `metadata.annotations.` and `metadata.labels.`, since those maps are flat.
 * - A bracket form names any key exactly, anywhere: `metadata.annotations["a.b/c"]`, `spec['x.y']`.
 *   Inside quotes, `\"`, `\'` and `\\` escape. `[0]` indexes a list: `metadata.tags[0]`.
 *
 * The path must start at an entity root field (`apiVersion`, `kind`, `metadata`, `spec`, `relations`,
 * `status`) or at one of the two shorthands.
 */

export type FieldPathSegment = string | number;

export interface FieldPath {
  /** The path as written; reported back as the source of a value. */
  source: string;
  segments: FieldPathSegment[];
}

export type FieldPathParse = { ok: true; path: FieldPath } | { ok: false; error: string };

const ROOTS = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status']);
const SHORTHANDS: Record<string, string[]> = {
  annotations: ['metadata', 'annotations'],
  labels: ['metadata', 'labels'],
};

/** True when the segments so far address a flat string map whose keys may contain dots. */
function isFlatMap(segments: readonly FieldPathSegment[]): boolean {
  return (
    segments.length === 2 &&
    segments[0] === 'metadata' &&
    (segments[1] === 'annotations' || segments[1] === 'labels')
  );
}

export function parseFieldPath(source: string): FieldPathParse {
  const fail = (error: string): FieldPathParse => ({
    ok: false,
    error: `${error} in field path ${JSON.stringify(source)}`,
  });
  if (source.length === 0) return { ok: false, error: 'field path is empty' };
  if (source.trim() !== source) return fail('leading or trailing whitespace');

  const segments: FieldPathSegment[] = [];
  let i = 0;
  let expectKey = true;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '[') {
      const bracket = readBracket(source, i);
      if ('error' in bracket) return fail(bracket.error);
      segments.push(bracket.segment);
      i = bracket.end;
      expectKey = false;
      continue;
    }
    if (!expectKey) {
      if (ch !== '.') return fail(`expected "." or "[" at position ${i}`);
      i += 1;
      if (i === source.length) return fail('trailing "."');
      if (isFlatMap(segments) && source[i] !== '[') {
        const key = source.slice(i);
        const bad = badPlainKey(key, i);
        if (bad) return fail(bad);
        segments.push(key);
        break;
      }
      expectKey = true;
      continue;
    }
    let end = i;
    while (end < source.length && !'.[]'.includes(source[end] as string)) end += 1;
    if (end === i) return fail(`empty key at position ${i}`);
    const key = source.slice(i, end);
    const bad = badPlainKey(key, i);
    if (bad) return fail(bad);
    if (segments.length === 0 && Object.hasOwn(SHORTHANDS, key)) {
      segments.push(...(SHORTHANDS[key] as string[]));
    } else segments.push(key);
    i = end;
    expectKey = false;
  }

  const root = segments[0];
  if (typeof root !== 'string' || !ROOTS.has(root)) {
    return fail(
      `unknown root ${JSON.stringify(root)}: start at apiVersion, kind, metadata, spec, relations, status, annotations or labels`,
    );
  }
  if (isFlatMap(segments) && segments.length === 2) return fail('missing the key after the map');
  return { ok: true, path: { source, segments } };
}

/** Quotes and spaces in an unbracketed key are almost always a mistaken attempt at the bracket form. */
function badPlainKey(key: string, at: number): string | undefined {
  const match = /["'\s\\[\]]/.exec(key);
  if (!match) return undefined;
  return `unexpected ${JSON.stringify(match[0])} at position ${at + match.index}; write keys like that as ["..."]`;
}

function readBracket(
  source: string,
  start: number,
): { segment: FieldPathSegment; end: number } | { error: string } {
  const quote = source[start + 1];
  if (quote === '"' || quote === "'") {
    let key = '';
    let i = start + 2;
    while (i < source.length && source[i] !== quote) {
      if (source[i] === '\\') {
        const next = source[i + 1];
        if (next !== quote && next !== '\\' && next !== '"' && next !== "'") {
          return { error: `unknown escape at position ${i}` };
        }
        key += next;
        i += 2;
      } else {
        key += source[i];
        i += 1;
      }
    }
    if (i >= source.length) return { error: `unterminated quote starting at position ${start + 1}` };
    if (source[i + 1] !== ']') return { error: `expected "]" at position ${i + 1}` };
    if (key === '') return { error: `empty key at position ${start}` };
    return { segment: key, end: i + 2 };
  }
  const close = source.indexOf(']', start);
  const inner = close === -1 ? '' : source.slice(start + 1, close);
  if (!/^(0|[1-9]\d*)$/.test(inner)) {
    return { error: `a bracket at position ${start} must hold a quoted key or a list index` };
  }
  return { segment: Number(inner), end: close + 1 };
}

/**
 * The trimmed string at `path` in `entity`, or undefined when a step is missing, the value is not a
 * string, or it is blank. Only own properties are followed, so `constructor` and friends read nothing.
 */
export function readFieldPath(entity: unknown, path: FieldPath): string | undefined {
  let node: unknown = entity;
  for (const segment of path.segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(node) || segment >= node.length) return undefined;
      node = node[segment];
    } else {
      if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, segment)) {
        return undefined;
      }
      node = (node as Record<string, unknown>)[segment];
    }
  }
  if (typeof node !== 'string') return undefined;
  const value = node.trim();
  return value === '' ? undefined : value;
}
