import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/**
 * A Backstage auth backend as far as token checks see it, on loopback: a JWKS at
 * `/api/auth/.well-known/jwks.json` and `/api/auth/v1/userinfo`, with keys made by jose and
 * tokens shaped as `@backstage/plugin-auth-backend` issues them (typ `vnd.backstage.user`,
 * `aud: backstage`, `sub`, `ent`). Counts what it serves, so tests see caching and refreshes.
 */
export interface TestIssuer {
  issuer: string;
  jwksUrl: string;
  userInfoUrl: string;
  jwksReads: number;
  userInfoReads: number;
  /** Ownership refs userinfo answers with, by subject; a subject not listed gets 404. */
  userInfo: Map<string, string[]>;
  /** Makes a key; `publish: false` keeps it out of the JWKS (a forger's key). The first published key signs by default. */
  addKey(options?: { alg?: string; publish?: boolean; kid?: string }): Promise<string>;
  sign(claims: JWTPayload, options?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

export interface SignOptions {
  kid?: string;
  /** The `kid` written in the header, when it should lie about the signing key. */
  headerKid?: string;
  typ?: string | null;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
}

interface Key {
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  published: boolean;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const keys = new Map<string, Key>();
  let firstKid = '';
  const state = { jwksReads: 0, userInfoReads: 0 };
  const userInfo = new Map<string, string[]>();
  const server: Server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/api/auth/.well-known/jwks.json') {
      state.jwksReads++;
      return json(200, { keys: [...keys.values()].filter((k) => k.published).map((k) => k.publicJwk) });
    }
    if (req.url === '/api/auth/v1/userinfo') {
      state.userInfoReads++;
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token) return json(401, { error: { name: 'AuthenticationError', message: 'No token provided' } });
      const sub = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sub as string;
      const ent = userInfo.get(sub);
      if (!ent) return json(404, { error: 'User info not found' });
      return json(200, { claims: { sub, ent } });
    }
    return json(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/auth`;

  const issuer: TestIssuer = {
    issuer: base,
    jwksUrl: `${base}/.well-known/jwks.json`,
    userInfoUrl: `${base}/v1/userinfo`,
    get jwksReads() {
      return state.jwksReads;
    },
    get userInfoReads() {
      return state.userInfoReads;
    },
    userInfo,
    async addKey(options = {}) {
      const alg = options.alg ?? 'ES256';
      const kid = options.kid ?? randomUUID();
      const pair = await generateKeyPair(alg, { extractable: true });
      const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' };
      keys.set(kid, { alg, privateKey: pair.privateKey, publicJwk, published: options.publish ?? true });
      if (!firstKid && (options.publish ?? true)) firstKid = kid;
      return kid;
    },
    async sign(claims, options = {}) {
      const kid = options.kid ?? firstKid;
      const key = keys.get(kid);
      if (!key) throw new Error(`no key ${kid}`);
      const now = Math.floor(Date.now() / 1000);
      const typ = options.typ === undefined ? 'vnd.backstage.user' : options.typ;
      return new SignJWT({
        iss: base,
        aud: 'backstage',
        iat: now,
        exp: now + (options.expiresIn ?? 3600),
        ...claims,
      })
        .setProtectedHeader({ alg: key.alg, kid: options.headerKid ?? kid, ...(typ === null ? {} : { typ }) })
        .sign(key.privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return issuer;
}
