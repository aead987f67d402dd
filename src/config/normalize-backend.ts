import { join } from 'node:path';
import type { BackendConfig, CorsConfig, DatabaseConfig } from './types.ts';
import { DEFAULT_BODY_LIMIT, type ParsedBackend } from './backend-schema.ts';
import type { NormalizeContext } from './normalize-context.ts';
import { isPlainObject } from './path.ts';

export const DEFAULT_DATABASE_FILE = 'stitchboard.sqlite';
const DB = ['backend', 'database'] as const;

export function normalizeBackend(
  parsed: ParsedBackend,
  dataDir: string,
  ctx: NormalizeContext,
): BackendConfig {
  parsed.auth.externalAccess.forEach((entry, i) => {
    if (entry.accessRestrictions !== undefined) {
      ctx.issues.warn(
        ['backend', 'auth', 'externalAccess', i, 'accessRestrictions'],
        'not enforced by Stitchboard: this token can call every route',
      );
    }
  });
  const out: BackendConfig = {
    listen: { host: parsed.listen.host, port: parsed.listen.port },
    auth: {
      externalAccess: parsed.auth.externalAccess.map((e) => ({
        token: e.options.token,
        subject: e.options.subject,
      })),
    },
    database: normalizeDatabase(parsed.database, dataDir, ctx),
    bodyLimit: parsed.bodyLimit ?? DEFAULT_BODY_LIMIT,
  };
  if (parsed.cors) out.cors = normalizeCors(parsed.cors, ctx);
  return out;
}

/** The `cors` package's defaults, which Backstage's router uses for what `backend.cors` leaves out. */
export const DEFAULT_CORS_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'];

function normalizeCors(parsed: NonNullable<ParsedBackend['cors']>, ctx: NormalizeContext): CorsConfig {
  if (parsed.preflightContinue !== undefined) {
    ctx.issues.warn(
      ['backend', 'cors', 'preflightContinue'],
      'not supported (ignored): Stitchboard answers preflights itself',
    );
  }
  if (parsed.origin === undefined) {
    ctx.issues.warn(
      ['backend', 'cors'],
      'no origin: every origin may call the API from a browser (as Backstage)',
    );
  }
  const out: CorsConfig = {
    methods: (parsed.methods ?? DEFAULT_CORS_METHODS).map((m) => m.toUpperCase()),
    credentials: parsed.credentials ?? false,
    optionsSuccessStatus: parsed.optionsSuccessStatus ?? 204,
  };
  if (parsed.origin) out.origin = parsed.origin;
  if (parsed.allowedHeaders) out.allowedHeaders = parsed.allowedHeaders;
  if (parsed.exposedHeaders) out.exposedHeaders = parsed.exposedHeaders;
  if (parsed.maxAge !== undefined) out.maxAge = parsed.maxAge;
  return out;
}

/**
 * Backstage's `backend.database` → one of our two stores. The sqlite clients all mean the
 * embedded store; `{ directory }` holds one file per plugin in Backstage, so ours is
 * `<directory>/stitchboard.sqlite`.
 */
function normalizeDatabase(
  parsed: ParsedBackend['database'],
  dataDir: string,
  ctx: NormalizeContext,
): DatabaseConfig {
  if (parsed === undefined) return { client: 'sqlite', path: join(dataDir, DEFAULT_DATABASE_FILE) };
  const connection = parsed.connection;
  if (parsed.client === 'pg') return { client: 'pg', connection: connection ?? '' };
  if (connection === undefined) return { client: 'sqlite', path: join(dataDir, DEFAULT_DATABASE_FILE) };
  if (connection === ':memory:') return { client: 'sqlite', path: ':memory:' };
  if (typeof connection === 'string') {
    return { client: 'sqlite', path: ctx.resolvePath([...DB, 'connection'], connection) };
  }
  if (isPlainObject(connection) && typeof connection.filename === 'string') {
    const filename = connection.filename;
    const path =
      filename === ':memory:' ? filename : ctx.resolvePath([...DB, 'connection', 'filename'], filename);
    return { client: 'sqlite', path };
  }
  const directory = String(connection.directory);
  return {
    client: 'sqlite',
    path: join(ctx.resolvePath([...DB, 'connection', 'directory'], directory), DEFAULT_DATABASE_FILE),
  };
}
