import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Permission, PermissionRuleConfig } from '../config/types.ts';
import { forbidden } from '../errors/errors.ts';
import type { Principal } from './auth.ts';

const KUBERNETES_PREFIX = '/api/kubernetes';
const PROXY_PREFIX = `${KUBERNETES_PREFIX}/proxy`;

/** Backstage's permission per route (`plugins/kubernetes-backend`), by the route as registered, plus Stitchboard's own. */
const ROUTE_PERMISSIONS: Readonly<Record<string, Permission>> = {
  [`${KUBERNETES_PREFIX}/clusters`]: 'kubernetes.clusters.read',
  [`${KUBERNETES_PREFIX}/services/:serviceId`]: 'kubernetes.resources.read',
  [`${KUBERNETES_PREFIX}/resources/workloads/query`]: 'kubernetes.resources.read',
  [`${KUBERNETES_PREFIX}/resources/custom/query`]: 'kubernetes.resources.read',
  // Stitchboard's push form of the objects routes (Server-Sent Events), so it reads what they read.
  [`${KUBERNETES_PREFIX}/watch`]: 'kubernetes.resources.read',
};

const STITCHBOARD_PREFIX = '/api/stitchboard';

/**
 * Stitchboard routes that read cluster objects with the server's own cluster credentials (the
 * UI's component pages, Events, who-owns, the rollups' pod counts): they read what Backstage's
 * objects routes read, so they need the same permission.
 */
const CLUSTER_READS: ReadonlySet<string> = new Set(
  [
    '/components',
    '/components/:kind/:namespace/:name',
    '/events',
    '/who-owns',
    '/teams',
    '/teams/*',
    '/systems',
    '/systems/*',
  ].map((path) => `${STITCHBOARD_PREFIX}${path}`),
);

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * The permission a route needs: `undefined` outside `/api/kubernetes` and `/api/stitchboard`
 * (health, metrics, the UI's files), `null` for a Kubernetes route nobody mapped, which is refused
 * rather than left open. Under `/api/stitchboard` the method decides: reads need
 * `stitchboard.read` (or `kubernetes.resources.read` for cluster reads), anything else is a
 * write and needs `stitchboard.admin`, so a route added later is guarded without a new entry.
 */
export function permissionForRoute(method: string, routeUrl: string): Permission | undefined | null {
  if (routeUrl === STITCHBOARD_PREFIX || routeUrl.startsWith(`${STITCHBOARD_PREFIX}/`)) {
    if (!READ_METHODS.has(method.toUpperCase())) return 'stitchboard.admin';
    return CLUSTER_READS.has(routeUrl) ? 'kubernetes.resources.read' : 'stitchboard.read';
  }
  if (routeUrl === PROXY_PREFIX || routeUrl.startsWith(`${PROXY_PREFIX}/`)) return 'kubernetes.proxy';
  if (routeUrl !== KUBERNETES_PREFIX && !routeUrl.startsWith(`${KUBERNETES_PREFIX}/`)) return undefined;
  return ROUTE_PERMISSIONS[routeUrl] ?? null;
}

/**
 * Whether `principal` may use `permission`. No rules: every caller may read (Backstage's allow-all
 * policy) and nobody may write (`stitchboard.admin` is always granted explicitly). Otherwise a rule must grant it, naming the caller's subject in `users` (or `*`), or
 * one of its ownership refs (the token's `ent`) in `groups`. Refs compare case-insensitively.
 *
 * @example
 * isAllowed([{ allow: ['kubernetes.proxy'], users: [], groups: ['group:default/sre'] }], principal, 'kubernetes.proxy');
 */
export function isAllowed(
  rules: readonly PermissionRuleConfig[] | undefined,
  principal: Principal | undefined,
  permission: Permission,
): boolean {
  if (rules === undefined) return permission !== 'stitchboard.admin';
  const subject = principal?.subject;
  const owned = new Set((principal?.ownershipRefs ?? []).map((ref) => ref.toLowerCase()));
  return rules.some(
    (rule) =>
      rule.allow.includes(permission) &&
      (rule.users.some((user) => user === '*' || (subject !== undefined && sameSubject(user, subject))) ||
        rule.groups.some((group) => owned.has(group))),
  );
}

function sameSubject(configured: string, subject: string): boolean {
  return configured === subject || configured.toLowerCase() === subject.toLowerCase();
}

export const WRITES_NEED_TOKENS =
  'Writes are refused while the API is open (no access tokens are configured). To enable them, configure a token ' +
  '(backend.auth.externalAccess, or stitchboard.auth.backstageTokens for Backstage users) and grant it ' +
  'stitchboard.admin in stitchboard.permissions';

export const WRITES_NEED_ADMIN =
  'Unauthorized: this change needs the permission stitchboard.admin, which stitchboard.permissions does not grant you';

/**
 * Why the request is refused, or `undefined` when it may go on. Backstage's routes answer its
 * plain "Unauthorized"; a refused write says how to get the right, since that is a setup step.
 */
export function refusal(
  rules: readonly PermissionRuleConfig[] | undefined,
  principal: Principal | undefined,
  permission: Permission | null,
  open: boolean,
): string | undefined {
  if (permission === 'stitchboard.admin') {
    if (open) return WRITES_NEED_TOKENS;
    return isAllowed(rules, principal, permission) ? undefined : WRITES_NEED_ADMIN;
  }
  return permission !== null && isAllowed(rules, principal, permission) ? undefined : 'Unauthorized';
}

/**
 * Checks the route's permission after the token check, for every route including the proxy's
 * WebSocket handshakes (they are routed through Fastify too). A refusal is Backstage's
 * 403 NotAllowedError. `open`: no tokens are configured, so callers are anonymous.
 */
export function registerPermissions(
  app: FastifyInstance,
  options: { rules: readonly PermissionRuleConfig[] | undefined; open: boolean },
) {
  const { rules, open } = options;
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.is404 || request.routeOptions.config.public === true) return;
    const permission = permissionForRoute(request.method, request.routeOptions.url ?? '');
    if (permission === undefined) return;
    const message = refusal(rules, request.principal, permission, open);
    if (message === undefined) return;
    request.log.info({ permission: permission ?? 'unmapped route' }, 'permission denied');
    throw forbidden(message);
  });
}
