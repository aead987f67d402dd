/**
 * An OpenID Connect issuer on loopback HTTPS: discovery (`/.well-known/openid-configuration`) and JWKS,
 * and RS256 ID tokens signed with jose. A kube-apiserver started with `--oidc-issuer-url=<url>` and
 * `--oidc-ca-file=<tls.caFile>` trusts its tokens, as it would Okta's or GitLab's.
 *
 * @example
 *   const issuer = await startOidcIssuer(tls);
 *   const idToken = await issuer.sign({ email: 'alice@example.com', aud: 'stitchboard' });
 */
import { randomBytes } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { startFakeServer } from './http-server.ts';
import type { TestTls } from './tls.ts';

export interface OidcIssuer {
  /** `https://127.0.0.1:PORT`: the `iss` of every token and the `--oidc-issuer-url`. */
  url: string;
  /**
   * An ID token. `expiresIn` in seconds (negative: already expired); `foreignKey` signs with a key the
   * issuer does not publish, under the published key's `kid`, as a forger would.
   */
  sign(
    claims: Record<string, unknown>,
    options?: { expiresIn?: number; foreignKey?: boolean },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startOidcIssuer(tls: TestTls): Promise<OidcIssuer> {
  const kid = randomBytes(8).toString('hex');
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const foreign: { privateKey: CryptoKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  let url = '';
  const server = await startFakeServer((req) => {
    if (req.url.pathname === '/.well-known/openid-configuration') {
      return {
        body: {
          issuer: url,
          jwks_uri: `${url}/jwks`,
          authorization_endpoint: `${url}/authorize`,
          token_endpoint: `${url}/token`,
          response_types_supported: ['code', 'id_token'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          claims_supported: ['sub', 'email', 'email_verified', 'groups'],
        },
      };
    }
    if (req.url.pathname === '/jwks') return { body: { keys: [jwk] } };
    return { status: 404, body: { error: 'not_found' } };
  }, tls);
  url = server.url;
  return {
    url,
    async sign(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = options.expiresIn ?? 600;
      return new SignJWT({ email_verified: true, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(url)
        .setSubject(String(claims.sub ?? claims.email ?? 'subject'))
        .setIssuedAt(Math.min(now, now + expiresIn - 60))
        .setExpirationTime(now + expiresIn)
        .sign(options.foreignKey ? foreign.privateKey : privateKey);
    },
    close: () => server.close(),
  };
}
