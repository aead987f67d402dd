import { z } from 'zod';
import { everyTime, httpUrl, oneOf, optHttpUrl, optString } from './schema-helpers.ts';

/**
 * The one permission vocabulary: Backstage's three Kubernetes permissions, plus Stitchboard's
 * own two for `/api/stitchboard` (read the stitched store; change instances and start runs).
 */
export const PERMISSIONS = [
  'kubernetes.clusters.read',
  'kubernetes.resources.read',
  'kubernetes.proxy',
  'stitchboard.read',
  'stitchboard.admin',
] as const;

/**
 * Asymmetric algorithms only: keys come from a public JWKS, so an HMAC secret (HS256) or `none`
 * would let anyone who can read the JWKS, or anyone at all, mint tokens.
 */
export const TOKEN_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
  'Ed25519',
] as const;

export const DEFAULT_TOKEN_ALGORITHMS = ['ES256'];
export const DEFAULT_TOKEN_AUDIENCE = 'backstage';

/** `stitchboard.auth.backstageTokens`: how a Backstage user token is checked. */
export const backstageTokensSchema = z.object({
  issuer: httpUrl(),
  jwksUrl: optHttpUrl(),
  audience: optString(),
  algorithms: z.array(oneOf(TOKEN_ALGORITHMS, 'algorithm')).min(1).optional(),
  userInfoUrl: optHttpUrl(),
});

const permissionName = oneOf([...PERMISSIONS, '*'], 'permission');

/** One `stitchboard.permissions` entry. Who it names is checked even when `allow` is wrong too. */
export const permissionRuleSchema = everyTime(
  z.object({
    allow: z.array(permissionName).min(1),
    users: z.array(z.string().min(1)).optional(),
    groups: z.array(z.string().min(1)).optional(),
  }),
  (rule, ctx) => {
    const named = (key: string) => Array.isArray(rule[key]) && (rule[key] as unknown[]).length > 0;
    if (!named('users') && !named('groups')) {
      ctx.error([], 'names nobody: set "users" or "groups" (users: ["*"] is every authenticated caller)');
    }
  },
);

export const accessSchema = {
  auth: z.object({ backstageTokens: backstageTokensSchema.optional() }).optional(),
  permissions: z.array(permissionRuleSchema).optional(),
};

export type ParsedBackstageTokens = z.output<typeof backstageTokensSchema>;
export type ParsedPermissionRule = z.output<typeof permissionRuleSchema>;
