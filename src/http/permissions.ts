import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { KubernetesPermission, PermissionRuleConfig } from '../config/types.ts';
import { forbidden } from '../errors/errors.ts';
import type { Principal } from './auth.ts';

const KUBERNETES_PREFIX = '/api/kubernetes';
const PROXY_PREFIX = `${KUBERNETES_PREFIX}/proxy`;

/** Backstage's permission per route (`plugins/kubernetes-backend`), by the route as registered, plus Stitchboard's own. */
const ROUTE_PERMISSIONS: Readonly<Record<string, KubernetesPermission>> = {
  [`${KUBERNETES_PREFIX}/clusters`]: 'kubernetes.clusters.read',
  [`${KUBERNETES_PREFIX}/services/:serviceId`]: 'kubernetes.resources.read',
  [`${KUBERNETES_PREFIX}/resources/workloads/query`]: 'kubernetes.resources.read',
  [`${KUBERNETES_PREFIX}/resources/custom/query`]: 'kubernetes.resources.read',
  // Stitchboard's push form of the objects routes (Server-Sent Events), so it reads what they read.
  [`${KUBERNETES_PREFIX}/watch`]: 'kubernetes.resources.read',
};

/**
 * The permission a route needs: `undefined` outside `/api/kubernetes` (health, metrics), `null`
 * for a Kubernetes route nobody mapped, which is refused rather than left open.
 */
export function permissionForRoute(routeUrl: string): KubernetesPermission | undefined | null {
  if (routeUrl === PROXY_PREFIX || routeUrl.startsWith(`${PROXY_PREFIX}/`)) return 'kubernetes.proxy';
  if (routeUrl !== KUBERNETES_PREFIX && !routeUrl.startsWith(`${KUBERNETES_PREFIX}/`)) return undefined;
  return ROUTE_PERMISSIONS[routeUrl] ?? null;
}

/**
 * Whether `principal` may use `permission`. No rules: every caller may (Backstage's allow-all
 * policy). Otherwise a rule must grant it, naming the caller's subject in `users` (or `*`), or
 * one of its ownership refs (the token's `ent`) in `groups`. Refs compare case-insensitively.
 *
 * @example
 * isAllowed([{ allow: ['kubernetes.proxy'], users: [], groups: ['group:default/sre'] }], principal, 'kubernetes.proxy');
 */
export function isAllowed(
  rules: readonly PermissionRuleConfig[] | undefined,
  principal: Principal | undefined,
  permission: KubernetesPermission,
): boolean {
  if (rules === undefined) return true;
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

/**
 * Checks the route's permission after the token check, for every route including the proxy's
 * WebSocket handshakes (they are routed through Fastify too). A refusal is Backstage's
 * 403 NotAllowedError 'Unauthorized'.
 */
export function registerPermissions(
  app: FastifyInstance,
  rules: readonly PermissionRuleConfig[] | undefined,
) {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.is404 || request.routeOptions.config.public === true) return;
    const permission = permissionForRoute(request.routeOptions.url ?? '');
    if (permission === undefined) return;
    if (permission !== null && isAllowed(rules, request.principal, permission)) return;
    request.log.info({ permission: permission ?? 'unmapped route' }, 'permission denied');
    throw forbidden('Unauthorized');
  });
}
