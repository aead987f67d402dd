import type { Config } from './types.ts';
import { isPlainObject } from './path.ts';

export const REDACTED = '[redacted]';

/**
 * Keys whose values are secrets wherever they appear (Backstage marks them `@visibility secret`).
 * `authMetadata.serviceAccountToken` is covered by name.
 */
const SECRET_KEYS = new Set([
  'token',
  'serviceAccountToken',
  'caData',
  'googleServiceAccountCredentials',
  'password',
  'secret',
  'clientSecret',
  'secretAccessKey',
  'internalToken',
]);

/**
 * A copy of `config` safe to print: every secret replaced by `[redacted]`, and the password in a
 * database connection string too.
 *
 * @example
 * output.json(redactConfig(config));
 */
export function redactConfig(config: Config): Config {
  const copy = redactNode(config) as Config;
  const db = copy.backend.database;
  if (db.client === 'pg' && typeof db.connection === 'string') {
    copy.backend.database = { client: 'pg', connection: redactConnectionString(db.connection) };
  }
  return copy;
}

function redactNode(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(redactNode);
  if (!isPlainObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = SECRET_KEYS.has(key) && value !== undefined ? REDACTED : redactNode(value);
  }
  return out;
}

/** `postgres://user:pw@host/db` and `password=pw` forms both lose the password. */
export function redactConnectionString(connection: string): string {
  try {
    const url = new URL(connection);
    if (url.password) {
      url.password = REDACTED;
      return url.toString().replace(encodeURIComponent(REDACTED), REDACTED);
    }
  } catch {
    // Not a URL: a libpq keyword string, handled below.
  }
  return connection.replace(/(password\s*=\s*)('[^']*'|\S+)/gi, `$1${REDACTED}`);
}
