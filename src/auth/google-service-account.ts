import { StitchboardError, isStitchboardError, messageOf } from '../errors/errors.ts';
import type { ClusterDetails } from '../clusters/types.ts';
import { googleAuthFor, type GoogleAuthSetup } from './google-credentials.ts';
import type { AuthStrategy, Credential } from './types.ts';

export interface GoogleServiceAccountOptions {
  /** `kubernetes.googleServiceAccountCredentials`: a JSON key. Secret. */
  credentialsJson?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * `googleServiceAccount`: Stitchboard's own Google identity, as an OAuth access token with the
 * cloud-platform scope (what GKE's API servers accept). One GoogleAuth for the process: its client keeps
 * the token and renews it shortly before it expires, so a request costs no token exchange. Backstage
 * builds a new client, and exchanges a new token, on every request.
 */
export class GoogleServiceAccountStrategy implements AuthStrategy {
  readonly #options: GoogleServiceAccountOptions;
  #setup: Promise<GoogleAuthSetup> | undefined;

  constructor(options: GoogleServiceAccountOptions = {}) {
    this.#options = options;
  }

  async getCredential(cluster: ClusterDetails): Promise<Credential> {
    let origin = 'Google credentials';
    try {
      this.#setup ??= googleAuthFor({
        ...(this.#options.credentialsJson !== undefined
          ? { credentialsJson: this.#options.credentialsJson }
          : {}),
        env: this.#options.env ?? process.env,
      });
      const setup = await this.#setup;
      origin = setup.origin;
      const token = await setup.auth.getAccessToken();
      if (!token) throw new Error('Google returned no access token');
      return { type: 'bearer token', token };
    } catch (error) {
      const why = isStitchboardError(error) ? error.message : `${origin}: ${googleErrorText(error)}`;
      throw new StitchboardError(
        'UNAUTHENTICATED',
        `cluster '${cluster.name}': authProvider googleServiceAccount: no access token: ${why}`,
        { cause: error },
      );
    }
  }

  presentAuthMetadata(): Record<string, unknown> {
    return {};
  }
}

/** Google's token endpoint answers `{error, error_description}`; the library folds them into the message. */
function googleErrorText(error: unknown): string {
  const status = (error as { status?: unknown; response?: { status?: unknown } })?.response?.status;
  return typeof status === 'number' ? `HTTP ${status}: ${messageOf(error)}` : messageOf(error);
}
