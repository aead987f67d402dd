import { messageOf } from '../errors/errors.ts';
import { sourceKey, type AwsCredentialSource } from './aws-credentials.ts';
import type { AwsKeys } from './aws-token.ts';

/** Assumed-role keys are renewed this long before they expire, so a token never carries dying keys. */
const RENEW_BEFORE_MS = 5 * 60_000;
const SESSION_NAME = 'stitchboard';

interface Cached {
  keys: AwsKeys;
  /** Epoch ms; absent for keys that do not expire. */
  expiresAt?: number;
}

/** Why a source yielded no keys; the message names roles and steps, never a key. */
export class AwsKeyError extends Error {}

/**
 * Turns an AwsCredentialSource into keys. AssumeRole results are cached per role chain until five
 * minutes before they expire, with one call in flight per chain; profiles and the default chain are
 * the SDK's own memoizing providers. STS is reached at `AWS_ENDPOINT_URL_STS` or `AWS_ENDPOINT_URL`
 * (the SDK's own variables) when set, else at the regional endpoint. The SDK is loaded by the first
 * resolution that needs it: static keys never do.
 */
export class AwsKeyResolver {
  readonly #env: NodeJS.ProcessEnv;
  readonly #cache = new Map<string, Cached>();
  readonly #inFlight = new Map<string, Promise<Cached>>();
  readonly #providers = new Map<string, () => Promise<AwsKeys>>();

  constructor(env: NodeJS.ProcessEnv) {
    this.#env = env;
  }

  async resolve(source: AwsCredentialSource, now = Date.now()): Promise<AwsKeys> {
    if (source.kind === 'static') {
      const { kind: _kind, ...keys } = source;
      return keys;
    }
    const key = sourceKey(source);
    const cached = this.#cache.get(key);
    if (cached && (cached.expiresAt === undefined || cached.expiresAt - RENEW_BEFORE_MS > now)) {
      return cached.keys;
    }
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = this.#fetch(source).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    const fresh = await pending;
    // Profiles and the default chain memoize (and refresh) themselves; only assumed roles are kept here.
    if (source.kind === 'assume') this.#cache.set(key, fresh);
    return fresh.keys;
  }

  async #fetch(source: Exclude<AwsCredentialSource, { kind: 'static' }>): Promise<Cached> {
    if (source.kind === 'assume') return this.#assume(source);
    const id = sourceKey(source);
    let provider = this.#providers.get(id);
    if (!provider) {
      const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
      provider = defaultProvider(source.kind === 'profile' ? { profile: source.profile } : {});
      this.#providers.set(id, provider);
    }
    try {
      return { keys: await provider() };
    } catch (error) {
      const what = source.kind === 'profile' ? `profile "${source.profile}"` : 'the default credential chain';
      throw new AwsKeyError(`no AWS credentials from ${what}: ${awsErrorText(error)}`, { cause: error });
    }
  }

  async #assume(source: Extract<AwsCredentialSource, { kind: 'assume' }>): Promise<Cached> {
    const base = await this.resolve(source.from);
    const { AssumeRoleCommand, STSClient } = await import('@aws-sdk/client-sts');
    const endpoint = this.#env.AWS_ENDPOINT_URL_STS ?? this.#env.AWS_ENDPOINT_URL;
    const client = new STSClient({
      region: source.region,
      credentials: base,
      maxAttempts: 2,
      ...(endpoint ? { endpoint } : {}),
    });
    try {
      const out = await client.send(
        new AssumeRoleCommand({
          RoleArn: source.roleArn,
          RoleSessionName: SESSION_NAME,
          ...(source.externalId ? { ExternalId: source.externalId } : {}),
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS answered without credentials');
      return {
        keys: {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        },
        ...(c.Expiration ? { expiresAt: c.Expiration.getTime() } : {}),
      };
    } catch (error) {
      throw new AwsKeyError(`AssumeRole of ${source.roleArn} failed: ${awsErrorText(error)}`, {
        cause: error,
      });
    } finally {
      client.destroy();
    }
  }
}

/** The SDK puts the STS error code (AccessDenied, ExpiredToken, ...) in `name`, the sentence in `message`. */
function awsErrorText(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  return name && name !== 'Error' ? `${name}: ${messageOf(error)}` : messageOf(error);
}
