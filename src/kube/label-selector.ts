import { deepFreeze } from '../shared/deep-freeze.ts';

/**
 * Kubernetes label selectors (`app=x,tier!=db,env in (a,b),!legacy`): parsed into requirements so a
 * malformed `backstage.io/kubernetes-label-selector` annotation gets a clear error before any cluster is
 * asked, and so cached objects can be matched without a round trip.
 */
export type Requirement =
  { key: string; op: 'exists' | 'notexists' } | { key: string; op: 'in' | 'notin'; values: string[] };

export type SelectorResult =
  { ok: true; requirements: readonly Requirement[] } | { ok: false; error: string };

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/**
 * The selector's requirements, or what is wrong with it. Results are frozen and kept by selector text: every
 * query of an entity parses the same selector (in the fan-out and again in the watch cache), and the parse
 * (a split and a few regular expressions per requirement) showed in the profile of every repeated answer.
 * Bounded: past `MAX_KEPT` distinct selectors it starts over.
 */
export function parseLabelSelector(selector: string): SelectorResult {
  let result = parsed.get(selector);
  if (result) return result;
  if (parsed.size >= MAX_KEPT) parsed.clear();
  result = deepFreeze(parse(selector));
  parsed.set(selector, result);
  return result;
}

const parsed = new Map<string, SelectorResult>();
const MAX_KEPT = 10_000;

function parse(selector: string): SelectorResult {
  const requirements: Requirement[] = [];
  for (const part of splitTopLevel(selector)) {
    const text = part.trim();
    if (!text) {
      if (selector.trim() === '') continue;
      return { ok: false, error: 'empty requirement (two commas in a row, or a trailing comma)' };
    }
    const parsed = parseRequirement(text);
    if (typeof parsed === 'string') return { ok: false, error: parsed };
    requirements.push(parsed);
  }
  return { ok: true, requirements };
}

function parseRequirement(text: string): Requirement | string {
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (set) {
    const [, key = '', op, list = ''] = set;
    const values = list.split(',').map((v) => v.trim());
    const bad = values.find((v) => !VALUE.test(v));
    if (!KEY.test(key)) return `invalid label key "${key}"`;
    if (bad !== undefined) return `invalid label value "${bad}" in "${text}"`;
    return { key, op: op === 'in' ? 'in' : 'notin', values };
  }
  const eq = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(text);
  if (eq) {
    const [, key = '', op, value = ''] = eq;
    if (!KEY.test(key)) return `invalid label key "${key}"`;
    if (!VALUE.test(value)) return `invalid label value "${value}" in "${text}"`;
    return { key, op: op === '!=' ? 'notin' : 'in', values: [value] };
  }
  const neg = text.startsWith('!');
  const key = neg ? text.slice(1).trim() : text;
  if (!KEY.test(key)) return `cannot parse requirement "${text}"`;
  return { key, op: neg ? 'notexists' : 'exists' };
}

/** Splits on commas that are not inside an `in (...)` list. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(selector.slice(start));
  return parts;
}

export function matchesLabels(
  requirements: readonly Requirement[],
  labels: Record<string, string> = {},
): boolean {
  return requirements.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      case 'in':
        return has && r.values.includes(labels[r.key] as string);
      case 'notin':
        return !has || !r.values.includes(labels[r.key] as string);
    }
  });
}
