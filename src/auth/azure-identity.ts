import type { AccessToken, TokenCredential } from '@azure/identity';
import { StitchboardError, messageOf } from '../errors/errors.ts';
import type { ClusterDetails } from '../clusters/types.ts';
import type { Logger } from '../shared/logger.ts';
import type { AuthStrategy, Credential } from './types.ts';

/** The AKS AAD server application; the same for every managed cluster. */
export const AKS_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';
const REFRESH_BEFORE_MS = 15 * 60_000;
const TOKEN_TIMEOUT_MS = 10_000;
/** Clouds whose authority metadata MSAL knows; any other authority host is asked directly. */
const KNOWN_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.chinacloudapi.cn',
  'login.microsoftonline.us',
  'login.microsoftonline.de',
]);

export interface AzureIdentityOptions {
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Replaces the credential built from `env` (embedding). */
  credential?: TokenCredential;
  now?: () => number;
}

/**
 * The credential `env` describes: a service principal secret (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`,
 * `AZURE_CLIENT_SECRET`, optional `AZURE_AUTHORITY_HOST`), else DefaultAzureCredential (workload
 * identity, managed identity, Azure CLI, ...). For an authority host that is not a public Azure cloud
 * (Azure Stack, a private endpoint) instance discovery is turned off: it would ask
 * login.microsoftonline.com about a host it cannot know. The library (8 MiB of heap) is loaded by the first
 * call, so only a configuration with an `azure` cluster carries it.
 */
export async function azureCredentialFrom(env: NodeJS.ProcessEnv): Promise<TokenCredential> {
  const { ClientSecretCredential, DefaultAzureCredential } = await import('@azure/identity');
  const { AZURE_TENANT_ID: tenant, AZURE_CLIENT_ID: client, AZURE_CLIENT_SECRET: secret } = env;
  const authorityHost = env.AZURE_AUTHORITY_HOST;
  const custom = authorityHost !== undefined && !KNOWN_AUTHORITY_HOSTS.has(hostOf(authorityHost));
  const options = {
    ...(authorityHost ? { authorityHost } : {}),
    ...(custom ? { disableInstanceDiscovery: true } : {}),
  };
  if (tenant && client && secret) return new ClientSecretCredential(tenant, client, secret, options);
  return new DefaultAzureCredential(options);
}

/**
 * `azure`: a Microsoft Entra token for AKS, from Stitchboard's own Azure identity. Kept until 15 minutes
 * before it expires; one refresh in flight at a time; when a refresh fails the old token is used until it
 * really expires, so a short Entra outage costs nothing. (Backstage's version never clears a failed
 * refresh, so after one failure every later request fails; this one retries on the next request.)
 */
export class AzureIdentityStrategy implements AuthStrategy {
  readonly #logger: Logger;
  readonly #env: NodeJS.ProcessEnv;
  readonly #now: () => number;
  #credential: TokenCredential | undefined;
  #token: AccessToken | undefined;
  #refreshing: Promise<AccessToken> | undefined;

  constructor(options: AzureIdentityOptions) {
    this.#logger = options.logger;
    this.#env = options.env ?? process.env;
    this.#now = options.now ?? Date.now;
    this.#credential = options.credential;
  }

  async getCredential(cluster: ClusterDetails): Promise<Credential> {
    const now = this.#now();
    const held = this.#token;
    if (held && now < held.expiresOnTimestamp - REFRESH_BEFORE_MS) return bearer(held);
    this.#refreshing ??= this.#refresh().finally(() => (this.#refreshing = undefined));
    try {
      return bearer(await this.#refreshing);
    } catch (error) {
      if (held && this.#now() < held.expiresOnTimestamp) {
        this.#logger.warn(
          {
            cluster: cluster.name,
            err: messageOf(error),
            expiresAt: new Date(held.expiresOnTimestamp).toISOString(),
          },
          'Azure token refresh failed; using the current token until it expires',
        );
        return bearer(held);
      }
      throw new StitchboardError(
        'UNAUTHENTICATED',
        `cluster '${cluster.name}': authProvider azure: no Microsoft Entra token for AKS: ${messageOf(error)}`,
        { cause: error },
      );
    }
  }

  async #refresh(): Promise<AccessToken> {
    this.#credential ??= await azureCredentialFrom(this.#env);
    const token = await this.#credential.getToken(AKS_SCOPE, {
      requestOptions: { timeout: TOKEN_TIMEOUT_MS },
    });
    if (!token?.token) throw new Error('the credential returned no token');
    this.#token = token;
    this.#logger.info(
      { expiresAt: new Date(token.expiresOnTimestamp).toISOString() },
      'fetched an Azure token for AKS',
    );
    return token;
  }

  presentAuthMetadata(): Record<string, unknown> {
    return {};
  }
}

function bearer(token: AccessToken): Credential {
  return { type: 'bearer token', token: token.token };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
