import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import type { Issue } from '../errors/errors.ts';
import { formatPath, isPlainObject, type PathSegment } from './path.ts';
import { substitute } from './substitute.ts';
import { parseYamlValue } from './yaml-file.ts';

const INCLUDE_KEYS = ['$file', '$env', '$include'] as const;
type IncludeKey = (typeof INCLUDE_KEYS)[number];
const INCLUDABLE = new Set(['.yaml', '.yml', '.json']);
const MAX_INCLUDE_DEPTH = 16;

export interface TransformedFile {
  value: Record<string, unknown>;
  /** Formatted path of every string leaf → the directory of the file it came from. */
  origins: Map<string, string>;
  errors: Issue[];
  warnings: Issue[];
}

interface Walk {
  env: NodeJS.ProcessEnv;
  origins: Map<string, string>;
  errors: Issue[];
  warnings: Issue[];
}

/**
 * Applies Backstage's value transforms to one parsed config file: `${VAR}` substitution in every
 * string, and the `$env`, `$file` and `$include` value forms. Relative `$file`/`$include` paths
 * resolve against the directory of the file they appear in (the included file's, when nested).
 */
export async function transformConfig(
  value: Record<string, unknown>,
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<TransformedFile> {
  const walk: Walk = { env, origins: new Map(), errors: [], warnings: [] };
  const out = await transformNode(walk, value, [], { file, dir: dirname(file), stack: [file] });
  return {
    value: isPlainObject(out) ? out : {},
    origins: walk.origins,
    errors: walk.errors,
    warnings: walk.warnings,
  };
}

interface Source {
  file: string;
  dir: string;
  /** Files being included, outermost first, to catch include cycles. */
  stack: string[];
}

async function transformNode(walk: Walk, node: unknown, path: PathSegment[], src: Source): Promise<unknown> {
  if (typeof node === 'string') {
    const { value, missing } = substitute(node, walk.env);
    if (value === undefined) {
      walk.warnings.push(unset(path, missing, src));
      return undefined;
    }
    walk.origins.set(formatPath(path), src.dir);
    return value;
  }
  if (Array.isArray(node)) {
    const out: unknown[] = [];
    for (const item of node) {
      const value = await transformNode(walk, item, [...path, out.length], src);
      if (value !== undefined) out.push(value);
    }
    return out;
  }
  if (!isPlainObject(node)) return node;

  const includeKey = INCLUDE_KEYS.find((key) => key in node);
  if (includeKey) return include(walk, node, includeKey, path, src);

  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node)) {
    const value = await transformNode(walk, child, [...path, key], src);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

async function include(
  walk: Walk,
  node: Record<string, unknown>,
  key: IncludeKey,
  path: PathSegment[],
  src: Source,
): Promise<unknown> {
  const fail = (message: string) => {
    walk.errors.push({ path: formatPath(path), message: `${key}: ${message} (in ${src.file})` });
    return undefined;
  };
  if (Object.keys(node).length !== 1) return fail('must be the only key of its object');
  const raw = node[key];
  if (typeof raw !== 'string') return fail('the value must be a string');
  const { value: target, missing } = substitute(raw, walk.env);
  if (target === undefined) return fail(`uses unset environment variable ${missing.join(', ')}`);

  if (key === '$env') {
    const found = walk.env[target]?.trim();
    if (found === undefined) walk.warnings.push(unset(path, [target], src));
    else walk.origins.set(formatPath(path), src.dir);
    return found;
  }

  const [filePart = '', fragment] = target.split(/#(.*)/s);
  const file = resolve(src.dir, filePart);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return fail(`cannot read ${file}: ${describeFsError(error)}`);
  }
  if (key === '$file') {
    walk.origins.set(formatPath(path), src.dir);
    return text.trimEnd();
  }

  if (!INCLUDABLE.has(extname(file))) return fail(`cannot include ${file}: only .yaml, .yml and .json files`);
  if (src.stack.includes(file) || src.stack.length > MAX_INCLUDE_DEPTH) {
    return fail(`include cycle: ${[...src.stack, file].join(' → ')}`);
  }
  const parsed = parseIncluded(text, file);
  if (parsed.error !== undefined) return fail(parsed.error);
  let value = parsed.value;
  for (const part of fragment ? fragment.split('.') : []) {
    if (!isPlainObject(value) || !(part in value)) return fail(`${file} has no value at "${fragment}"`);
    value = value[part];
  }
  return transformNode(walk, value, path, { file, dir: dirname(file), stack: [...src.stack, file] });
}

function parseIncluded(text: string, file: string): { value?: unknown; error?: string } {
  const { value, issues } = parseYamlValue(text, file);
  const first = issues[0];
  if (first) return { error: `cannot parse ${first.path}: ${first.message}` };
  return { value: value ?? null };
}

function unset(path: PathSegment[], names: string[], src: Source): Issue {
  const list = names.map((n) => n || '(empty name)').join(', ');
  return {
    path: formatPath(path),
    message: `environment variable ${list} is not set, so this key is left out (in ${src.file})`,
  };
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return code ?? String((error as Error | undefined)?.message ?? error);
  }
}
