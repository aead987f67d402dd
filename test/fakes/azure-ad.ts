/**
 * Microsoft Entra ID (Azure AD) on loopback over HTTPS, as MSAL and @azure/identity reach it through
 * `authorityHost`: the v2.0 OpenID metadata document and the v2.0 token endpoint answering the
 * client-credentials grant, with Entra's error shape (AADSTS codes).
 *
 * @example
 *   const tls = await makeTestTls(); const undo = trustCa(tls.ca);
 *   const aad = await startFakeAzureAd({ tls, clients: { [CLIENT]: SECRET } });
 *   env.AZURE_AUTHORITY_HOST = aad.url;
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { startFakeServer, type FakeReply, type FakeRequest } from './http-server.ts';
import type { TestTls } from './tls.ts';

export interface ClientCredentialsGrant {
  tenant: string;
  clientId: string;
  scope: string;
  grantType: string;
  accessToken: string;
}

export interface FakeAzureAd {
  url: string;
  grants: ClientCredentialsGrant[];
  metadataRequests: number;
  /** Seconds; Entra's default is about an hour. */
  expiresIn: number;
  /** When set, the token endpoint fails with this AADSTS error (HTTP 400 or 401). */
  failWith: { status: number; error: string; code: number; description: string } | undefined;
  mintAccessToken: (grant: { tenant: string; clientId: string }) => Promise<string> | string;
  close(): Promise<void>;
}

export async function startFakeAzureAd(options: {
  tls: TestTls;
  clients: Record<string, string>;
}): Promise<FakeAzureAd> {
  let base = '';
  const state: Omit<FakeAzureAd, 'url' | 'close'> = {
    grants: [],
    metadataRequests: 0,
    expiresIn: 3599,
    failWith: undefined,
    mintAccessToken: () => `eyJ0eXAiOiJKV1Qi.${randomBytes(32).toString('base64url')}.sig`,
  };

  const metadata = (tenant: string): FakeReply => {
    state.metadataRequests += 1;
    const t = `${base}/${tenant}`;
    return {
      body: {
        token_endpoint: `${t}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: [
          'client_secret_post',
          'private_key_jwt',
          'client_secret_basic',
        ],
        jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${t}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
        authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${t}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${t}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'tid'],
        kerberos_endpoint: `${t}/kerberos`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
        rbac_url: 'https://pas.windows.net',
      },
    };
  };

  const token = async (req: FakeRequest, tenant: string): Promise<FakeReply> => {
    const form = new URLSearchParams(req.body);
    const clientId = form.get('client_id') ?? '';
    const grantType = form.get('grant_type') ?? '';
    if (state.failWith) {
      return aadError(
        state.failWith.status,
        state.failWith.error,
        state.failWith.code,
        state.failWith.description,
      );
    }
    if (grantType !== 'client_credentials') {
      return aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    if (!(clientId in options.clients)) {
      return aadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found.`,
      );
    }
    if (form.get('client_secret') !== options.clients[clientId]) {
      return aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    }
    const accessToken = await state.mintAccessToken({ tenant, clientId });
    state.grants.push({ tenant, clientId, scope: form.get('scope') ?? '', grantType, accessToken });
    return {
      body: {
        token_type: 'Bearer',
        expires_in: state.expiresIn,
        ext_expires_in: state.expiresIn,
        access_token: accessToken,
      },
    };
  };

  const server = await startFakeServer((req) => {
    const path = req.url.pathname;
    const meta = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (req.method === 'GET' && meta?.[1]) return metadata(meta[1]);
    const tok = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (req.method === 'POST' && tok?.[1]) return token(req, tok[1]);
    return aadError(404, 'invalid_request', 90002, `no route ${req.method} ${path}`);
  }, options.tls);
  base = server.url;
  return Object.assign(state, { url: server.url, close: () => server.close() });
}

function aadError(status: number, error: string, code: number, description: string): FakeReply {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
      trace_id: traceId,
      correlation_id: correlationId,
    },
  };
}
