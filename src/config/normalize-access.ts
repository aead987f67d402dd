import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { messageOf } from '../errors/errors.ts';
import type { BackstageTokensConfig, Permission, PermissionRuleConfig } from './types.ts';
import {
  DEFAULT_TOKEN_ALGORITHMS,
  DEFAULT_TOKEN_AUDIENCE,
  PERMISSIONS,
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
    ctx.issues.warn(path, 'an empty list allows nobody anything: every guarded route will answer 403');
  }
  return rules.map((rule, i) => {
    const at = [...path, i];
    const allow: Permission[] = rule.allow.includes('*')
      ? [...PERMISSIONS]
      : expandAdmin([...new Set(rule.allow.filter((p): p is Permission => p !== '*'))]);
    const users = (rule.users ?? []).map((user, j) => normalizeUser(user, [...at, 'users', j], ctx));
    const groups = (rule.groups ?? []).map((group, j) => normalizeGroup(group, [...at, 'groups', j], ctx));
    return { allow, users, groups };
  });
}

/** Admin rights include reading what they change. */
function expandAdmin(allow: Permission[]): Permission[] {
  return allow.includes('stitchboard.admin') && !allow.includes('stitchboard.read')
    ? [...allow, 'stitchboard.read']
    : allow;
}

/** `kind:` at the start of a ref (`group:sre`, `component:default/x`); a static subject rarely has one. */
const REF_KIND = /^([A-Za-z][\w-]*):/;

function normalizeUser(user: string, path: PathSegment[], ctx: NormalizeContext): string {
  if (user === '*') return user;
  const kind = REF_KIND.exec(user)?.[1]?.toLowerCase();
  if (kind === undefined) return user;
  if (kind === 'user') return canonicalRef(user, 'user', path, ctx) ?? user;
  ctx.issues.error(
    path,
    `${quote(user)} is a ${kind} ref: users takes user refs (user:namespace/name), static-token subjects or "*"${kind === 'group' ? '; put group refs under groups' : ''}`,
  );
  return user;
}

/**
 * A `users` entry that is neither `*` nor a user ref names a static token's subject; one no
 * `backend.auth.externalAccess` token has can never match, so it is most likely a typo.
 */
export function warnUnknownSubjects(
  rules: readonly PermissionRuleConfig[],
  subjects: readonly string[],
  path: readonly PathSegment[],
  ctx: NormalizeContext,
): void {
  const known = new Set(subjects);
  rules.forEach((rule, i) =>
    rule.users.forEach((user, j) => {
      if (user === '*' || REF_KIND.test(user) || known.has(user)) return;
      ctx.issues.warn(
        [...path, i, 'users', j],
        `no backend.auth.externalAccess token has the subject ${quote(user)}, and it is not a user ref (user:namespace/name): it matches nobody`,
      );
    }),
  );
}

function normalizeGroup(group: string, path: PathSegment[], ctx: NormalizeContext): string {
  if (group === '*') {
    ctx.issues.error(path, '"*" is not allowed in groups; use users: ["*"] for every caller');
    return group;
  }
  const ref = canonicalRef(group, 'group', path, ctx);
  if (ref === undefined) return group;
  const kind = REF_KIND.exec(ref)?.[1];
  if (kind !== 'group' && kind !== 'user') {
    ctx.issues.error(
      path,
      `${quote(group)} is a ${kind ?? 'malformed'} ref: groups takes group or user refs (a token's ent holds only those)`,
    );
  }
  return ref;
}

function canonicalRef(
  ref: string,
  defaultKind: string,
  path: PathSegment[],
  ctx: NormalizeContext,
): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
    ).toLowerCase();
  } catch (e) {
    ctx.issues.error(path, `${quote(ref)} is not an entity ref (${messageOf(e)})`);
    return undefined;
  }
}
