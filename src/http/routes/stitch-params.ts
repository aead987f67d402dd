import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { inputError } from '../../errors/errors.ts';
import type { ServiceFilter } from '../../store/types.ts';
import { parseOwnerRef } from '../../topology/owner.ts';
import type { OwnerKind } from '../../topology/types.ts';

type Query = Record<string, unknown>;

/** Refuses query parameters a route does not know: a typo must not silently widen a filter. */
function known(query: Query, allowed: readonly string[]): void {
  const unknown = Object.keys(query).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw inputError(`unknown query parameter ${unknown.join(', ')} (expected ${allowed.join(', ')})`);
  }
}

function text(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw inputError(`${name}: give it once`);
  if (value === '') throw inputError(`${name}: must not be empty`);
  return value;
}

function integer(query: Query, name: string, min: number, max: number): number | undefined {
  const value = text(query, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw inputError(`${name}: expected a whole number from ${min} to ${max}`);
  }
  return n;
}

function boolean(query: Query, name: string): boolean | undefined {
  const value = text(query, name);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw inputError(`${name}: expected true or false`);
  return value === 'true';
}

/** An owner ref as a component's `spec.owner` reads: `team-a` is `group:default/team-a`. */
export function ownerRefParam(value: string, name = 'owner'): string {
  const parsed = parseOwnerRef(value, 'default');
  if (!parsed.ok) throw inputError(`${name}: not a group or user ref (${parsed.message})`);
  return parsed.ref;
}

/** A component ref; kind and namespace default to `component` and `default`. */
export function componentRefParam(value: string, name = 'component'): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind: 'component', defaultNamespace: 'default' }),
    );
  } catch (error) {
    throw inputError(`${name}: not an entity ref (${(error as Error).message})`);
  }
}

export const SERVICE_QUERY = [
  'cluster',
  'namespace',
  'owner',
  'component',
  'unowned',
  'instance',
  'limit',
  'offset',
] as const;

/** `GET /services` filters. `limit` defaults to 1000 and may go up to 10000. */
export function serviceFilter(query: Query): ServiceFilter & { limit: number; offset: number } {
  known(query, SERVICE_QUERY);
  const filter: ServiceFilter & { limit: number; offset: number } = {
    limit: integer(query, 'limit', 1, 10_000) ?? 1000,
    offset: integer(query, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0,
  };
  for (const key of ['cluster', 'namespace', 'instance'] as const) {
    const value = text(query, key);
    if (value !== undefined) filter[key] = value;
  }
  const owner = text(query, 'owner');
  if (owner !== undefined) filter.owner = ownerRefParam(owner);
  const component = text(query, 'component');
  if (component !== undefined) filter.component = componentRefParam(component);
  const unowned = boolean(query, 'unowned');
  if (unowned !== undefined) filter.unowned = unowned;
  return filter;
}

export function ownersFilter(query: Query): { instance?: string; kind?: OwnerKind } {
  known(query, ['instance', 'kind']);
  const out: { instance?: string; kind?: OwnerKind } = {};
  const instance = text(query, 'instance');
  if (instance !== undefined) out.instance = instance;
  const kind = text(query, 'kind');
  if (kind !== undefined) {
    if (kind !== 'group' && kind !== 'user') throw inputError('kind: expected group or user');
    out.kind = kind;
  }
  return out;
}

export function instanceFilter(query: Query): { instance?: string } {
  known(query, ['instance']);
  const instance = text(query, 'instance');
  return instance === undefined ? {} : { instance };
}

export function runsFilter(query: Query): { instance?: string; limit: number } {
  known(query, ['instance', 'limit']);
  const instance = text(query, 'instance');
  return { limit: integer(query, 'limit', 1, 1000) ?? 20, ...(instance === undefined ? {} : { instance }) };
}
