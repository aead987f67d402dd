/**
 * Google on loopback, as google-auth-library and @google-cloud/container speak to it:
 * - the OAuth 2.0 token endpoint (`POST /token`, RFC 7523 JWT-bearer grant signed with a service
 *   account key, verified here with the key's public half), and
 * - the GKE API (`GET /v1/projects/<p>/locations/<l>/clusters`, JSON over HTTP/1.1, Google's error shape).
 *
 * @example
 *   const google = await startFakeGoogle();
 *   const key = google.serviceAccountKey('stitchboard@proj.iam.gserviceaccount.com'); // token_uri → google.url/token
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { startFakeServer, type FakeReply, type FakeRequest } from './http-server.ts';

export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';

export interface TokenGrant {
  grantType: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  accessToken: string;
}

export interface ListCall {
  path: string;
  authorization: string;
  query: Record<string, string>;
}

export interface GkeCluster {
  name: string;
  endpoint?: string;
  resourceLabels?: Record<string, string>;
  controlPlaneEndpointsConfig?: { dnsEndpointConfig?: { endpoint?: string; allowExternalTraffic?: boolean } };
  masterAuth?: { clusterCaCertificate?: string };
  location?: string;
}

export interface FakeGoogle {
  url: string;
  grants: TokenGrant[];
  listCalls: ListCall[];
  /** Clusters per `projects/<p>/locations/<l>` parent; `-` lists every location of the project. */
  clusters: Map<string, GkeCluster[]>;
  /** When set, the clusters endpoint answers this HTTP status with Google's error body. */
  failClusters: number | undefined;
  /** Lifetime of issued access tokens. */
  expiresIn: number;
  /** Makes the access token for a verified grant (default: an opaque `ya29.` string). */
  mintAccessToken: (claims: Record<string, unknown>) => Promise<string> | string;
  /** A service account JSON key whose `token_uri` points here; its public key is trusted. */
  serviceAccountKey(email: string, options?: { tokenUri?: string }): Record<string, string>;
  /** The trusted public key of a key made by `serviceAccountKey`. */
  publicKeyOf(email: string): KeyObject | undefined;
  close(): Promise<void>;
}

export async function startFakeGoogle(): Promise<FakeGoogle> {
  const publicKeys = new Map<string, KeyObject>();
  const state: Omit<FakeGoogle, 'url' | 'serviceAccountKey' | 'publicKeyOf' | 'close'> = {
    grants: [],
    listCalls: [],
    clusters: new Map(),
    failClusters: undefined,
    expiresIn: 3599,
    mintAccessToken: () => `ya29.${randomBytes(24).toString('base64url')}`,
  };

  const token = async (req: FakeRequest): Promise<FakeReply> => {
    const form = new URLSearchParams(req.body);
    const grantType = form.get('grant_type') ?? '';
    const assertion = form.get('assertion') ?? '';
    if (grantType !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' },
      };
    }
    let claims: Record<string, unknown>;
    try {
      const iss = String(decodeJwt(assertion).iss);
      const key = publicKeys.get(iss);
      if (!key) {
        return {
          status: 400,
          body: { error: 'invalid_grant', error_description: 'Invalid email or User ID' },
        };
      }
      ({ payload: claims } = await jwtVerify(assertion, key, {
        audience: GOOGLE_TOKEN_AUDIENCE,
        algorithms: ['RS256'],
      }));
    } catch {
      return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
    }
    const accessToken = await state.mintAccessToken(claims);
    state.grants.push({ grantType, header: decodeProtectedHeader(assertion), claims, accessToken });
    return { body: { access_token: accessToken, expires_in: state.expiresIn, token_type: 'Bearer' } };
  };

  const listClusters = (req: FakeRequest, parent: string): FakeReply => {
    state.listCalls.push({
      path: req.url.pathname,
      authorization: req.headers.authorization ?? '',
      query: Object.fromEntries(req.url.searchParams),
    });
    if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) {
      return googleError(401, 'UNAUTHENTICATED', 'Request is missing required authentication credential.');
    }
    if (state.failClusters !== undefined) {
      return googleError(state.failClusters, 'UNAVAILABLE', 'The service is currently unavailable.');
    }
    const [, project, , location] = parent.split('/');
    const found =
      location === '-'
        ? [...state.clusters.entries()]
            .filter(([p]) => p.startsWith(`projects/${project}/`))
            .flatMap(([, c]) => c)
        : (state.clusters.get(parent) ?? []);
    return { body: { clusters: found } };
  };

  const server = await startFakeServer((req) => {
    if (req.method === 'POST' && req.url.pathname === '/token') return token(req);
    const list = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+)\/clusters$/.exec(req.url.pathname);
    if (req.method === 'GET' && list?.[1]) return listClusters(req, list[1]);
    return googleError(404, 'NOT_FOUND', `no route ${req.method} ${req.url.pathname}`);
  });

  return Object.assign(state, {
    url: server.url,
    serviceAccountKey(email: string, options: { tokenUri?: string } = {}) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      publicKeys.set(email, publicKey);
      const project = email.split('@')[1]?.split('.')[0] ?? 'project';
      return {
        type: 'service_account',
        project_id: project,
        private_key_id: randomBytes(20).toString('hex'),
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: email,
        client_id: String(BigInt(`0x${randomBytes(8).toString('hex')}`)),
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: options.tokenUri ?? `${server.url}/token`,
        auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
        universe_domain: 'googleapis.com',
      };
    },
    publicKeyOf: (email: string) => publicKeys.get(email),
    close: () => server.close(),
  });
}

function googleError(code: number, status: string, message: string): FakeReply {
  return { status: code, body: { error: { code, message, status } } };
}
