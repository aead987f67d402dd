import { parseAllDocuments } from 'yaml';
import type { Issue } from '../errors/errors.ts';
import { isPlainObject, typeName } from './path.ts';

/**
 * Parses YAML (or JSON) text holding one document of any shape. Problems are reported as
 * `file:line:col` with the parser's message only: the yaml library's "pretty" context echoes the
 * offending source line, which may hold a token, so it is cut off.
 */
export function parseYamlValue(text: string, file: string): { value: unknown; issues: Issue[] } {
  const issues: Issue[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length > 1) {
    issues.push({ path: file, message: 'holds several YAML documents (---); a config file must hold one' });
  }
  // One syntax error cascades into dozens; the first is the one to fix.
  const errors = list.flatMap((doc) => doc.errors);
  const first = errors[0];
  if (first) {
    const where = first.linePos ? `${file}:${first.linePos[0].line}:${first.linePos[0].col}` : file;
    const more = errors.length > 1 ? ` (${errors.length - 1} more after it)` : '';
    issues.push({ path: where, message: `YAML syntax error: ${withoutSourceContext(first.message)}${more}` });
  }
  const doc = list[0];
  if (issues.length > 0 || doc === undefined) return { value: undefined, issues };
  try {
    return { value: doc.toJS({ maxAliasCount: 1000 }) as unknown, issues };
  } catch (error) {
    issues.push({ path: file, message: `YAML error: ${withoutSourceContext((error as Error).message)}` });
    return { value: undefined, issues };
  }
}

/** Parses one config file: its top level must be a mapping; an empty file is an empty config. */
export function parseConfigYaml(
  text: string,
  file: string,
): { value: Record<string, unknown>; issues: Issue[] } {
  const { value, issues } = parseYamlValue(text, file);
  if (issues.length > 0 || value === null || value === undefined) return { value: {}, issues };
  if (!isPlainObject(value)) {
    return {
      value: {},
      issues: [{ path: file, message: `the top level must be a mapping of keys, not ${typeName(value)}` }],
    };
  }
  return { value, issues };
}

/** The parser's message without the source it quotes: the pretty context or a `: "token text"` tail. */
function withoutSourceContext(message: string): string {
  const cut = message.search(/ at line \d+, column \d+:/);
  const text = cut >= 0 ? message.slice(0, cut) : (message.split('\n')[0] ?? message);
  return text.replace(/: ".*"$/s, '').replace(/: '.*'$/s, '');
}
