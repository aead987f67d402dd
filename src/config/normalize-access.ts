import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { messageOf } from '../errors/errors.ts';
import type { BackstageTokensConfig, KubernetesPermission, PermissionRuleConfig } from './types.ts';
import {
  DEFAULT_TOKEN_ALGORITHMS,
  DEFAULT_TOKEN_AUDIENCE,
  KUBERNETES_PERMISSIONS,
  type ParsedBackstageTokens,
  type ParsedPermissionRule,
} from './access-schema.ts';
import { quote } from './issues.ts';
import type { NormalizeContext } from './normalize-context.ts';
import type { PathSegment } from './path.ts';

/** Fills the JWKS and userinfo URLs from the issuer, as Backstage's auth backend lays them out. */
export function normalizeBackstageTokens(parsed: ParsedBackstageTokens): BackstageTokensConfig {
  const base = parsed.issuer.replace(/\/+$/, '');
  return {
    issuer: parsed.issuer,
    jwksUrl: parsed.jwksUrl ?? `${base}/.well-known/jwks.json`,
    audience: parsed.audience ?? DEFAULT_TOKEN_AUDIENCE,
    algorithms: parsed.algorithms ?? [...DEFAULT_TOKEN_ALGORITHMS],
    userInfoUrl: parsed.userInfoUrl ?? `${base}/v1/userinfo`,
  };
}

/**
 * Rules with their refs in the lower-cased `kind:namespace/name` form tokens carry, so matching is
 * a plain comparison. A `users` entry that is not a `user:` ref is kept as written: it names a
 * static token's subject.
 */
export function normalizePermissions(
  rules: readonly ParsedPermissionRule[],
  path: readonly PathSegment[],
  ctx: NormalizeContext,
): PermissionRuleConfig[] {
  if (rules.length === 0) {
    ctx.issues.warn(path, 'an empty list allows nobody anything: every Kubernetes route will answer 403');
  }
  return rules.map((rule, i) => {
    const at = [...path, i];
    const allow: KubernetesPermission[] = rule.allow.includes('*')
      ? [...KUBERNETES_PERMISSIONS]
      : [...new Set(rule.allow.filter((p): p is KubernetesPermission => p !== '*'))];
    const users = (rule.users ?? []).map((user, j) => normalizeUser(user, [...at, 'users', j], ctx));
    const groups = (rule.groups ?? []).map((group, j) => normalizeGroup(group, [...at, 'groups', j], ctx));
    return { allow, users, groups };
  });
}

function normalizeUser(user: string, path: PathSegment[], ctx: NormalizeContext): string {
  if (user === '*' || !/^user:/i.test(user)) return user;
  return canonicalRef(user, 'user', path, ctx);
}

function normalizeGroup(group: string, path: PathSegment[], ctx: NormalizeContext): string {
  if (group === '*') {
    ctx.issues.error(path, '"*" is not allowed in groups; use users: ["*"] for every caller');
    return group;
  }
  return canonicalRef(group, 'group', path, ctx);
}

function canonicalRef(ref: string, defaultKind: string, path: PathSegment[], ctx: NormalizeContext): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
    ).toLowerCase();
  } catch (e) {
    ctx.issues.error(path, `${quote(ref)} is not an entity ref (${messageOf(e)})`);
    return ref;
  }
}
