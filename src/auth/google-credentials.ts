import { readFileSync } from 'node:fs';
import type { GoogleAuth } from 'google-auth-library';
import { StitchboardError, messageOf } from '../errors/errors.ts';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/** Where google-auth-library always sends a service account's JWT-bearer grant. */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** Where the Google credentials come from, for messages: never their content. */
export type GoogleCredentialOrigin =
  | 'kubernetes.googleServiceAccountCredentials'
  | 'GOOGLE_APPLICATION_CREDENTIALS'
  | 'application default credentials';

export interface GoogleAuthSetup {
  auth: GoogleAuth;
  origin: GoogleCredentialOrigin;
}

/**
 * A GoogleAuth for Stitchboard's own Google identity: the JSON key in
 * `kubernetes.googleServiceAccountCredentials`, else the file named by `GOOGLE_APPLICATION_CREDENTIALS`,
 * else Application Default Credentials (gcloud's well-known file, the metadata server).
 *
 * A key's `token_uri` is honoured, as Google's Python and Go libraries do and the Node library does not
 * (it always posts to oauth2.googleapis.com): keys for private endpoints, emulators and tests work.
 * A bad key fails here, naming where it came from and never echoing it. The library is loaded by the first
 * call, so only a configuration with a Google identity carries it.
 */
export async function googleAuthFor(options: {
  credentialsJson?: string;
  env: NodeJS.ProcessEnv;
  scopes?: string[];
}): Promise<GoogleAuthSetup> {
  const scopes = options.scopes ?? [CLOUD_PLATFORM_SCOPE];
  let json: Record<string, unknown> | undefined;
  let origin: GoogleCredentialOrigin = 'application default credentials';
  if (options.credentialsJson !== undefined) {
    origin = 'kubernetes.googleServiceAccountCredentials';
    json = parseKey(options.credentialsJson, origin);
  } else if (options.env.GOOGLE_APPLICATION_CREDENTIALS) {
    origin = 'GOOGLE_APPLICATION_CREDENTIALS';
    const file = options.env.GOOGLE_APPLICATION_CREDENTIALS;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new StitchboardError(
        'CONFIG_INVALID',
        `GOOGLE_APPLICATION_CREDENTIALS: cannot read ${file}: ${messageOf(error)}`,
      );
    }
    json = parseKey(text, `GOOGLE_APPLICATION_CREDENTIALS (${file})`);
  }
  const { GoogleAuth, gaxios } = await import('google-auth-library');
  const transporter = new gaxios.Gaxios();
  const tokenUri = typeof json?.token_uri === 'string' ? json.token_uri : undefined;
  if (tokenUri && tokenUri !== GOOGLE_TOKEN_URL) {
    transporter.interceptors.request.add({
      resolved: async (config) => {
        if (config.url.href === GOOGLE_TOKEN_URL) config.url = new URL(tokenUri);
        return config;
      },
    });
  }
  const auth = new GoogleAuth({
    scopes,
    clientOptions: { transporter },
    ...(json ? { credentials: json as never } : {}),
  });
  return { auth, origin };
}

function parseKey(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StitchboardError(
      'CONFIG_INVALID',
      `${where}: not valid JSON (expected a Google service account key)`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StitchboardError(
      'CONFIG_INVALID',
      `${where}: expected a JSON object (a Google credentials file)`,
    );
  }
  const key = value as Record<string, unknown>;
  if (key.type === 'service_account') {
    const missing = ['client_email', 'private_key'].filter((k) => typeof key[k] !== 'string' || !key[k]);
    if (missing.length > 0) {
      throw new StitchboardError(
        'CONFIG_INVALID',
        `${where}: the service account key has no ${missing.join(' or ')}`,
      );
    }
    if (key.token_uri !== undefined && (typeof key.token_uri !== 'string' || !URL.canParse(key.token_uri))) {
      throw new StitchboardError('CONFIG_INVALID', `${where}: token_uri is not a URL`);
    }
  } else if (typeof key.type !== 'string') {
    throw new StitchboardError('CONFIG_INVALID', `${where}: has no "type" (expected "service_account")`);
  }
  return key;
}
