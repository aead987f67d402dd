import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import type { CustomResourceMatcher, KubernetesRequestAuth } from '../../contract/kubernetes.ts';
import { forbidden, inputError } from '../../errors/errors.ts';

/**
 * Request bodies of the Backstage Kubernetes routes, checked in Backstage's order and with its
 * messages where Backstage has one. Pure: the catalog lookup happens in the route, after these.
 * Messages name the field and never echo a value from `auth`, which holds tokens.
 */

const TOKEN_VALUE = 'must be a token string or an object mapping names to token strings';

const requestAuth = z
  .record(z.string(), z.union([z.string(), z.record(z.string(), z.string())], { error: TOKEN_VALUE }), {
    error: 'must be an object mapping auth providers to tokens',
  })
  .nullish();

const NON_EMPTY = 'must be a non-empty string';
const nonEmpty = z.string({ error: NON_EMPTY }).min(1, { error: NON_EMPTY });

const customResourceMatcher = z.object(
  { group: nonEmpty, apiVersion: nonEmpty, plural: nonEmpty },
  { error: 'must be an object with group, apiVersion and plural' },
);

/** What Backstage's `stringifyEntityRef(entity)` needs; anything less is "Invalid entity reference". */
const refableEntity = z.object({
  kind: nonEmpty,
  metadata: z.object({ name: nonEmpty, namespace: nonEmpty.nullish() }),
});

export interface ServicesBody {
  entityRef: string;
  auth: KubernetesRequestAuth;
}

export interface WorkloadsBody {
  entityRef: string;
  auth: KubernetesRequestAuth;
}

export interface CustomBody extends WorkloadsBody {
  customResources: CustomResourceMatcher[];
}

/** `POST /services/:serviceId`: `{ entity, auth? }`. */
export function parseServicesBody(body: unknown): ServicesBody {
  const fields = requireObject(body);
  if (fields.entity === undefined || fields.entity === null) {
    throw inputError('entity is a required field (the catalog entity to show objects for)');
  }
  if (!isPlainObject(fields.entity)) {
    throw inputError(`entity must be an object (a catalog entity), got ${describe(fields.entity)}`);
  }
  const auth = parseAuth(fields.auth);
  const entity = refableEntity.safeParse(fields.entity);
  // Backstage's wording and status: the caller is not allowed to ask about what is not a ref.
  if (!entity.success) throw forbidden('Invalid entity reference');
  const { kind, metadata } = entity.data;
  return {
    entityRef: stringifyEntityRef({ kind, namespace: metadata.namespace ?? 'default', name: metadata.name }),
    auth,
  };
}

/** `POST /resources/workloads/query`: `{ entityRef, auth? }`. */
export function parseWorkloadsBody(body: unknown): WorkloadsBody {
  const fields = requireObject(body);
  const entityRef = parseRawEntityRef(fields.entityRef);
  return { entityRef, auth: parseAuth(fields.auth) };
}

/** `POST /resources/custom/query`: `{ entityRef, auth?, customResources }`. */
export function parseCustomBody(body: unknown): CustomBody {
  const fields = requireObject(body);
  const entityRef = parseRawEntityRef(fields.entityRef);
  const customResources = parseCustomResources(fields.customResources);
  return { entityRef, customResources, auth: parseAuth(fields.auth) };
}

function requireObject(body: unknown): Record<string, unknown> {
  if (!isPlainObject(body)) throw inputError(`Request body must be a JSON object, got ${describe(body)}`);
  return body;
}

// Backstage's truthiness checks, kept as they are so the same bodies get the same messages.
function parseRawEntityRef(raw: unknown): string {
  if (raw && typeof raw !== 'string') throw inputError('entity query must be a string');
  if (!raw || typeof raw !== 'string') throw inputError('entity is a required field');
  try {
    return stringifyEntityRef(parseEntityRef(raw));
  } catch (error) {
    throw inputError(`Invalid entity ref, ${String(error)}`);
  }
}

function parseCustomResources(raw: unknown): CustomResourceMatcher[] {
  if (!raw) throw inputError('customResources is a required field');
  if (!Array.isArray(raw)) throw inputError('customResources must be an array');
  if (raw.length === 0) throw inputError('at least 1 customResource is required');
  const parsed = z.array(customResourceMatcher).safeParse(raw);
  if (!parsed.success) throw inputError(formatIssues('customResources', parsed.error.issues));
  return parsed.data;
}

// Backstage defaults a missing `auth` to `{}` on one route and crashes on the others; we default everywhere.
function parseAuth(raw: unknown): KubernetesRequestAuth {
  const parsed = requestAuth.safeParse(raw);
  if (!parsed.success) throw inputError(formatIssues('auth', parsed.error.issues));
  return parsed.data ?? {};
}

function formatIssues(root: string, issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${root}${issue.path.map(pathSegment).join('')} ${issue.message}`).join('; ');
}

function pathSegment(key: PropertyKey): string {
  if (typeof key === 'number') return `[${key}]`;
  const name = String(key);
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
