import { createHash } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import type { BackstageTokensConfig } from '../config/types.ts';
import { StitchboardError, messageOf, unauthenticated } from '../errors/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { Principal, TokenVerifier } from './auth.ts';
import { BoundedCache } from '../shared/bounded-cache.ts';

/** The `typ` header values `@backstage/plugin-auth-node` gives its tokens (`tokenTypes`). */
const USER_TYP = 'vnd.backstage.user';
const LIMITED_USER_TYP = 'vnd.backstage.limited-user';
const PLUGIN_TYP = 'vnd.backstage.plugin';

export interface BackstageTokenVerifierOptions extends BackstageTokensConfig {
  logger: Logger;
  /** Least time between two JWKS reads when a token names an unknown `kid` (default 30 s). */
  jwksCooldownMs?: number;
  /** How long read keys are used before the JWKS is read again anyway (default 10 min). */
  jwksMaxAgeMs?: number;
  /** Bound on one JWKS or userinfo request (default 5 s). */
  requestTimeoutMs?: number;
}

/**
 * Verifies Backstage user tokens: JWTs the auth backend signs (ES256 by default), checked against
 * its JWKS, `iss`, `aud` and expiry. The principal's subject is `sub` (the user entity ref) and its
 * ownership refs are `ent`; tokens issued with `auth.omitIdentityTokenOwnershipClaim` carry no
 * `ent`, so those are read once from the auth backend's userinfo endpoint. Keys are cached; a
 * token signed with an unknown `kid` (a rotated key) triggers a fresh read, at most once per cooldown.
 * A token that is not a JWT is not this verifier's: it answers `undefined`, for the next one.
 *
 * @example
 * const verifier = createBackstageTokenVerifier({ ...config.stitchboard.auth.backstageTokens, logger });
 * await verifier.verify(token); // { type: 'backstage', subject: 'user:default/alice', ownershipRefs: [...] }
 */
export function createBackstageTokenVerifier(options: BackstageTokenVerifierOptions): TokenVerifier {
  const timeoutMs = options.requestTimeoutMs ?? 5000;
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
    cooldownDuration: options.jwksCooldownMs ?? 30_000,
    cacheMaxAge: options.jwksMaxAgeMs ?? 600_000,
    timeoutDuration: timeoutMs,
  });
  const ownership = new BoundedCache<string, Promise<string[]>>({ maxSize: 1000, ttlMs: 300_000 });
  const logger = options.logger.child({ component: 'backstage-token' });

  const readOwnership = async (token: string, subject: string): Promise<string[]> => {
    try {
      const res = await fetch(options.userInfoUrl, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const ent = ((await res.json()) as { claims?: { ent?: unknown } }).claims?.ent;
      if (isStringArray(ent)) return ent;
      throw new Error('the answer has no claims.ent list');
    } catch (error) {
      // Without ownership refs only `users` rules can match: fewer rights, never more.
      logger.warn({ subject, url: options.userInfoUrl, reason: messageOf(error) }, 'userinfo read failed');
      return [subject];
    }
  };

  return {
    async verify(token) {
      const header = jwtHeader(token);
      if (!header) return undefined;
      checkType(header.typ);
      checkIssuer(decodeJwt(token).iss, options.issuer);
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: options.algorithms,
          requiredClaims: ['sub', 'exp'],
        }));
      } catch (error) {
        throw verificationError(error, options);
      }
      const subject = payload.sub;
      if (typeof subject !== 'string' || subject === '') {
        throw unauthenticated('Backstage token has no subject (sub)');
      }
      const ent = payload.ent;
      const refs = isStringArray(ent)
        ? ent
        : await ownership.getOrCreate(digest(token), () => readOwnership(token, subject));
      return { type: 'backstage', subject, ownershipRefs: refs } satisfies Principal;
    },
  };
}

function jwtHeader(token: string): { typ?: string } | undefined {
  if (token.split('.').length !== 3) return undefined;
  try {
    decodeJwt(token);
    return decodeProtectedHeader(token);
  } catch {
    return undefined;
  }
}

function checkType(typ: string | undefined): void {
  // Tokens older than the typ header carry only `aud: backstage`, which jwtVerify checks.
  if (typ === undefined || typ === USER_TYP) return;
  if (typ === LIMITED_USER_TYP) {
    throw unauthenticated(
      'Backstage limited user tokens (cookie sessions) are not accepted: send the user token',
    );
  }
  if (typ === PLUGIN_TYP) {
    throw unauthenticated(
      'Backstage plugin tokens are not accepted: machines use a static token (backend.auth.externalAccess)',
    );
  }
  throw unauthenticated('Token is a JWT but not a Backstage user token (unexpected typ header)');
}

function checkIssuer(iss: unknown, expected: string): void {
  if (iss === expected) return;
  if (typeof iss !== 'string') {
    throw unauthenticated(`Backstage token has no issuer (iss); expected '${expected}'`);
  }
  throw unauthenticated(
    `Backstage token issuer '${shorten(iss)}' is not the configured issuer '${expected}' (stitchboard.auth.backstageTokens.issuer)`,
  );
}

/** One clear sentence per way a token fails; none of them repeats the token. */
function verificationError(error: unknown, options: BackstageTokensConfig): StitchboardError {
  if (error instanceof errors.JWTExpired) return unauthenticated('Backstage token has expired');
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return unauthenticated('Backstage token signature is invalid');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return unauthenticated(
      `Backstage token is signed with a key that is not in the JWKS at ${options.jwksUrl}`,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return unauthenticated(
      `Backstage token algorithm is not allowed (allowed: ${options.algorithms.join(', ')})`,
    );
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') {
      return unauthenticated(`Backstage token audience is not '${options.audience}'`);
    }
    if (error.reason === 'missing') return unauthenticated(`Backstage token has no '${error.claim}' claim`);
    return unauthenticated(`Backstage token claim '${error.claim}' is invalid (${error.reason})`);
  }
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) {
    return unauthenticated('Backstage token is malformed');
  }
  // No key set at all: the token may be fine, Stitchboard could not check it.
  return new StitchboardError(
    'AUTH_UNAVAILABLE',
    `Cannot check the Backstage token: the JWKS at ${options.jwksUrl} could not be read (${shorten(messageOf(error))})`,
    { cause: error },
  );
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
