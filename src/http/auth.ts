import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StaticAccessToken } from '../config/types.ts';
import { unauthenticated } from '../errors/errors.ts';
import type { Logger } from '../shared/logger.ts';

/** Who made a request, as far as the API is concerned. Never holds the token itself. */
export interface Principal {
  /** Which verifier accepted the token, e.g. `static`. */
  type: string;
  subject: string;
  /** Entity refs the caller owns through (a Backstage token's `ent`: itself and its groups); matched by permission rules. */
  ownershipRefs?: readonly string[];
}

/**
 * One way of checking a bearer token. Answers `undefined` for a token it does not recognise,
 * so several verifiers can be chained: static tokens today, a JWKS-verified Backstage user
 * token later, each as its own verifier.
 */
export interface TokenVerifier {
  verify(token: string): Promise<Principal | undefined>;
}

export const MISSING_TOKEN_MESSAGE = 'Missing Authorization header with a bearer token';
export const INVALID_TOKEN_MESSAGE = 'Invalid token';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Backstage's `backend.auth.externalAccess` entries of `type: static`. Tokens are compared as
 * SHA-256 digests with `timingSafeEqual`, and every entry is checked, so neither the length nor
 * the position of a match shows in the response time.
 */
export function createStaticTokenVerifier(tokens: readonly StaticAccessToken[]): TokenVerifier {
  const entries = tokens
    .filter((t) => t.token.length > 0)
    .map((t) => ({ digest: digest(t.token), subject: t.subject }));
  return {
    async verify(token) {
      const presented = digest(token);
      let subject: string | undefined;
      for (const entry of entries) {
        if (timingSafeEqual(presented, entry.digest) && subject === undefined) subject = entry.subject;
      }
      return subject === undefined ? undefined : { type: 'static', subject };
    },
  };
}

/** The token of an `Authorization: Bearer <token>` header, or undefined if there is none. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

export async function authenticate(
  verifiers: readonly TokenVerifier[],
  header: string | undefined,
): Promise<Principal> {
  const token = bearerToken(header);
  if (token === undefined) throw unauthenticated(MISSING_TOKEN_MESSAGE);
  for (const verifier of verifiers) {
    const principal = await verifier.verify(token);
    if (principal) return principal;
  }
  throw unauthenticated(INVALID_TOKEN_MESSAGE);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without a token (health and metrics). Every other route needs one. */
    public?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * Requires a bearer token on every route not marked `config: { public: true }`, so a route
 * added later (the proxy) is protected without remembering to. No verifiers: the API is open,
 * which is said once, loudly, at startup.
 */
export function registerAuth(app: FastifyInstance, options: { verifiers: TokenVerifier[]; logger: Logger }) {
  const { verifiers, logger } = options;
  if (verifiers.length === 0) {
    logger.warn(
      'No access tokens are configured (backend.auth.externalAccess): the API is open to anyone who can reach it for reads, and every write is refused',
    );
    return;
  }
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    // Unknown routes answer 404 whatever the token: there is nothing behind them to protect.
    if (request.routeOptions.config.public === true || request.is404) return;
    const principal = await authenticate(verifiers, request.headers.authorization);
    request.principal = principal;
    request.log = request.log.child({ subject: principal.subject });
    reply.log = request.log;
  });
}
