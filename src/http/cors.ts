import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { Minimatch } from 'minimatch';
import type { CorsConfig } from '../config/types.ts';

/**
 * Backstage's origin check (`backend.cors.origin`): each entry is a minimatch glob, matched
 * case-insensitively and without `**`, so `https://*.example.com` or `http://localhost:700[0-9]`.
 *
 * @example
 * originMatcher(['https://*.example.com'])('https://backstage.example.com'); // true
 */
export function originMatcher(patterns: readonly string[]): (origin: string) => boolean {
  const matchers = patterns.map((pattern) => new Minimatch(pattern, { nocase: true, noglobstar: true }));
  return (origin) => matchers.some((m) => m.match(origin));
}

/**
 * Answers CORS as Backstage's backend does with `backend.cors`, so its frontend at another origin
 * can call Stitchboard. Registered before the token check: a preflight carries no token and is
 * answered here; an origin that does not match gets no CORS headers at all, and its preflight
 * goes on to be refused like any request without a token.
 */
export async function registerCors(app: FastifyInstance, config: CorsConfig): Promise<void> {
  const matches = config.origin ? originMatcher(config.origin) : undefined;
  await app.register(cors, {
    origin: matches ? (origin, callback) => callback(null, origin !== undefined && matches(origin)) : '*',
    methods: config.methods,
    ...(config.allowedHeaders ? { allowedHeaders: config.allowedHeaders } : {}),
    ...(config.exposedHeaders ? { exposedHeaders: config.exposedHeaders } : {}),
    credentials: config.credentials,
    ...(config.maxAge !== undefined ? { maxAge: config.maxAge } : {}),
    optionsSuccessStatus: config.optionsSuccessStatus,
    strictPreflight: false,
    hideOptionsRoute: true,
  });
}
