/** One step into a config tree: an object key or an array index. */
export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/**
 * Formats a config path the way users read it in YAML:
 * `kubernetes.clusterLocatorMethods[0].clusters[2].authMetadata["kubernetes.io/auth-provider"]`.
 */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A JSON-ish type name for messages; never the value itself, which may be a secret. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value === undefined) return 'nothing';
  return typeof value;
}

const SEGMENT = /\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;

/** The inverse of `formatPath`; undefined for text that is not a formatted path. */
export function parsePath(text: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < text.length) {
    const match = SEGMENT.exec(text);
    if (!match) return undefined;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3] ?? '""') as string);
  }
  return segments;
}

/**
 * Where a path sits in a document, as a sortable tuple: key positions follow the (YAML) insertion
 * order of each object; keys the document lacks sort after the ones it has.
 */
export function documentPosition(root: unknown, segments: readonly PathSegment[]): number[] {
  const position: number[] = [];
  let node = root;
  for (const segment of segments) {
    if (typeof segment === 'number') position.push(segment);
    else {
      position.push(
        isPlainObject(node) && segment in node ? Object.keys(node).indexOf(segment) : Number.MAX_SAFE_INTEGER,
      );
    }
    node =
      node !== null && typeof node === 'object' ? (node as Record<PathSegment, unknown>)[segment] : undefined;
  }
  return position;
}

export function comparePositions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}
