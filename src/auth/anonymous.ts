import type { AuthStrategy, Credential } from './types.ts';

/** `localKubectlProxy`: kubectl proxy adds the credentials itself, so requests carry none. */
export class AnonymousStrategy implements AuthStrategy {
  async getCredential(): Promise<Credential> {
    return { type: 'anonymous' };
  }

  presentAuthMetadata(): Record<string, unknown> {
    return {};
  }
}
